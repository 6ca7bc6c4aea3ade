import { WorkdayError } from '../shared/errors';
import { redactText } from '../shared/logger';
import { parseXml, XmlError } from '../shared/xml';
import { group, isRecord, list, optionalGroup, optionalText, toIssues, wholeNumber } from './xml-fields';

/** Paging figures of a Get_* response. */
export interface ResponseResults {
  totalResults: number;
  totalPages: number;
  pageResults: number;
  page: number;
}

/** Elements that repeat in the four Get_* responses and in faults; forced to arrays even when one is sent. */
const REPEATING = new Set([
  'Supplier',
  'Purchase_Order',
  'Purchase_Order_Data',
  'Goods_Line_Data',
  'Service_Line_Data',
  'Deliverables_Line_Data',
  'Contingent_Worker_Line_Data',
  'Goods_Purchase_Order_Line_Split_Data',
  'Service_Purchase_Order_Line_Split_Data',
  'Deliverables_Purchase_Order_Line_Split_Data',
  'Purchase_Order_Line_Worktags_Data',
  'Supplier_Invoice',
  'Supplier_Invoice_Data',
  'Supplier_Invoice_Adjustment',
  'Supplier_Invoice_Adjustment_Data',
  'Invoice_Line_Replacement_Data',
  'Supplier_Invoice_Split_Line_Data',
  'Worktags_Reference',
  'Worktag_Reference',
  'ID',
  'Tax_ID_Data',
  'Tax_ID_Widget_Data',
  'Address_Data',
  'Address_Line_Data',
  'Phone_Data',
  'Email_Address_Data',
  'Web_Address_Data',
  'Supplier_Status_Data',
  'Settlement_Account_Data',
  'Validation_Error',
]);

const MAX_FAULT_TEXT = 500;

const responseResults = group({
  Response_Results: group({
    Total_Results: wholeNumber,
    Total_Pages: wholeNumber,
    Page_Results: wholeNumber,
    Page: wholeNumber,
  }),
});

const faultElement = group({
  faultcode: optionalText,
  faultstring: optionalText,
  detail: optionalGroup({
    Validation_Fault: optionalGroup({
      Validation_Error: list(group({ Message: optionalText, Detail_Message: optionalText, Xpath: optionalText })),
    }),
    Processing_Fault: optionalGroup({ Detail_Message: optionalText }),
  }),
});

const THROTTLED = /throttl|too many requests|rate limit/i;
// Workday writes its own transient server errors as processing faults that ask for a retry.
const RETRY_ASKED = /unexpected error|try again|retry the request|temporarily/i;

// Fault text comes from Workday, but is scrubbed and capped anyway: it ends up in logs and exit messages.
function clean(text: string): string {
  const scrubbed = redactText(text);
  return scrubbed.length > MAX_FAULT_TEXT ? `${scrubbed.slice(0, MAX_FAULT_TEXT)}…` : scrubbed;
}

/** A SOAP 1.1 fault (`faultcode`, `faultstring`, Workday's `detail`) as the WorkdayError it stands for. */
function faultError(fault: unknown): WorkdayError {
  const parsed = faultElement.safeParse(fault);
  if (!parsed.success) {
    return new WorkdayError(
      'processing',
      'Workday returned a SOAP fault whose faultcode and faultstring cannot be read',
    );
  }
  const { faultcode = '', faultstring, detail } = parsed.data;
  const context = { faultCode: clean(faultcode) };
  const code = faultcode.toLowerCase();
  const reason = faultstring === undefined ? undefined : clean(faultstring);

  if (code.endsWith('client.authenticationerror')) {
    return new WorkdayError(
      'authentication',
      `Workday rejected the credentials (${reason ?? 'authentication error'}): check the integration system user ` +
        '(user@tenant) and its password, or the OAuth client and refresh token, and that the account is not locked',
      { context },
    );
  }
  if (code.endsWith('client.validationerror')) {
    const errors = detail?.Validation_Fault?.Validation_Error ?? [];
    const messages = errors.flatMap((error) => {
      const message = error.Message ?? error.Detail_Message;
      if (message === undefined) return [];
      return [clean(error.Xpath === undefined ? message : `${message} (at ${error.Xpath})`)];
    });
    const listed = messages.length > 0 ? messages.join('; ') : (reason ?? 'no message');
    return new WorkdayError('validation', `Workday refused the request as invalid: ${listed}`, { context });
  }
  const detailMessage = detail?.Processing_Fault?.Detail_Message;
  const extra = detailMessage === undefined || reason?.includes(detailMessage) ? undefined : clean(detailMessage);
  const said = [reason, extra].filter((part) => part !== undefined).join(' – ');
  if (code.endsWith('server.processingerror') && THROTTLED.test(said)) {
    return new WorkdayError('throttled', `Workday is throttling requests (${said}); retry later`, { context });
  }
  if (code.endsWith('server.processingerror') && RETRY_ASKED.test(said) && !/not authorized/i.test(said)) {
    return new WorkdayError('unavailable', `Workday had a transient error (${said}); it will be retried`, { context });
  }
  if (code.endsWith('server.processingerror')) {
    const fix = /not authorized/i.test(said)
      ? ": give the integration system user's security group Get access to the domain of this operation"
      : '';
    return new WorkdayError('processing', `Workday could not process the request (${said || 'no message'})${fix}`, {
      context,
    });
  }
  return new WorkdayError(
    'processing',
    `Workday returned SOAP fault ${context.faultCode || '(no faultcode)'}: ${said || 'no message'}`,
    { context },
  );
}

