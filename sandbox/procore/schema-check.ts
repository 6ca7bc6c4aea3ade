import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRecord } from './http';

/** One node of a request-body schema as the derived endpoint files write it. */
export interface SchemaNode {
  type?: string | null;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Where the endpoint files live: vendored in the repository (see `endpoints/README.md`). */
export const DEFAULT_SCHEMA_DIR = new URL('./endpoints/', import.meta.url);

const cache = new Map<string, Map<string, SchemaNode | null>>();

/** Loads every endpoint file of `dir`: operationId → request-body schema (null when the operation takes no body). */
export function loadEndpointSchemas(dir: URL | string = DEFAULT_SCHEMA_DIR): Map<string, SchemaNode | null> {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const hit = cache.get(path);
  if (hit) return hit;
  if (!existsSync(path)) {
    throw new Error(
      `Procore endpoint schemas not found at ${path}: strict mode needs the vendored endpoint files ` +
        '(sandbox/procore/endpoints), or pass schemaDir, or strict: false',
    );
  }
  const schemas = new Map<string, SchemaNode | null>();
  for (const file of readdirSync(path)) {
    if (!file.endsWith('.json')) continue;
    const doc: unknown = JSON.parse(readFileSync(`${path.replace(/\/$/, '')}/${file}`, 'utf8'));
    if (!isRecord(doc) || typeof doc.operationId !== 'string') continue;
    const body = isRecord(doc.requestBody) && isRecord(doc.requestBody.schema) ? doc.requestBody.schema : null;
    schemas.set(doc.operationId, body as SchemaNode | null);
  }
  cache.set(path, schemas);
  return schemas;
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
