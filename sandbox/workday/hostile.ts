import type { Corruption } from './store';

/** Hostile rewrites of a successful response body, for testing the connector's XML defences. */

const PROLOG = "<?xml version='1.0' encoding='UTF-8'?>";

function billionLaughs(): string {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `<!DOCTYPE env:Envelope [${entities.join('')}]>`;
}

function withDoctype(xml: string, doctype: string, entity: string): string {
  const body = xml.startsWith(PROLOG) ? xml.slice(PROLOG.length) : xml;
  // The entity sits in a number a naive parser would read, so expansion cannot go unnoticed.
  return `${PROLOG}${doctype}${body.replace(/<wd:Total_Results>[^<]*</, `<wd:Total_Results>${entity}<`)}`;
}

/** Applies one corruption to a response body. */
export function corruptResponse(xml: string, corruption: Corruption): string {
  switch (corruption) {
    case 'entityBomb':
      return withDoctype(xml, billionLaughs(), '&lol9;');
    case 'doctype':
      return withDoctype(xml, '<!DOCTYPE env:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;');
    case 'truncate':
      return xml.slice(0, Math.floor(xml.length / 2));
    case 'nonNumericAmount':
      return xml.replace(/<wd:Extended_Amount>[^<]*</, '<wd:Extended_Amount>12,50<');
  }
}