function soapBody(tree: Record<string, unknown>): Record<string, unknown> | undefined {
  const envelope = tree.Envelope;
  const body = isRecord(envelope) ? envelope.Body : undefined;
  return isRecord(body) ? body : undefined;
}

/** For an HTTP 500 (or any) body: the SOAP fault as a typed WorkdayError, or undefined if the body is not a fault. */
export function parseSoapFault(xml: string): WorkdayError | undefined {
  try {
    const body = soapBody(parseXml(xml, { arrays: REPEATING }));
    return body === undefined || !('Fault' in body) ? undefined : faultError(body.Fault);
  } catch (error) {
    if (error instanceof XmlError) return undefined;
    throw error;
  }
}

/** What a page parser needs to find its records: `Get_Suppliers` → `Get_Suppliers_Response/Response_Data/Supplier`. */
export interface ResponseShape {
  operation: string;
  item: string;
}

const MAX_NAMES = 10;

/** The child element names of a node, for a message: a few, each clipped, as a hostile page may hold thousands. */
function elementNames(node: Record<string, unknown>): string {
  const names = Object.keys(node).filter((key) => !key.startsWith('@_') && !key.startsWith('?'));
  if (names.length === 0) return 'nothing';
  const shown = names.slice(0, MAX_NAMES).map((name) => (name.length > 60 ? `${name.slice(0, 60)}…` : name));
  return names.length > MAX_NAMES ? `${shown.join(', ')} and ${names.length - MAX_NAMES} more` : shown.join(', ');
}

/**
 * Reads the envelope of one Get_* response page: its Response_Results and the raw record elements.
 * Throws a WorkdayError: the fault's own, or `malformed` for anything that is not a well-formed page.
 */
export function readResponsePage(xml: string, shape: ResponseShape): { results: ResponseResults; items: unknown[] } {
  const what = `Workday ${shape.operation} response`;
  const malformed = (problem: string, cause?: unknown) =>
    new WorkdayError('malformed', `${what} ${problem}`, {
      context: { operation: shape.operation },
      ...(cause === undefined ? {} : { cause }),
    });

  let tree: Record<string, unknown>;
  try {
    tree = parseXml(xml, { arrays: REPEATING });
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    throw malformed(
      `is not XML the connector accepts (${error.message}); if this repeats, check the Workday base URL ` +
        'and any proxy between the connector and Workday',
      error,
    );
  }
  const body = soapBody(tree);
  if (body === undefined) {
    throw malformed(`is not a SOAP envelope with a Body (found ${elementNames(tree)}); check the Workday base URL`);
  }
  if ('Fault' in body) throw faultError(body.Fault);

  const response = body[`${shape.operation}_Response`];
  if (!isRecord(response)) {
    throw malformed(`has no ${shape.operation}_Response in the SOAP Body (found ${elementNames(body)})`);
  }
  const results = responseResults.safeParse(response);
  if (!results.success) {
    const problems = toIssues(results.error, 'Response_Results').map((i) => `${i.path}: ${i.message}`);
    throw malformed(`has unusable paging figures (${problems.join('; ')})`);
  }
  const { Total_Results, Total_Pages, Page_Results, Page } = results.data.Response_Results;

  const data = response.Response_Data;
  const items = data === undefined || data === '' ? [] : isRecord(data) ? (data[shape.item] ?? []) : undefined;
  if (!Array.isArray(items)) throw malformed(`has a Response_Data that is not a list of ${shape.item} elements`);
  // Page_Results is the count of records on this page: a mismatch means records were lost, not that there are none.
  if (items.length !== Page_Results) {
    throw malformed(
      `says Page_Results ${Page_Results} but holds ${items.length} ${shape.item} element(s); the page is inconsistent`,
    );
  }
  return {
    results: { totalResults: Total_Results, totalPages: Total_Pages, pageResults: Page_Results, page: Page },
    items,
  };
}
