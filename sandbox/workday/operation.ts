import { type CriteriaScope, invalidIdIssue, type Predicate, unknownCriteria } from './criteria';
import { type GetRequest, type RequestedReference, readGetRequest } from './get-request';
import { type ValidationIssue, validationFault } from './soap-faults';
import type { SoapRequest } from './soap-request';
import type { RecordTable, SnapshotEntry, Stored, WorkdayStore } from './store';
import type { WorkdaySwitches } from './switches';
import { formatDate, formatDateTime } from './time';
import { attr, childNames, childText, isNode, list, parseBoolean, textOf, type XmlNode } from './xml-read';
import {
  bool,
  escapeText,
  type IdPair,
  leaf,
  node,
  type RenderContext,
  raw,
  reference,
  SOAP_ENV_NS,
  WD_NS,
  type Xml,
} from './xml-writer';

/** Everything one Get_* operation knows about its records: lookup, criteria and serialisation. */
export interface OperationSpec<T extends { wid: string }> {
  /** Operation name, e.g. `Get_Suppliers`. */
  name: string;
  /** Element of one result inside Response_Data, e.g. `Supplier`. */
  itemElement: string;
  /** Reference element in Request_References and in each result, e.g. `Supplier_Reference`. */
  referenceElement: string;
  /** Schema type of Request_Criteria, named in messages. */
  criteriaType: string;
  /** `wd:type` values accepted in Request_References. */
  idTypes: readonly string[];
  /** Request_Criteria elements in schema order. */
  criteriaElements: readonly string[];
  /** Whether responses carry Extended_Amount (for the nonNumericAmount corruption). */
  hasAmounts: boolean;
  table(store: WorkdayStore): RecordTable<T>;
  /** Business IDs of the record's own reference, by `wd:type`. */
  ids(record: T): IdPair[];
  descriptor(record: T): string;
  /** Validates criteria (pushing issues) and returns the filter. */
  criteria(criteria: XmlNode, scope: CriteriaScope, issues: ValidationIssue[], store: WorkdayStore): Predicate<T>;
  /** The `X_Data` element(s) of one result. */
  data(record: Stored<T>, ctx: RenderContext): Xml;
}

/** Per-request inputs of an operation run. */
export interface OperationRun {
  soap: SoapRequest;
  store: WorkdayStore;
  now: number;
  /** Version echoed on the response element. */
  version: string;
  switches: WorkdaySwitches;
}

/** The response of one operation run, and the page it served (for first-page latency). */
export interface OperationResult {
  xml: Xml;
  page: number;
}

/** A Get_* operation with its record type erased, so operations of different types share one registry. */
export interface Operation {
  name: string;
  hasAmounts: boolean;
  run(input: OperationRun): OperationResult;
}

/** Binds a spec to the generic request → snapshot → filter → page → response pipeline. */
export function defineOperation<T extends { wid: string }>(spec: OperationSpec<T>): Operation {
  return { name: spec.name, hasAmounts: spec.hasAmounts, run: (input) => runOperation(spec, input) };
}

function renderContext(switches: WorkdaySwitches, descriptors: boolean): RenderContext {
  const timeZone = switches.tenantTimeZone;
  return {
    descriptors,
    booleansAsDigits: switches.booleansAsDigits,
    datesWithZoneOffset: switches.datesWithZoneOffset,
    timeZone,
    poLineIdMatchesInvoiceReference: switches.poLineIdMatchesInvoiceReference,
    supplierWidgetWrappers: switches.supplierWidgetWrappers,
    phoneFormatAttributes: switches.phoneFormatAttributes,
    organizationWorktagsWithGenericId: switches.organizationWorktagsWithGenericId,
    poLineReferencesByLineNumber: switches.poLineReferencesByLineNumber,
    poLineWorktagsData: switches.poLineWorktagsData,
    date: (value) => (value === undefined ? undefined : formatDate(value, timeZone, switches.datesWithZoneOffset)),
    dateTime: (ms) => formatDateTime(ms, timeZone),
  };
}

