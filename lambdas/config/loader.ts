import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as z from 'zod';
import { ConfigError, type ConfigIssue } from '../shared/errors';
import { type CustomerConfig, customerConfigSchema } from './schema';

/** Where relative config paths are resolved; the CLI passes its own working directory. */
export interface LoadOptions {
  cwd?: string;
}

/** A real config is a few kilobytes; anything near this is not one, and is refused before it is read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads, parses and validates a customer config file; throws one ConfigError listing every problem. */
export async function loadCustomerConfig(path: string, options: LoadOptions = {}): Promise<CustomerConfig> {
  const file = resolve(options.cwd ?? process.cwd(), path);
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_CONFIG_BYTES) {
      throw fileError(path, `file is ${size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit for a config file`);
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw fileError(path, unreadableMessage(error), { cause: error });
  }
  return parseCustomerConfig(parseJson(text, path), path);
}

/** Validates already-parsed JSON against the customer config schema, defaults applied; `source` names it in errors. */
export function parseCustomerConfig(json: unknown, source: string): CustomerConfig {
  const result = customerConfigSchema.safeParse(json, { reportInput: true, error: plainMessage });
  const issues = result.success ? [] : result.error.issues.flatMap(toConfigIssues);
  // zod drops a `__proto__` key of a map (it would replace the prototype) without a word: say so instead.
  const reported = new Set(issues.map((i) => i.path));
  for (const path of protoKeyPaths(json)) {
    if (!reported.has(path)) issues.push({ path, message: 'reserved key: "__proto__" cannot be a key here' });
  }
  if (result.success && issues.length === 0) return result.data;
  throw new ConfigError(source, issues, {
    ...(result.success ? {} : { cause: result.error }),
    context: { source },
  });
}

// JSON.parse makes `__proto__` an own key. Walked breadth-first with parent links, not recursion or path copies,
// so deeply nested input costs neither stack nor quadratic memory.
function protoKeyPaths(json: unknown): string[] {
  const nodes: { value: unknown; parent: number; key: PropertyKey }[] = [{ value: json, parent: -1, key: '' }];
  const pathOf = (index: number): PropertyKey[] => {
    const path: PropertyKey[] = [];
    for (let i = index; i > 0; i = nodes[i]?.parent ?? 0) path.unshift(nodes[i]?.key ?? '');
    return path;
  };
  const found: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const value = nodes[i]?.value;
    if (value === null || typeof value !== 'object') continue;
    if (Object.hasOwn(value, '__proto__')) found.push(formatJsonPath([...pathOf(i), '__proto__']));
    for (const [key, child] of Object.entries(value)) {
      if (child !== null && typeof child === 'object') {
        nodes.push({ value: child, parent: i, key: Array.isArray(value) ? Number(key) : key });
      }
    }
  }
  return found;
}

