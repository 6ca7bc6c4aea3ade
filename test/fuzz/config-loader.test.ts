import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatJsonPath, loadCustomerConfig, MAX_CONFIG_BYTES, parseCustomerConfig } from '../../lambdas/config/loader';
import { ConfigError } from '../../lambdas/shared/errors';
import { expectTypedOrNothing, fuzz, fuzzTimeout, hostileString, readCorpus, thrownBy } from './fuzz';

const EXAMPLE = new URL('../../examples/customers/acme-builders.json', import.meta.url);
const exampleText = readFileSync(EXAMPLE, 'utf8');
const example = (): Record<string, unknown> => JSON.parse(exampleText) as Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'mlc-fuzz-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parses and checks the loader's contract: a config, or one ConfigError whose every issue has a `$` path. */
function parseChecked(json: unknown): { error?: ConfigError } {
  const error = thrownBy(() => parseCustomerConfig(json, 'fuzz.json'));
  expectTypedOrNothing(error, ConfigError);
  if (!(error instanceof ConfigError)) return {};
  expect(error.issues.length).toBeGreaterThan(0);
  for (const issue of error.issues) {
    expect(issue.path).toMatch(/^\$/);
    expect(issue.message).not.toBe('');
    expect(issue.path.length + issue.message.length).toBeLessThan(1_000);
  }
  expect(error.message).toContain('fuzz.json is invalid');
  return { error };
}

/** Every path to a value in `json`, objects and lists included. */
function pathsOf(json: unknown, prefix: PropertyKey[] = []): PropertyKey[][] {
  const here = prefix.length === 0 ? [] : [prefix];
  if (Array.isArray(json)) return [...here, ...json.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (json !== null && typeof json === 'object') {
    return [...here, ...Object.entries(json).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  }
  return here;
}

function setAt(json: Record<string, unknown>, path: PropertyKey[], value: unknown): void {
  let node: Record<PropertyKey, unknown> = json;
  for (const key of path.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

// The strict objects of the schema: an unknown key in any of them is an error at `<path>.<key>`.
const STRICT_OBJECTS: PropertyKey[][] = [
  [],
  ['schedule'],
  ['workday'],
  ['procore'],
  ['mapping'],
  ['mapping', 'projects', 0],
  ['mapping', 'projects', 0, 'worktag'],
  ['mapping', 'costCodes'],
  ['mapping', 'costTypes'],
  ['mapping', 'charges'],
  ['purchaseOrders'],
  ['invoices'],
  ['retry'],
];

// Keys the schema allows that the example leaves out: adding one is no error.
const ALLOWED_ABSENT = new Set(['currency', 'statuses', 'syncFrom', 'alarmEmail', 'pageSize', 'invoiceLookbackDays']);

const oddKey = fc.oneof(
  hostileString(30),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', '$schema2', 'customerID', 'pageSzie'),
  fc.integer({ min: 100, max: 5_000 }).map((n) => 'k'.repeat(n)),
);

describe('the customer config loader on hostile input', () => {
  it('answers any JSON value with a config or one ConfigError whose every issue has a JSON path', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (json) => {
        parseChecked(json);
      }),
      fuzz(300),
    );
  });

  it(
    'names the path of any value replaced by a wrong type, a huge or odd string, or random JSON',
    () => {
      const wrong = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        hostileString(60),
        fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
        fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, -1, 0.5, true, null, [], {}),
      );
      fc.assert(
        fc.property(fc.constantFrom(...pathsOf(example())), wrong, (path, value) => {
          const json = example();
          setAt(json, path, value);
          const { error } = parseChecked(json);
          if (!error) return;
          // The problem is reported at the replaced value, or below it; a map key is the one exception (its parent).
          const at = formatJsonPath(path);
          const parent = formatJsonPath(path.slice(0, -1));
          expect(error.issues.some((i) => i.path.startsWith(at) || i.path === parent)).toBe(true);
        }),
        fuzz(300),
      );
    },
    fuzzTimeout(300),
  );

  it('names every unknown key, prototype-polluting and megabyte ones included, without polluting anything', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STRICT_OBJECTS), oddKey, fc.jsonValue({ maxDepth: 2 }), (path, key, value) => {
        // An own property, as JSON.parse makes `__proto__` from a file's text.
        const target = example();
        const node = path.reduce<Record<PropertyKey, unknown>>((n, k) => n[k] as Record<PropertyKey, unknown>, target);
        fc.pre(!Object.hasOwn(node, key) && !ALLOWED_ABSENT.has(key));
        Object.defineProperty(node, key, { value, enumerable: true, configurable: true, writable: true });
        const started = performance.now();
        const { error } = parseChecked(target);
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(error).toBeDefined();
        const shown = formatJsonPath([...path, key]);
        expect(error?.issues.map((i) => i.path)).toContain(shown);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      fuzz(150),
    );
  });

  it(
    'reports broken JSON text at `$` with its line and column',
    () => {
      const broken = fc.oneof(
        fc.nat({ max: exampleText.length - 2 }).map((n) => exampleText.slice(0, n + 1)),
        fc
          .tuple(fc.nat({ max: exampleText.length }), hostileString(4))
          .map(([i, s]) => exampleText.slice(0, i) + s + exampleText.slice(i)),
        hostileString(100),
      );
      let n = 0;
      return fc.assert(
        fc.asyncProperty(broken, async (text) => {
          const file = join(dir, `broken-${n++}.json`);
          writeFileSync(file, text);
          let error: unknown;
          try {
            await loadCustomerConfig(file);
          } catch (thrown) {
            error = thrown;
          }
          expectTypedOrNothing(error, ConfigError);
          if (!(error instanceof ConfigError)) return;
          for (const issue of error.issues) expect(issue.path).toMatch(/^\$/);
          if (/not valid JSON/.test(error.message)) expect(error.message).toMatch(/at line \d+, column \d+/);
        }),
        fuzz(120),
      );
    },
    fuzzTimeout(120),
  );
});

