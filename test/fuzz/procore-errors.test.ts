import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyProcoreFailure, isTransientStatus, parseErrorBody } from '../../lambdas/procore/errors';
import { expectTypedOrNothing, fuzz, fuzzTimeout, hostileString, readCorpus, thrownBy } from './fuzz';

type Parsed = ReturnType<typeof parseErrorBody>;

/** The parser's contract on any body: no throw, a one-line detail of at most 500 characters, own-key field errors. */
function parseChecked(body: unknown): Parsed {
  let parsed: Parsed | undefined;
  expectTypedOrNothing(
    thrownBy(() => {
      parsed = parseErrorBody(body);
    }),
  );
  if (!parsed) throw new Error('no result');
  expect(parsed.detail.length).toBeLessThanOrEqual(500);
  expect(parsed.detail).not.toMatch(/\n/);
  const fields = Object.keys(parsed.fieldErrors);
  expect(fields.length).toBeLessThanOrEqual(50);
  for (const field of fields) {
    const messages = parsed.fieldErrors[field];
    expect(Array.isArray(messages)).toBe(true);
    for (const message of messages ?? []) {
      expect(typeof message).toBe('string');
      expect(message.length).toBeLessThanOrEqual(500);
    }
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  return parsed;
}

const fieldName = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'vendor_id', 'base', ''),
  fc.string({ maxLength: 20 }),
);

/** Any body shape Procore's docs show, filled with random or hostile values, as parsed JSON or as its text. */
const errorBody = fc.oneof(
  fc
    .dictionary(fieldName, fc.oneof(fc.array(hostileString(40)), hostileString(40), fc.jsonValue({ maxDepth: 2 })))
    .map((errors) => ({ errors })),
  hostileString(200).map((errors) => ({ errors })),
  fc.array(fc.record({ field: fieldName, message: fc.jsonValue({ maxDepth: 2 }) })).map((errors) => ({ errors })),
  fc.record({ message: hostileString(100) }),
  fc.record({
    error: fc.record({
      code: hostileString(20),
      message: hostileString(100),
      details: fc.array(fc.record({ source: fieldName, message: fc.jsonValue({ maxDepth: 2 }) })),
    }),
  }),
  fc.record({ error: hostileString(30), error_description: hostileString(100) }),
  fc.jsonValue({ maxDepth: 5 }),
  fc.anything({ maxDepth: 3 }),
);
// fc.anything makes bigints and null-prototype objects, which neither JSON.stringify nor String takes.
function textOf(body: unknown): string {
  try {
    return JSON.stringify(body) ?? String(body);
  } catch {
    return 'unprintable';
  }
}
const asParsedOrText = errorBody.chain((body) =>
  fc.constantFrom<unknown>(body, textOf(body), `<!DOCTYPE html><html>${textOf(body)}</html>`),
);

describe('Procore error bodies on hostile input', () => {
  it(
    'reads any body, parsed or as text, into a bounded detail and own-key field errors, never throwing',
    () => {
      fc.assert(
        fc.property(asParsedOrText, (body) => {
          parseChecked(body);
        }),
        fuzz(400),
      );
    },
    fuzzTimeout(400),
  );

  it('classifies any status and body: 408/409/429/5xx transient, a missing dependency only on 400/422', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 999 }), asParsedOrText, (status, body) => {
        const failure = classifyProcoreFailure(status, body);
        expect(['transient', 'permanent', 'dependency']).toContain(failure.failure);
        expect(failure.retryable).toBe(failure.failure === 'transient');
        if (isTransientStatus(status)) expect(failure.failure).toBe('transient');
        if (failure.failure === 'dependency') expect([400, 422]).toContain(status);
      }),
      fuzz(300),
    );
  });

  it('names each field and its message, whatever the field is called', () => {
    const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,30}[A-Za-z0-9]$/);
    const field = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'toString'),
      fc.stringMatching(/^[a-z_]{1,20}$/),
    );
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(field, word), { maxLength: 3, selector: ([f]) => f }), (pairs) => {
        const body = `{"errors":{${pairs.map(([f, m]) => `${JSON.stringify(f)}:[${JSON.stringify(m)}]`).join(',')}}}`;
        const parsed = parseChecked(body);
        for (const [f, m] of pairs) {
          expect(Object.hasOwn(parsed.fieldErrors, f)).toBe(true);
          expect(parsed.fieldErrors[f]).toEqual([m.replace(/\s+/g, ' ')]);
          expect(parsed.detail).toContain(`${f}: ${m.replace(/\s+/g, ' ')}`);
        }
      }),
      fuzz(200),
    );
  });

  it('reads huge and deeply nested bodies in bounded time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 200_000 }),
        fc.constantFrom('<', '[', '{"a":', ' ', 'x', '"'),
        fc.constantFrom('', '<!DOCTYPE html>', '<html>', '{"errors":'),
        (n, unit, prefix) => {
          const started = performance.now();
          parseChecked(prefix + unit.repeat(n));
          expect(performance.now() - started).toBeLessThan(2_000);
        },
      ),
      { ...fuzz(20), numRuns: Math.min(fuzz(20).numRuns ?? 20, 100) },
    );
  });
});

describe('the Procore error corpus (test/fuzz/corpus/procore)', () => {
  it.each(readCorpus('procore').map((c) => [c.file, c] as const))('%s', (_file, corpusCase) => {
    const started = performance.now();
    const status = Number(corpusCase.expect.status ?? 422);
    const failure = classifyProcoreFailure(status, corpusCase.text);
    expect(performance.now() - started).toBeLessThan(2_000);
    parseChecked(corpusCase.text);
    if (corpusCase.expect.failure !== undefined) expect(failure.failure).toBe(corpusCase.expect.failure);
    if (corpusCase.expect.mentions !== undefined) expect(failure.detail).toContain(String(corpusCase.expect.mentions));
    if (corpusCase.expect.hides !== undefined) expect(failure.detail).not.toContain(String(corpusCase.expect.hides));
  });
});

describe('regressions', () => {
  it.each(['__proto__', 'constructor'])(
    'keeps a field named %s (it used to crash with "list.push is not a function")',
    (field) => {
      const parsed = parseChecked(
        `{"errors":{"${field}":["is invalid"]},"x":[{"field":"${field}","message":"again"}]}`,
      );
      expect(parsed.fieldErrors[field]).toEqual(['is invalid']);
      expect(parsed.detail).toBe(`${field}: is invalid`);
    },
  );

  it('reads an error nested too deeply for JSON.stringify (it used to throw a RangeError)', () => {
    let nested: unknown = 'deep';
    for (let i = 0; i < 20_000; i++) nested = [nested];
    expect(parseChecked({ errors: [nested] }).detail).toBe('(a value too deeply nested to show)');
  });

  it('strips tags from an HTML body full of unclosed `<` in linear time (it used to take seconds)', () => {
    const started = performance.now();
    parseChecked(`<html>${'<'.repeat(1_000_000)}`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