/** `$.mapping.projects[1].procoreProjectId`, the path form every config message uses. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  const segments = path.map((segment) => {
    if (typeof segment === 'number') return `[${segment}]`;
    // A key is shown whole up to a sane length: a megabyte key would make a megabyte message.
    const whole = String(segment);
    const key = whole.length > 80 ? `${whole.slice(0, 80)}…` : whole;
    return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  });
  return `$${segments.join('')}`;
}

function unreadableMessage(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, not a config file';
  if (code === 'EACCES') return 'cannot be read: permission denied';
  return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
}

function parseJson(text: string, source: string): unknown {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') throw fileError(source, 'file is empty');
  try {
    return JSON.parse(body);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const { line, column } = lineAndColumn(body, syntaxErrorOffset(body, error));
    const reason = error.message
      .replace(/^(Unexpected token '.+?'), .*$/s, '$1')
      .replace(/ in JSON at position .*$/s, '');
    throw fileError(source, `not valid JSON at line ${line}, column ${column}: ${reason}`, {
      cause: error,
      line,
      column,
    });
  }
}

// A problem with the file as a whole rather than with one key: reported at the root path `$`.
function fileError(source: string, message: string, details: { cause?: unknown; line?: number; column?: number } = {}) {
  const { cause, ...position } = details;
  return new ConfigError(source, [{ path: '$', message }], { cause, context: { source, ...position } });
}

function syntaxErrorOffset(text: string, error: SyntaxError): number {
  const position = reportedPosition(error);
  if (position !== undefined) return position;
  if (error.message.includes('end of JSON input')) return text.length;
  // Node 20 gives no position for "Unexpected token": find the shortest prefix that fails before its end.
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (failsBeforeEnd(text.slice(0, mid))) high = mid;
    else low = mid + 1;
  }
  return low - 1;
}

function reportedPosition(error: Error): number | undefined {
  const position = /at position (\d+)/.exec(error.message)?.[1];
  return position === undefined ? undefined : Number(position);
}

function failsBeforeEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    if (!(error instanceof Error) || error.message.includes('end of JSON input')) return false;
    const position = reportedPosition(error);
    return position === undefined || position < prefix.length;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

// Per-parse messages only apply where the schema has none of its own, so its wording (customerId, URLs) wins.
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `required (${typeName(issue.expected)})`
        : `must be ${typeName(issue.expected)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue);
    case 'invalid_format':
      return issue.format === 'email' ? 'must be an email address' : `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
}

function sizeMessage(
  issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig>,
): string | undefined {
  const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'number') {
    const schema = schemaAt(customerConfigSchema, issue.path ?? []);
    if (inclusive && schema instanceof z.ZodNumber && hasRange(schema)) {
      return `must be between ${schema.minValue} and ${schema.maxValue}`;
    }
    if (issue.code === 'too_small') return inclusive ? `must be at least ${limit}` : `must be greater than ${limit}`;
    return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
  }
  if (issue.origin === 'string') {
    if (issue.code === 'too_small') return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters`;
    return `must be at most ${limit} characters`;
  }
  if (issue.origin === 'array') {
    return issue.code === 'too_small' ? `needs at least ${limit} entries` : `allows at most ${limit} entries`;
  }
  return undefined;
}

// `.int()` alone implies ±MAX_SAFE_INTEGER bounds, which are no range a person wrote.
function hasRange(schema: z.ZodNumber): boolean {
  const { minValue, maxValue } = schema;
  return (
    minValue !== null &&
    maxValue !== null &&
    Math.abs(minValue) < Number.MAX_SAFE_INTEGER &&
    maxValue < Number.MAX_SAFE_INTEGER
  );
}

const TYPE_NAMES: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
  null: 'null',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function toConfigIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(issue.path);
    return issue.keys.map((key) => ({
      path: formatJsonPath([...issue.path, key]),
      message: unknownKeyMessage(key, allowed),
    }));
  }
  return [{ path: formatJsonPath(issue.path), message: withInput(issue.message, issue.input) }];
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const suggestion = closestKey(key, allowed);
  if (suggestion !== undefined) return `unknown key (did you mean ${JSON.stringify(suggestion)}?)`;
  return allowed.length > 0 ? `unknown key (allowed: ${allowed.join(', ')})` : 'unknown key';
}

function withInput(message: string, input: unknown): string {
  if (input === undefined) return message;
  return `${message} (got ${describeInput(input)})`;
}

function describeInput(input: unknown): string {
  if (Array.isArray(input)) return 'a list';
  if (input !== null && typeof input === 'object') return 'an object';
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function allowedKeys(path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(customerConfigSchema, path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

// Walks the schema the way the parser walked the input, to recover the object or number an issue is about.
function schemaAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (current instanceof z.ZodObject) {
      const shape: Record<string, z.core.$ZodType> = current.shape;
      current = shape[String(segment)];
    } else if (current instanceof z.ZodArray) {
      current = current.element;
    } else if (current instanceof z.ZodRecord) {
      current = current.valueType;
    } else {
      return undefined;
    }
    current = current === undefined ? undefined : unwrap(current);
  }
  return current;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      return current;
    }
  }
}

function closestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    // The length difference bounds the distance from below: a long key is never compared letter by letter.
    if (Math.abs(key.length - candidate.length) >= bestDistance) continue;
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions, so "pageSzie" is one edit away.
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i];
    if (row === undefined) continue;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      }
      row[j] = distance;
    }
  }
  return at(a.length, b.length);
}
