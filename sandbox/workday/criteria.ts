import type { RequestedId, RequestedReference, RequestScope } from './get-request';
import { readReferenceList } from './get-request';
import { derivedWid } from './reference-data';
import type { ValidationIssue } from './soap-faults';
import type { SnapshotEntry, WorkdayStore } from './store';
import { parseDate, parseDateTime } from './time';
import { childNames, childText, type XmlNode } from './xml-read';
import type { IdPair } from './xml-writer';

/** What criteria need beyond the request scope: the snapshot moment and the semantic switches. */
export interface CriteriaScope extends RequestScope {
  asOf: number;
  dateBoundsInclusive: boolean;
  rejectFutureToDate: boolean;
  updatedWindowMatchesAnyEntry: boolean;
  statusCriteriaIgnoreCase: boolean;
}

/** Whether a snapshot entry satisfies a criterion. */
export type Predicate<T> = (entry: SnapshotEntry<T>) => boolean;

/** Elements of Request_Criteria that the operation's schema does not have. */
export function unknownCriteria(
  criteria: XmlNode,
  allowed: readonly string[],
  criteriaType: string,
  scope: CriteriaScope,
): ValidationIssue[] {
  if (!scope.rejectUnknownElements) return [];
  return childNames(criteria)
    .filter((name) => !allowed.includes(name))
    .map((name) => ({
      message: `Element '${name}' is not valid for ${criteriaType}.`,
      xpath: scope.xpath('Request_Criteria', name),
      code: 'UNEXPECTED_ELEMENT',
    }));
}

/**
 * Updated_From_Date / Updated_To_Date, with the Transaction_Date_Range rules Workday documents for the
 * HCM equivalent: both or neither, From ≤ To, To not after the current moment. Compared on entry moments.
 * The From ≤ To and current-moment texts are Workday's own for these elements (v45.1 Revenue_Management.wsdl,
 * Revenue_Category_Request_CriteriaType); the both-or-neither text is modelled on the HCM one.
 */
export function updatedWindow(criteria: XmlNode, scope: CriteriaScope, issues: ValidationIssue[]): Predicate<unknown> {
  const fromText = childText(criteria, 'Updated_From_Date');
  const toText = childText(criteria, 'Updated_To_Date');
  if (fromText === undefined && toText === undefined) return () => true;
  if (fromText === undefined || toText === undefined) {
    issues.push({
      message: 'If one of Updated From Date or Updated To Date contains a value, both are Required!',
      xpath: scope.xpath('Request_Criteria', fromText === undefined ? 'Updated_From_Date' : 'Updated_To_Date'),
      code: 'UPDATED_RANGE_INCOMPLETE',
    });
    return () => false;
  }
  const from = dateTime(fromText, 'Updated_From_Date', scope, issues);
  const to = dateTime(toText, 'Updated_To_Date', scope, issues);
  if (from === undefined || to === undefined) return () => false;
  if (from > to) {
    issues.push({
      message: 'Updated From Date must be less than or equal to Updated To Date in order to possibly return any Data.',
      xpath: scope.xpath('Request_Criteria', 'Updated_From_Date'),
      code: 'UPDATED_RANGE_REVERSED',
    });
  }
  if (scope.rejectFutureToDate && to > scope.now) {
    issues.push({
      message: 'Updated To Date must be less than or equal to Current Moment',
      xpath: scope.xpath('Request_Criteria', 'Updated_To_Date'),
      code: 'UPDATED_TO_IN_FUTURE',
    });
  }
  const inWindow = (ms: number) => ms >= from && (scope.dateBoundsInclusive ? ms <= to : ms < to);
  return (entry) =>
    scope.updatedWindowMatchesAnyEntry ? entry.entries.some(inWindow) : inWindow(entry.record.enteredAt);
}

function dateTime(text: string, name: string, scope: CriteriaScope, issues: ValidationIssue[]): number | undefined {
  const ms = parseDateTime(text, scope.timeZone);
  if (ms === undefined) {
    issues.push({
      message: `'${text}' is not a valid date and time for ${name}.`,
      xpath: scope.xpath('Request_Criteria', name),
      code: 'INVALID_DATETIME',
    });
  }
  return ms;
}

