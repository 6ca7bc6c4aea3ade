/**
 * A string-building XML writer for the simulator's responses: `wd:`-prefixed elements, escaped text,
 * and empty optional elements left out, as Workday leaves them out.
 */

/** Workday's web-service namespace. */
export const WD_NS = 'urn:com.workday/bsvc';
/** SOAP 1.1 envelope namespace. */
export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

/** Attributes by qualified name; undefined values are left out. */
export type Attrs = Record<string, string | undefined>;
/** Serialised XML; empty string means "nothing to emit". */
export type Xml = string;
type Content = Xml | undefined | false;

/** Escapes character data (`&`, `<`, `>`). */
export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value, including whitespace characters that attribute normalisation would eat. */
export function escapeAttr(value: string): string {
  return escapeText(value)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#xa;')
    .replace(/\r/g, '&#xd;')
    .replace(/\t/g, '&#x9;');
}

function attributes(attrs: Attrs | undefined): string {
  if (!attrs) return '';
  return Object.entries(attrs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttr(value)}"`)
    .join('');
}

function hasAttributes(attrs: Attrs | undefined): boolean {
  return attrs !== undefined && Object.values(attrs).some((v) => v !== undefined);
}

/** A text-only `wd:` element; omitted when `value` is undefined or empty. */
export function leaf(name: string, value: string | undefined, attrs?: Attrs): Xml {
  if (value === undefined || value === '') return '';
  return `<wd:${name}${attributes(attrs)}>${escapeText(value)}</wd:${name}>`;
}

/** A `wd:` element with child elements; omitted when it has neither children nor attributes. */
export function node(name: string, children: readonly Content[], attrs?: Attrs): Xml {
  const inner = children.filter((c): c is Xml => typeof c === 'string').join('');
  if (inner === '' && !hasAttributes(attrs)) return '';
  return `<wd:${name}${attributes(attrs)}>${inner}</wd:${name}>`;
}

/** An element with an explicit (possibly non-`wd`) qualified name, always emitted. */
export function raw(qualifiedName: string, inner: Xml, attrs?: Attrs): Xml {
  return `<${qualifiedName}${attributes(attrs)}>${inner}</${qualifiedName}>`;
}

/** The choices a response is rendered with (descriptors, boolean and date styles). */
export interface RenderContext {
  descriptors: boolean;
  booleansAsDigits: boolean;
  datesWithZoneOffset: boolean;
  timeZone: string;
  poLineIdMatchesInvoiceReference: boolean;
  supplierWidgetWrappers: boolean;
  phoneFormatAttributes: boolean;
  organizationWorktagsWithGenericId: boolean;
  poLineReferencesByLineNumber: boolean;
  poLineWorktagsData: boolean;
  /** Formats an xsd:date (`YYYY-MM-DD` in, Workday's style out). */
  date(value: string | undefined): string | undefined;
  /** Formats an instant as xsd:dateTime in tenant time. */
  dateTime(ms: number): string;
}

/** A boolean in the response's style (`1`/`0` or `true`/`false`). */
export function bool(ctx: RenderContext, value: boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (ctx.booleansAsDigits) return value ? '1' : '0';
  return value ? 'true' : 'false';
}

/** One ID of a reference: `[wd:type, value]`; entries with an undefined value are skipped. */
export type IdPair = readonly [type: string, value: string | undefined];

/** A reference element: `wd:Descriptor` (when asked for) and one `wd:ID` per type, WID first. */
export function reference(
  name: string,
  ctx: RenderContext,
  wid: string | undefined,
  ids: readonly IdPair[],
  descriptor: string | undefined,
): Xml {
  const all: IdPair[] = [['WID', wid], ...ids];
  const inner = all
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined && pair[1] !== '')
    .map(([type, value]) => `<wd:ID wd:type="${escapeAttr(type)}">${escapeText(value)}</wd:ID>`);
  if (inner.length === 0) return '';
  return node(name, inner, { 'wd:Descriptor': ctx.descriptors ? descriptor : undefined });
}
