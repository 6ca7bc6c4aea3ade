import * as z from 'zod';
import type { ConfigIssue } from '../shared/errors';
import { isDecimal } from '../shared/money';
import type { Reference, Worktag } from './records';

/**
 * Lenient zod building blocks for Workday XML as `parseXml` returns it: leaves are strings (or `#text` beside
 * `@_` attributes), repeated elements arrays. Each block reports problems at the element's path, in words.
 */

const WID = /^[0-9a-f]{32}$/;
const CURRENCY = /^[A-Z]{3}$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a leaf element, or undefined when it holds child elements or repeats. */
function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (!isRecord(node) || Object.keys(node).some((key) => key !== '#text' && !key.startsWith('@_'))) return undefined;
  const text = node['#text'];
  return typeof text === 'string' ? text : '';
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function describeNode(node: unknown): string {
  if (node === '') return 'empty';
  if (Array.isArray(node)) return `appears ${node.length} times where one was expected`;
  return typeof node === 'string'
    ? 'has text where child elements were expected'
    : 'has child elements where text was expected';
}

/** Message for a structured element that is absent or not an element with children. */
const element = {
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'missing' : describeNode(issue.input)),
};

/** Treats an empty element (`<wd:Memo/>`) like an absent one. */
function emptyToUndefined(node: unknown): unknown {
  return node === '' ? undefined : node;
}

function issue(ctx: z.RefinementCtx, message: string, path?: PropertyKey[]): void {
  ctx.addIssue(path === undefined ? { code: 'custom', message } : { code: 'custom', message, path });
}

/** What a leaf converter returns for text it cannot accept, with the reason shown at the element's path. */
class Refusal {
  constructor(readonly reason: string) {}
}

/** A required and an optional schema for one kind of leaf element; empty counts as absent. */
function leaf<T>(convert: (text: string) => T | Refusal) {
  const read = (node: unknown, ctx: z.RefinementCtx): T | undefined => {
    const text = textOf(node);
    if (text === undefined) {
      issue(ctx, describeNode(node));
      return z.NEVER;
    }
    if (text === '') return undefined;
    const value = convert(text);
    if (value instanceof Refusal) {
      issue(ctx, value.reason);
      return z.NEVER;
    }
    return value;
  };
  return {
    required: z.unknown().transform((node, ctx): T => {
      const value = node === undefined ? undefined : read(node, ctx);
      if (value === undefined) {
        issue(ctx, 'missing');
        return z.NEVER;
      }
      return value;
    }),
    optional: z
      .unknown()
      .transform((node, ctx) => read(node, ctx))
      .optional(),
  };
}

const DATE = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;
const isoDate = z.iso.date();

/** `2026-01-15`, `2026-01-15-08:00` or `2026-01-15Z` → `2026-01-15`; the zone says nothing about the day itself. */
function toDate(text: string): string | Refusal {
  const day = DATE.exec(text)?.[1];
  return day !== undefined && isoDate.safeParse(day).success ? day : new Refusal(`not a date: ${quote(text)}`);
}

function toBoolean(text: string): boolean | Refusal {
  const lower = text.toLowerCase();
  if (lower === '1' || lower === 'true') return true;
  if (lower === '0' || lower === 'false') return false;
  return new Refusal(`not a boolean (1, 0, true or false): ${quote(text)}`);
}

/** Workday sends counts and line numbers as xsd:decimal: "3" or "3.0". */
function toWholeNumber(text: string): number | Refusal {
  const digits = /^\+?(\d+)(?:\.0*)?$/.exec(text)?.[1];
  const value = digits === undefined ? Number.NaN : Number(digits);
  return Number.isSafeInteger(value) ? value : new Refusal(`not a whole number: ${quote(text)}`);
}

function toDecimal(text: string): string | Refusal {
  return isDecimal(text) ? text : new Refusal(`not a decimal amount: ${quote(text)}`);
}

export const { required: text, optional: optionalText } = leaf((value) => value);
export const { required: decimal, optional: optionalDecimal } = leaf(toDecimal);
export const { required: date, optional: optionalDate } = leaf(toDate);
export const { optional: optionalBoolean } = leaf(toBoolean);
export const { required: wholeNumber, optional: optionalWholeNumber } = leaf(toWholeNumber);

/** An element with children, read leniently: unknown children are ignored. */
export function group<S extends z.ZodRawShape>(shape: S) {
  return z.object(shape, element);
}

export function optionalGroup<S extends z.ZodRawShape>(shape: S) {
  return z.preprocess(emptyToUndefined, group(shape).optional()).optional();
}

/** A repeated element (forced to an array by the parser); absent means none. */
export function list<T extends z.ZodType>(item: T) {
  return z.array(item).default([]);
}

/** The first of a repeated element, reported at the element's own path. */
export function first<T extends z.ZodType>(item: T) {
  return z.preprocess((node) => (Array.isArray(node) ? node[0] : node), item);
}

const referenceElement = z.object(
  {
    ID: z
      .array(
        z.union([
          z.string(),
          z.object({
            '#text': z.string().optional(),
            '@_type': z.string().optional(),
            '@_parent_id': z.string().optional(),
            '@_parent_type': z.string().optional(),
          }),
        ]),
      )
      .optional(),
    '@_Descriptor': z.string().optional(),
  },
  element,
);
type ReferenceElement = z.output<typeof referenceElement>;

