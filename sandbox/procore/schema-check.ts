import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRecord } from './http';

/** One node of a request or response schema as the derived endpoint files write it. */
export interface SchemaNode {
  type?: string | null;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
}

/** What the published file of one operation says about its input and its success answer. */
export interface Operation {
  /** The request-body schema, or null when the operation takes no body. */
  body: SchemaNode | null;
  /** The query parameters it lists (`filters[status][]` style names, as published). */
  query: ReadonlySet<string>;
  /** The schema of its first 2xx answer, when the file gives one with fields. */
  response: SchemaNode | undefined;
}

/** Where the endpoint files live: vendored in the repository (see `endpoints/README.md`). */
export const DEFAULT_SCHEMA_DIR = new URL('./endpoints/', import.meta.url);

const cache = new Map<string, Map<string, Operation>>();

/** Loads every endpoint file of `dir`, by operationId. */
export function loadOperations(dir: URL | string = DEFAULT_SCHEMA_DIR): Map<string, Operation> {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const hit = cache.get(path);
  if (hit) return hit;
  if (!existsSync(path)) {
    throw new Error(
      `Procore endpoint schemas not found at ${path}: strict mode needs the vendored endpoint files ` +
        '(sandbox/procore/endpoints), or pass schemaDir, or strict: false',
    );
  }
  const operations = new Map<string, Operation>();
  for (const file of readdirSync(path)) {
    if (!file.endsWith('.json')) continue;
    const doc: unknown = JSON.parse(readFileSync(`${path.replace(/\/$/, '')}/${file}`, 'utf8'));
    if (!isRecord(doc) || typeof doc.operationId !== 'string') continue;
    const body = isRecord(doc.requestBody) && isRecord(doc.requestBody.schema) ? doc.requestBody.schema : null;
    const parameters = Array.isArray(doc.parameters) ? doc.parameters.filter(isRecord) : [];
    const query = new Set(parameters.filter((p) => p.in === 'query').map((p) => String(p.name)));
    operations.set(doc.operationId, { body: body as SchemaNode | null, query, response: successSchema(doc.responses) });
  }
  cache.set(path, operations);
  return operations;
}

function successSchema(responses: unknown): SchemaNode | undefined {
  if (!isRecord(responses)) return undefined;
  const code = Object.keys(responses).find((c) => c.startsWith('2'));
  const answer = code === undefined ? undefined : responses[code];
  const schema = isRecord(answer) && isRecord(answer.schema) ? (answer.schema as SchemaNode) : undefined;
  const fields = schema?.type === 'array' ? schema.items?.properties : schema?.properties;
  return fields !== undefined && Object.keys(fields).length > 0 ? schema : undefined;
}

// Procore's pagination guide gives every list `page` and `per_page`, although some operation files omit them.
const PAGINATION = new Set(['page', 'per_page']);

/** The query parameters of `query` that the operation does not list (`x[]` matches a listed `x[]` or `x`). */
export function unknownQueryParameters(operation: Operation, query: URLSearchParams, method: string): string[] {
  const unknown = new Set<string>();
  for (const name of query.keys()) {
    const bare = name.endsWith('[]') ? name.slice(0, -2) : name;
    if (operation.query.has(name) || operation.query.has(bare) || operation.query.has(`${bare}[]`)) continue;
    if (method === 'GET' && PAGINATION.has(name)) continue;
    unknown.add(name);
  }
  return [...unknown];
}

/**
 * Required fields the body lacks, split the way Rails answers them: a missing top-level key (a wrapper such as
 * `vendor`, or `project_id`) fails strong parameters' `require`; a missing field inside fails model validation.
 */
export function missingFields(schema: SchemaNode, body: unknown): { top: string[]; nested: string[] } {
  const top = (schema.required ?? []).filter((key) => !present(body, key));
  const nested: string[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    // Inside a wrapper object Rails names fields without the wrapper (`name`, not `vendor.name`).
    if (isRecord(body) && present(body, key))
      collectMissing(child, body[key], child.type === 'object' ? [] : [key], nested);
  }
  return { top, nested };
}

/** Rails treats a blank string like an absent one, for `require` and for presence validations alike. */
function present(value: unknown, key: string): boolean {
  if (!isRecord(value) || !Object.hasOwn(value, key)) return false;
  const v = value[key];
  return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}

function collectMissing(node: SchemaNode, value: unknown, path: (string | number)[], found: string[]): void {
  if (node.type === 'array' && node.items && Array.isArray(value)) {
    const items = node.items;
    for (const [i, item] of value.entries()) collectMissing(items, item, [...path, i], found);
    return;
  }
  if (!isRecord(value)) return;
  for (const key of node.required ?? []) if (!present(value, key)) found.push(formatPath([...path, key]));
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (present(value, key)) collectMissing(child, value[key], [...path, key], found);
  }
}

// Schemas write custom fields as a template key.
const CUSTOM_FIELD_TEMPLATE = 'custom_field_%{custom_field_definition_id}';
const CUSTOM_FIELD = /^custom_field_\d+$/;

/** Fields the check lets through although the schema does not list them. */
export type Allowance = (path: readonly (string | number)[], key: string) => boolean;

/**
 * Paths of every body field that `schema` does not name, as deep as the schema goes: properties shown as
 * "(nested object)" or with a null type are opaque and not looked into.
 */
export function unknownFields(schema: SchemaNode, body: unknown, allow: Allowance = () => false): string[] {
  const found: string[] = [];
  walk(schema, body, [], found, allow);
  return found;
}

function opaque(node: SchemaNode): boolean {
  return node.description === '(nested object)' || node.type === null || node.type === undefined;
}

function walk(node: SchemaNode, value: unknown, path: (string | number)[], found: string[], allow: Allowance): void {
  if (node.type === 'array' && node.items && Array.isArray(value)) {
    if (opaque(node.items)) return;
    value.forEach((item, i) => {
      if (node.items) walk(node.items, item, [...path, i], found, allow);
    });
    return;
  }
  if (!node.properties || !isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const spec = node.properties[key] ?? (CUSTOM_FIELD.test(key) ? node.properties[CUSTOM_FIELD_TEMPLATE] : undefined);
    if (!spec) {
      if (!allow(path, key)) found.push(formatPath([...path, key]));
      continue;
    }
    if (node.properties[key] === undefined || opaque(spec)) continue;
    walk(spec, child, [...path, key], found, allow);
  }
}

/**
 * `value` with only the fields `schema` documents, as deep as the schema goes: the simulator answers with
 * what Procore publishes, so a client can never come to depend on a field the real API may not send.
 */
export function documentedOnly(schema: SchemaNode, value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = schema.type === 'array' ? schema.items : undefined;
    return items === undefined || opaque(items) ? value : value.map((item) => documentedOnly(items, item));
  }
  if (!isRecord(value) || !schema.properties || opaque(schema)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const spec =
      schema.properties[key] ?? (CUSTOM_FIELD.test(key) ? schema.properties[CUSTOM_FIELD_TEMPLATE] : undefined);
    if (spec !== undefined) kept[key] = schema.properties[key] === undefined ? child : documentedOnly(spec, child);
  }
  return kept;
}

/** `updates[0].vendor_id` style paths. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

/**
 * The "Using Sync Actions" guide lets every sync item carry `id` (update by id, the only way to change an
 * origin_id), although several derived sync schemas omit it.
 */
export const allowSyncItemId: Allowance = (path, key) =>
  key === 'id' && path.length === 2 && path[0] === 'updates' && typeof path[1] === 'number';