/** An `X_On_or_After` / `X_On_or_Before` pair of xsd:date bounds over one date of the record. */
export function dateRange<T>(
  criteria: XmlNode,
  names: readonly [onOrAfter: string, onOrBefore: string],
  dateOf: (record: T) => string | undefined,
  scope: CriteriaScope,
  issues: ValidationIssue[],
): Predicate<T> {
  const [after, before] = names.map((name) => {
    const text = childText(criteria, name);
    if (text === undefined || text.trim() === '') return undefined;
    const date = parseDate(text);
    if (!date) {
      issues.push({
        message: `'${text}' is not a valid date for ${name}.`,
        xpath: scope.xpath('Request_Criteria', name),
        code: 'INVALID_DATE',
      });
    }
    return date;
  });
  if (after === undefined && before === undefined) return () => true;
  return ({ record }) => {
    const date = dateOf(record);
    if (date === undefined) return false;
    return (after === undefined || date >= after) && (before === undefined || date <= before);
  };
}

/** Matches records against repeated reference criteria: any reference, any of its IDs, any of the record's IDs. */
export function referenceFilter<T>(
  criteria: XmlNode,
  name: string,
  idsOf: (record: T) => readonly IdPair[],
): Predicate<T> {
  const refs = readReferenceList(criteria, name);
  if (refs.length === 0) return () => true;
  return ({ record }) => {
    const ids = idsOf(record);
    return refs.some((ref) =>
      ref.ids.some((id) => id.value !== '' && ids.some(([type, value]) => type === id.type && value === id.value)),
    );
  };
}

/** A Document_Status criterion (Invoice_Status_Reference): by WID, or by Document_Status_ID in the case the switch says. */
export function statusFilter<T>(
  criteria: XmlNode,
  name: string,
  statusOf: (record: T) => { id: string },
  scope: CriteriaScope,
): Predicate<T> {
  const refs = readReferenceList(criteria, name);
  if (refs.length === 0) return () => true;
  const same = (a: string, b: string) =>
    scope.statusCriteriaIgnoreCase ? a.toLowerCase() === b.toLowerCase() : a === b;
  return ({ record }) => {
    const { id } = statusOf(record);
    return refs.some((ref) =>
      ref.ids.some((requested) =>
        requested.type === 'WID'
          ? requested.value === derivedWid('Document_Status_ID', id)
          : requested.type === 'Document_Status_ID' && same(requested.value, id),
      ),
    );
  };
}

/** Whether a supplier reference ID names a supplier visible at `asOf`. */
export function supplierExists(store: WorkdayStore, asOf: number): (id: RequestedId) => boolean {
  const suppliers = store.suppliers.snapshot(asOf).map((e) => e.record);
  return (id) =>
    suppliers.some(
      (s) =>
        (id.type === 'WID' && s.wid === id.value) ||
        (id.type === 'Supplier_ID' && s.supplierId === id.value) ||
        (id.type === 'Supplier_Reference_ID' && s.supplierReferenceId === id.value),
    );
}

/** Invalid-ID issues for criteria references that name no existing instance. */
export function unresolvedReferences(
  refs: readonly RequestedReference[],
  element: string,
  exists: (id: RequestedId) => boolean,
  scope: CriteriaScope,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const ref of refs) {
    ref.ids.forEach((id, i) => {
      if (!exists(id)) {
        issues.push(invalidIdIssue(id, scope.xpath('Request_Criteria', `${element}[${ref.position}]`, `ID[${i + 1}]`)));
      }
    });
  }
  return issues;
}

/** Workday's message for a reference value that does not resolve (note the two spaces). */
export function invalidIdIssue(id: RequestedId, xpath: string): ValidationIssue {
  const message = `Invalid ID value.  '${id.value}' is not a valid ID value for type = '${id.type}'`;
  return { message, xpath, code: 'INVALID_ID_VALUE' };
}

/** Combines predicates with AND. */
export function allOf<T>(predicates: readonly Predicate<T>[]): Predicate<T> {
  return (entry) => predicates.every((p) => p(entry));
}