describe('the config corpus (test/fuzz/corpus/config)', () => {
  it.each(readCorpus('config').map((c) => [c.file, c] as const))('%s', async (file, corpusCase) => {
    const path = join(dir, file);
    writeFileSync(path, corpusCase.bytes);
    const started = performance.now();
    let error: unknown;
    try {
      await loadCustomerConfig(path);
    } catch (thrown) {
      error = thrown;
    }
    expect(performance.now() - started).toBeLessThan(2_000);
    expectTypedOrNothing(error, ConfigError);
    if (corpusCase.expect.valid === true) {
      expect(error).toBeUndefined();
      return;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(paths).toContain(String(corpusCase.expect.mentions));
  });
});

describe('regressions', () => {
  it('rejects a `__proto__` key in a map instead of silently dropping it', () => {
    const json = JSON.parse(exampleText.replace('"map": {', '"map": { "__proto__": "03-300",')) as Record<
      string,
      unknown
    >;
    const { error } = parseChecked(json);
    expect(error?.issues).toEqual([
      { path: '$.mapping.costCodes.map.__proto__', message: 'reserved key: "__proto__" cannot be a key here' },
    ]);
  });

  it('answers a megabyte unknown key at once, its path clipped (no edit-distance table the size of the key)', () => {
    const started = performance.now();
    const { error } = parseChecked({ ...example(), ['k'.repeat(1_000_000)]: 1 });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error?.issues[0]?.path).toBe(`$["${'k'.repeat(80)}…"]`);
  });

  it('refuses a config file over the size limit before reading it', async () => {
    const file = join(dir, 'huge.json');
    writeFileSync(file, `${exampleText.slice(0, -2)}, "pad": "${'x'.repeat(MAX_CONFIG_BYTES)}"}`);
    await expect(loadCustomerConfig(file)).rejects.toThrow(/over the 1048576-byte limit/);
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 50_000; i++) deep = { a: [deep] };
    const { error } = parseChecked({ ...example(), mapping: { ...(example().mapping as object), costCodes: deep } });
    expect(error?.issues[0]?.path).toMatch(/^\$\.mapping\.costCodes/);
  });
});