function xpathFor(soap: SoapRequest): (...steps: string[]) => string {
  const p = soap.prefix ? `${soap.prefix}:` : '';
  return (...steps) => [soap.element, ...steps].map((s) => `/${p}${s.includes('[') ? s : `${s}[1]`}`).join('');
}

function runOperation<T extends { wid: string }>(spec: OperationSpec<T>, input: OperationRun): OperationResult {
  const { soap, store, now } = input;
  const xpath = xpathFor(soap);
  const { switches } = input;
  const ctx = renderContext(switches, soap.includeDescriptors || switches.descriptorsWhenNotRequested);
  const request = readGetRequest(soap.body, spec.referenceElement, {
    now,
    timeZone: ctx.timeZone,
    rejectUnknownElements: switches.rejectUnknownCriteria,
    xpath,
  });
  const snapshot = spec.table(store).snapshot(request.asOfEntry);
  const scope: CriteriaScope = {
    now,
    timeZone: ctx.timeZone,
    rejectUnknownElements: switches.rejectUnknownCriteria,
    xpath,
    asOf: request.asOfEntry,
    dateBoundsInclusive: switches.dateBoundsInclusive,
    rejectFutureToDate: switches.rejectFutureToDate,
    updatedWindowMatchesAnyEntry: switches.updatedWindowMatchesAnyEntry,
    statusCriteriaIgnoreCase: switches.statusCriteriaIgnoreCase,
  };
  const { selected, resolved } = select(spec, request, snapshot, scope, store);

  const total = selected.length;
  const start = (request.page - 1) * request.count;
  const pageEntries = selected.slice(start, start + request.count);
  const items = pageEntries.map(({ record }) =>
    node(spec.itemElement, [
      request.includeReference
        ? reference(spec.referenceElement, ctx, record.wid, spec.ids(record), spec.descriptor(record))
        : '',
      spec.data(record, ctx),
    ]),
  );

  const body = node(
    `${spec.name}_Response`,
    [
      request.references ? echoReferences(spec, request, resolved, ctx) : '',
      request.criteria ? echoCriteria(request.criteria, spec.criteriaElements) : '',
      echoFilter(request, ctx),
      echoGroup(request, ctx),
      node('Response_Results', [
        leaf('Total_Results', String(total)),
        leaf('Total_Pages', String(Math.ceil(total / request.count))),
        leaf('Page_Results', String(pageEntries.length)),
        leaf('Page', String(request.page)),
      ]),
      items.length > 0 ? node('Response_Data', items) : '',
    ],
    { 'xmlns:wd': WD_NS, 'wd:version': input.version },
  );
  const xml = `<?xml version='1.0' encoding='UTF-8'?>${raw('env:Envelope', raw('env:Body', body), { 'xmlns:env': SOAP_ENV_NS })}`;
  return { xml, page: request.page };
}

/** The records a request asks for, in result order: referenced ones (deduplicated), filtered ones, or all. */
function select<T extends { wid: string }>(
  spec: OperationSpec<T>,
  request: GetRequest,
  snapshot: SnapshotEntry<T>[],
  scope: CriteriaScope,
  store: WorkdayStore,
): { selected: SnapshotEntry<T>[]; resolved: (SnapshotEntry<T> | undefined)[] } {
  if (request.references) {
    const resolved = resolveReferences(spec, request.references, request.skipNonExisting, snapshot, scope.xpath);
    const seen = new Set<string>();
    const selected = resolved.filter((e): e is SnapshotEntry<T> => {
      if (!e || seen.has(e.record.wid)) return false;
      seen.add(e.record.wid);
      return true;
    });
    return { selected, resolved };
  }
  if (request.criteria) {
    const issues = unknownCriteria(request.criteria, spec.criteriaElements, spec.criteriaType, scope);
    const predicate = spec.criteria(request.criteria, scope, issues, store);
    if (issues.length > 0) throw validationFault(issues);
    return { selected: snapshot.filter(predicate), resolved: [] };
  }
  return { selected: snapshot, resolved: [] };
}