interface TypedId {
  type: string;
  value: string;
  index: number;
  /** `wd:parent_id` / `wd:parent_type`: the instance an ID is unique within (a PO line's Line_Number in its PO). */
  parent?: { id: string; type?: string };
}

/** The typed IDs of a reference in document order; Workday sends one per type, so a repeat keeps the first. */
function typedIds(node: ReferenceElement): TypedId[] {
  const seen = new Set<string>();
  const ids: TypedId[] = [];
  node.ID?.forEach((id, index) => {
    if (typeof id === 'string') return;
    const { '@_type': type, '#text': value, '@_parent_id': parentId, '@_parent_type': parentType } = id;
    if (type === undefined || value === undefined || value === '' || seen.has(type)) return;
    seen.add(type);
    const parent = parentId === undefined || parentId === '' ? undefined : compact({ id: parentId, type: parentType });
    ids.push(compact({ type, value, index, parent }));
  });
  return ids;
}

function toReference(node: ReferenceElement, ctx: z.RefinementCtx): Reference {
  let wid: string | undefined;
  const ids = new Map<string, string>();
  const parents = new Map<string, { id: string; type?: string }>();
  for (const id of typedIds(node)) {
    if (id.type !== 'WID') {
      ids.set(id.type, id.value);
      if (id.parent !== undefined) parents.set(id.type, id.parent);
    } else if (WID.test(id.value)) wid = id.value;
    else issue(ctx, `not a 32-character Workday WID: ${quote(id.value)}`, ['ID', id.index]);
  }
  return compact({
    wid,
    ids: Object.fromEntries(ids),
    parents: parents.size === 0 ? undefined : Object.fromEntries(parents),
    descriptor: node['@_Descriptor'],
  });
}

/** A reference (`<X_Reference wd:Descriptor><ID wd:type>…`) as `{ wid, ids, descriptor }`. */
export const reference = referenceElement.transform(toReference);
export const optionalReference = z.preprocess(emptyToUndefined, reference.optional()).optional();

function businessIds(ref: Reference): string {
  const pairs = Object.entries(ref.ids).map(([type, value]) => `${type}=${value}`);
  return pairs.length === 0 ? '' : ` (${pairs.join(', ')})`;
}

/** The reference naming the record itself: its WID is the record key, so it must be there. */
export const identity = reference.transform((ref, ctx) => {
  if (ref.wid === undefined) {
    issue(ctx, `no ID of type WID${businessIds(ref)}`);
    return z.NEVER;
  }
  return { ...ref, wid: ref.wid };
});

/** A Currency_Reference read as its ISO 4217 Currency_ID. */
export const currency = reference.transform((ref, ctx) => {
  const code = ref.ids.Currency_ID;
  if (code === undefined || !CURRENCY.test(code)) {
    issue(ctx, code === undefined ? 'no ID of type Currency_ID' : `not an ISO 4217 currency code: ${quote(code)}`);
    return z.NEVER;
  }
  return code;
});

// Organisation worktags (cost center, region, company, custom organisation) carry this generic type beside their
// specific one, in no fixed order (v45.1 Cash_Management.wsdl, Accounting_WorktagReferenceEnumeration).
const GENERIC_WORKTAG_TYPE = 'Organization_Reference_ID';

/** Every non-WID ID of a worktag, the specific one first; a worktag with only a WID says nothing we can map. */
function toWorktag(node: ReferenceElement | undefined): Worktag | undefined {
  const ids = node === undefined ? [] : typedIds(node).filter((candidate) => candidate.type !== 'WID');
  const main = ids.find((candidate) => candidate.type !== GENERIC_WORKTAG_TYPE) ?? ids[0];
  if (node === undefined || main === undefined) return undefined;
  const others = ids.filter((candidate) => candidate !== main);
  return compact({
    type: main.type,
    id: main.value,
    otherIds: others.length === 0 ? undefined : Object.fromEntries(others.map((other) => [other.type, other.value])),
    descriptor: node['@_Descriptor'],
  });
}

/** Repeated `Worktags_Reference` (lines) or `Worktag_Reference` (splits); several of one type are all kept. */
export const worktags = list(
  z.preprocess(emptyToUndefined, referenceElement.optional()).transform(toWorktag),
).transform((tags) => tags.filter((tag) => tag !== undefined));

/** The non-WID ID of the given type, else the first non-WID ID. */
export function businessId(ref: Reference | undefined, preferred: string): string | undefined {
  if (ref === undefined) return undefined;
  return ref.ids[preferred] ?? Object.values(ref.ids)[0];
}

type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops undefined properties, so optional fields are absent rather than present and undefined. */
export function compact<T extends Record<string, unknown>>(value: T): Compact<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Compact<T>;
}

/** zod issues as `{ path, message }`, the path in XML element names (`Goods_Line_Data[2].Extended_Amount`). */
export function toIssues(error: z.ZodError, root: string): ConfigIssue[] {
  return error.issues.map((problem) => {
    let path = '';
    for (const segment of problem.path) {
      path += typeof segment === 'number' ? `[${segment}]` : `${path === '' ? '' : '.'}${String(segment)}`;
    }
    return { path: path === '' ? root : path, message: problem.message };
  });
}
