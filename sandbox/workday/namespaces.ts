/**
 * Namespace facts the hardened parser throws away (it strips prefixes): which namespace each element is
 * in and whether attributes are qualified. Runs only on documents `parseXml` has already accepted.
 */

export interface ScannedAttribute {
  prefix: string;
  local: string;
  namespace: string | undefined;
  value: string;
}

/** One element with its resolved namespace and position. */
export interface ScannedElement {
  prefix: string;
  local: string;
  namespace: string | undefined;
  depth: number;
  /** Local names from the root down to the parent. */
  path: string[];
  attributes: ScannedAttribute[];
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<\/[^>]+>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function split(qname: string): [prefix: string, local: string] {
  const colon = qname.indexOf(':');
  return colon === -1 ? ['', qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

/** Every element of the document in order, with resolved namespaces. */
export function scanElements(text: string): ScannedElement[] {
  const elements: ScannedElement[] = [];
  const scopes: Map<string, string>[] = [new Map([['xml', XML_NS]])];
  const path: string[] = [];
  const lookup = (prefix: string) => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const ns = scopes[i]?.get(prefix);
      if (ns !== undefined) return ns === '' ? undefined : ns;
    }
    return undefined;
  };
  for (const match of text.matchAll(TOKEN)) {
    const [token, qname, attrText = '', selfClosing] = match;
    if (token.startsWith('</')) {
      scopes.pop();
      path.pop();
      continue;
    }
    if (!qname) continue;
    const scope = new Map<string, string>();
    const rawAttributes: [string, string][] = [];
    for (const a of attrText.matchAll(ATTRIBUTE)) {
      const name = a[1] ?? '';
      const value = a[2] ?? a[3] ?? '';
      if (name === 'xmlns') scope.set('', value);
      else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
      else rawAttributes.push([name, value]);
    }
    scopes.push(scope);
    const [prefix, local] = split(qname);
    elements.push({
      prefix,
      local,
      namespace: lookup(prefix),
      depth: path.length,
      path: [...path],
      // Unprefixed attributes are in no namespace, whatever the default namespace is.
      attributes: rawAttributes.map(([name, value]) => {
        const [p, l] = split(name);
        return { prefix: p, local: l, namespace: p === '' ? undefined : lookup(p), value };
      }),
    });
    path.push(local);
    if (selfClosing) {
      scopes.pop();
      path.pop();
    }
  }
  return elements;
}