function resolveReferences<T extends { wid: string }>(
  spec: OperationSpec<T>,
  references: readonly RequestedReference[],
  skipNonExisting: boolean,
  snapshot: readonly SnapshotEntry<T>[],
  xpath: (...steps: string[]) => string,
): (SnapshotEntry<T> | undefined)[] {
  const issues: ValidationIssue[] = [];
  const byId = new Map<string, SnapshotEntry<T>>();
  for (const entry of snapshot) {
    byId.set(`WID\u0000${entry.record.wid}`, entry);
    for (const [type, value] of spec.ids(entry.record)) {
      if (value !== undefined) byId.set(`${type}\u0000${value}`, entry);
    }
  }
  const resolved = references.map((ref) => {
    let found: SnapshotEntry<T> | undefined;
    ref.ids.forEach((id, i) => {
      const at = xpath('Request_References', `${spec.referenceElement}[${ref.position}]`, `ID[${i + 1}]`);
      if (!spec.idTypes.includes(id.type)) {
        if (!skipNonExisting) {
          issues.push({
            message: `Invalid ID type.  '${id.type}' is not a valid ID type for ${spec.referenceElement}`,
            xpath: at,
            code: 'INVALID_ID_TYPE',
          });
        }
        return;
      }
      const entry = byId.get(`${id.type}\u0000${id.value}`);
      if (entry) found ??= entry;
      else if (!skipNonExisting) issues.push(invalidIdIssue(id, at));
    });
    return found;
  });
  if (issues.length > 0) throw validationFault(issues);
  return resolved;
}

function echoReferences<T extends { wid: string }>(
  spec: OperationSpec<T>,
  request: GetRequest,
  resolved: readonly (SnapshotEntry<T> | undefined)[],
  ctx: RenderContext,
): Xml {
  const refs = (request.references ?? []).map((ref, i) => {
    const entry = resolved[i];
    // Resolved references come back complete (every ID, descriptor); the rest as they were sent.
    if (entry) {
      const { record } = entry;
      return reference(spec.referenceElement, ctx, record.wid, spec.ids(record), spec.descriptor(record));
    }
    return node(
      spec.referenceElement,
      ref.ids.map((id) => raw('wd:ID', escapeText(id.value), { 'wd:type': id.type })),
    );
  });
  return raw('wd:Request_References', refs.join(''));
}

/** Echoes parsed criteria in schema order; attributes come back `wd:`-qualified as the schema declares them. */
function echoCriteria(criteria: XmlNode, order: readonly string[]): Xml {
  const names = childNames(criteria).sort((a, b) => rank(order, a) - rank(order, b));
  return raw('wd:Request_Criteria', names.map((name) => echoValue(name, criteria[name])).join(''));
}

function rank(order: readonly string[], name: string): number {
  const i = order.indexOf(name);
  return i === -1 ? order.length : i;
}

function echoValue(name: string, value: unknown): Xml {
  return list(value)
    .map((item) => {
      if (!isNode(item)) return raw(`wd:${name}`, escapeText(textOf(item) ?? ''));
      const attrs = Object.fromEntries(
        Object.keys(item)
          .filter((k) => k.startsWith('@_'))
          .map((k) => [`wd:${k.slice(2)}`, attr(item, k.slice(2))]),
      );
      const inner = childNames(item)
        .map((child) => echoValue(child, item[child]))
        .join('');
      return raw(`wd:${name}`, inner || escapeText(textOf(item) ?? ''), attrs);
    })
    .join('');
}

function echoFilter(request: GetRequest, ctx: RenderContext): Xml {
  return node('Response_Filter', [
    leaf('As_Of_Effective_Date', formatDate(request.asOfEffectiveDate, ctx.timeZone, ctx.datesWithZoneOffset)),
    leaf('As_Of_Entry_DateTime', formatDateTime(request.asOfEntry, ctx.timeZone)),
    leaf('Page', String(request.page)),
    leaf('Count', String(request.count)),
  ]);
}

function echoGroup(request: GetRequest, ctx: RenderContext): Xml {
  const attachments = parseBoolean(childText(request.responseGroup, 'Include_Attachment_Data'));
  return node('Response_Group', [
    leaf('Include_Reference', bool(ctx, request.includeReference)),
    leaf('Include_Attachment_Data', bool(ctx, attachments)),
  ]);
}
