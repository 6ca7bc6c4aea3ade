import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Property runs are seeded and modest so the fuzz folder stays a few seconds in CI. For a longer hunt:
 * `FUZZ_RUNS=5000 npx vitest run test/fuzz` (and `FUZZ_SEED=<n>` for another stream, or to replay a report).
 */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 0) || undefined;
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261128);

/** fast-check parameters: the fixed seed, and `runs` unless FUZZ_RUNS asks for more. */
export function fuzz(runs: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: FUZZ_RUNS ?? runs };
}

/** Vitest timeout for a property: generous when FUZZ_RUNS scales the runs up. */
export function fuzzTimeout(runs: number, msPerRun = 20): number {
  return Math.max(30_000, (FUZZ_RUNS ?? runs) * msPerRun * 4);
}

/** One checked-in corpus entry: a hostile or broken input and what the parser must make of it. */
export interface CorpusCase {
  file: string;
  bytes: Buffer;
  text: string;
  expect: Record<string, unknown>;
}

/** The files of `test/fuzz/corpus/<area>/`, each with its expectation from the folder's `manifest.json`. */
export function readCorpus(area: string): CorpusCase[] {
  const dir = new URL(`./corpus/${area}/`, import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  const files = readdirSync(dir).filter((f) => f !== 'manifest.json');
  expect(files.sort()).toEqual(Object.keys(manifest).sort());
  return files.map((file) => {
    const bytes = readFileSync(new URL(file, dir));
    return { file, bytes, text: new TextDecoder().decode(bytes), expect: manifest[file] ?? {} };
  });
}

/** Runs `act`; returns what it threw, or `undefined` when it returned. */
export function thrownBy(act: () => unknown): unknown {
  try {
    act();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Fails the property, with the unexpected error as the cause, unless `error` is one of `types` (or nothing). */
export function expectTypedOrNothing(error: unknown, ...types: (abstract new (...args: never[]) => Error)[]): void {
  if (error === undefined || types.some((type) => error instanceof type)) return;
  throw new Error(`an untyped crash: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, {
    cause: error,
  });
}

/** Escapes text for an XML element's content. */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Strings of many shapes: ASCII, any UTF-16 (lone surrogates too), and the characters parsers trip on. */
export const hostileString = (maxLength = 64) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme-composite', maxLength }),
    fc.string({
      unit: fc.constantFrom(
        '<',
        '>',
        '&',
        ';',
        '"',
        "'",
        '/',
        '!',
        '[',
        ']',
        '?',
        '=',
        '#',
        'x',
        '\u0000',
        '\uFFFD',
        '\uD800',
      ),
      maxLength,
    }),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\n'),
  );
