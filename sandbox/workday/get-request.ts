import { type ValidationIssue, validationFault } from './soap-faults';
import { localDate, parseDate, parseDateTime } from './time';
import { attr, child, childNames, childText, isNode, list, parseBoolean, textOf, type XmlNode } from './xml-read';

/** One ID inside a requested reference. */
export interface RequestedId {
  type: string;
  value: string;
}

/** One `X_Reference` of `Request_References`, with its 1-based position for Xpaths. */
export interface RequestedReference {
  position: number;
  ids: RequestedId[];
}

/** The parts every Get_* request shares, validated. */
export interface GetRequest {
  references: RequestedReference[] | undefined;
  /** `Skip_Non_Existing_Instances` or `Ignore_Invalid_References` on Request_References. */
  skipNonExisting: boolean;
  criteria: XmlNode | undefined;
  page: number;
  count: number;
  asOfEntry: number;
  asOfEffectiveDate: string;
  includeReference: boolean;
  responseGroup: XmlNode | undefined;
}

/** Where faults point and what "now" is while a request is read. */
export interface RequestScope {
  now: number;
  timeZone: string;
  rejectUnknownElements: boolean;
  /** Xpath of a descendant of the request element, e.g. `xpath('Response_Filter', 'Page')`. */
  xpath(...steps: string[]): string;
}

const TOP_LEVEL = ['Request_References', 'Request_Criteria', 'Response_Filter', 'Response_Group'];
/** Response_Filter/Count bounds and default, from the WSDL documentation. */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 999;

/** Reads Request_References / Request_Criteria / Response_Filter / Response_Group; throws a validation fault. */
export function readGetRequest(body: XmlNode, referenceElement: string, scope: RequestScope): GetRequest {
  const issues: ValidationIssue[] = [];
  if (scope.rejectUnknownElements) {
    for (const name of childNames(body).filter((n) => !TOP_LEVEL.includes(n))) {
      issues.push({
        message: `Element '${name}' is not expected here; expected one of ${TOP_LEVEL.join(', ')}.`,
        xpath: scope.xpath(name),
        code: 'UNEXPECTED_ELEMENT',
      });
    }
  }
  const referencesNode = child(body, 'Request_References');
  const criteria = child(body, 'Request_Criteria');
  if (referencesNode && criteria) {
    issues.push({
      message: 'Request_References and Request_Criteria cannot both be submitted; submit one or the other.',
      xpath: scope.xpath('Request_Criteria'),
      code: 'REFERENCES_AND_CRITERIA',
    });
  }

  const filter = child(body, 'Response_Filter');
  const page = readWholeNumber(filter, 'Page', 1, scope, issues);
  if (page === 0) {
    issues.push({
      message: 'Page Number cannot be zero.',
      xpath: scope.xpath('Response_Filter', 'Page'),
      code: 'PAGE_ZERO',
    });
  }
  const count = readWholeNumber(filter, 'Count', DEFAULT_COUNT, scope, issues);
  if (count !== undefined && (count < 1 || count > MAX_COUNT)) {
    issues.push({
      message: `Count must be between 1 and ${MAX_COUNT}.`,
      xpath: scope.xpath('Response_Filter', 'Count'),
      code: 'COUNT_OUT_OF_RANGE',
    });
  }
  const asOfEntry = readAsOf(filter, scope, issues);
  const effectiveText = childText(filter, 'As_Of_Effective_Date');
  const asOfEffectiveDate = effectiveText ? parseDate(effectiveText) : localDate(scope.now, scope.timeZone);
  if (!asOfEffectiveDate) {
    issues.push({
      message: `'${effectiveText}' is not a valid date for As_Of_Effective_Date.`,
      xpath: scope.xpath('Response_Filter', 'As_Of_Effective_Date'),
      code: 'INVALID_DATE',
    });
  }
  const group = child(body, 'Response_Group');

  if (issues.length > 0) throw validationFault(issues);
  return {
    references: referencesNode ? readReferenceList(referencesNode, referenceElement) : undefined,
    skipNonExisting:
      parseBoolean(attr(referencesNode, 'Skip_Non_Existing_Instances')) === true ||
      parseBoolean(attr(referencesNode, 'Ignore_Invalid_References')) === true,
    criteria,
    page: page ?? 1,
    count: count ?? DEFAULT_COUNT,
    asOfEntry: asOfEntry ?? scope.now,
    asOfEffectiveDate: asOfEffectiveDate ?? localDate(scope.now, scope.timeZone),
    includeReference: parseBoolean(childText(group, 'Include_Reference')) ?? true,
    responseGroup: group,
  };
}

function readWholeNumber(
  filter: XmlNode | undefined,
  name: string,
  fallback: number,
  scope: RequestScope,
  issues: ValidationIssue[],
): number | undefined {
  const text = childText(filter, name)?.trim();
  if (text === undefined || text === '') return fallback;
  // xsd:decimal with fractionDigits 0: "2" and "2.0" are whole numbers, "2.5" and "-1" are not.
  if (!/^\d{1,12}(\.0*)?$/.test(text)) {
    issues.push({
      message: `'${text}' is not a valid whole number for ${name}.`,
      xpath: scope.xpath('Response_Filter', name),
      code: 'INVALID_NUMBER',
    });
    return undefined;
  }
  return Number.parseInt(text, 10);
}

function readAsOf(filter: XmlNode | undefined, scope: RequestScope, issues: ValidationIssue[]): number | undefined {
  const text = childText(filter, 'As_Of_Entry_DateTime');
  if (text === undefined || text.trim() === '') return undefined;
  const ms = parseDateTime(text, scope.timeZone);
  if (ms === undefined) {
    issues.push({
      message: `'${text}' is not a valid date and time for As_Of_Entry_DateTime.`,
      xpath: scope.xpath('Response_Filter', 'As_Of_Entry_DateTime'),
      code: 'INVALID_DATETIME',
    });
  }
  return ms;
}

/** The references of one kind in a Request_References or criteria element, as typed IDs. */
export function readReferenceList(parent: XmlNode | undefined, name: string): RequestedReference[] {
  if (!isNode(parent)) return [];
  return list(parent[name]).map((ref, i) => ({
    position: i + 1,
    ids: list(isNode(ref) ? ref.ID : undefined).map((id) => ({
      type: attr(id, 'type') ?? '',
      value: (textOf(id) ?? '').trim(),
    })),
  }));
}
