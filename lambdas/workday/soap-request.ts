import type { CustomerConfig } from '../config/schema';
import type { Entity } from './records';

/** The Resource_Management Get_* operation of each entity, and how it is narrowed to a window. */
export interface GetOperation {
  /** `Get_Suppliers`…; the request element is `bsvc:<operation>_Request`. */
  operation: string;
  /** Element naming one instance in Request_References. */
  referenceElement: string;
  /** Request_Criteria elements taking the window's lower and upper bound (both inclusive). */
  window: readonly [from: string, to: string];
  /**
   * The Document_Status criterion, for documents whose data carries no status of its own: credit memos
   * (Supplier_Invoice_Adjustment_Data has none; its request criteria end with Invoice_Status_Reference).
   */
  statusCriterion?: string;
}

/** Suppliers and POs by entry time (Updated_*_Date); invoices and credit memos have only invoice-date criteria. */
export const GET_OPERATIONS: Readonly<Record<Entity, GetOperation>> = {
  suppliers: {
    operation: 'Get_Suppliers',
    referenceElement: 'Supplier_Reference',
    window: ['Updated_From_Date', 'Updated_To_Date'],
  },
  purchaseOrders: {
    operation: 'Get_Purchase_Orders',
    referenceElement: 'Purchase_Order_Reference',
    window: ['Updated_From_Date', 'Updated_To_Date'],
  },
  invoices: {
    operation: 'Get_Supplier_Invoices',
    referenceElement: 'Supplier_Invoice_Reference',
    window: ['Invoice_Date_On_or_After', 'Invoice_Date_On_or_Before'],
  },
  creditMemos: {
    operation: 'Get_Supplier_Invoice_Adjustments',
    referenceElement: 'Supplier_Invoice_Adjustment_Reference',
    window: ['Invoice_Date_On_or_After', 'Invoice_Date_On_or_Before'],
    statusCriterion: 'Invoice_Status_Reference',
  },
};

const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const BSVC_NS = 'urn:com.workday/bsvc';
const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** HTTP headers of every SOAP call: the WSDL declares no soapAction, so it is sent empty. */
export const SOAP_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/xml; charset=utf-8',
  soapaction: '""',
};

/** `{baseUrl}/ccx/service/{tenant}/Resource_Management/{version}`. */
export function soapEndpoint(config: Pick<CustomerConfig['workday'], 'baseUrl' | 'tenant' | 'version'>): string {
  return `${config.baseUrl}/ccx/service/${encodeURIComponent(config.tenant)}/Resource_Management/${encodeURIComponent(config.version)}`;
}

/** What one Get_* request asks for. */
export interface GetRequestInput {
  operation: GetOperation;
  version: string;
  /** WS-Security UsernameToken (ISU); absent when the call carries a bearer token instead. */
  usernameToken?: { username: string; password: string };
  /**
   * Either a window (Request_Criteria, with the Document_Status_IDs in scope where the operation filters on
   * them) or instance WIDs (Request_References); neither means "all".
   */
  select?: { window: { from: string; to: string }; statuses?: readonly string[] } | { wids: readonly string[] };
  asOf?: string;
  page: number;
  count: number;
}

/** A serialised fragment; only `el` makes one, so every text value and attribute has been escaped. */
interface Xml {
  readonly xml: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function el(name: string, content: string | readonly (Xml | undefined)[], attrs: Record<string, string> = {}): Xml {
  const attributes = Object.entries(attrs)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  const inner =
    typeof content === 'string'
      ? escapeXml(content)
      : content
          .filter((child) => child !== undefined)
          .map((child) => child.xml)
          .join('');
  return { xml: `<${name}${attributes}>${inner}</${name}>` };
}

function security(token: { username: string; password: string }): Xml {
  return el(
    'wsse:Security',
    [
      el('wsse:UsernameToken', [
        el('wsse:Username', token.username),
        el('wsse:Password', token.password, { Type: PASSWORD_TEXT }),
      ]),
    ],
    { 'soapenv:mustUnderstand': '1', 'xmlns:wsse': WSSE_NS },
  );
}

function selection(input: GetRequestInput): Xml | undefined {
  const { select, operation } = input;
  if (select === undefined) return undefined;
  if ('wids' in select) {
    const references = select.wids.map((wid) =>
      el(`bsvc:${operation.referenceElement}`, [el('bsvc:ID', wid, { 'bsvc:type': 'WID' })]),
    );
    return el('bsvc:Request_References', references);
  }
  const [from, to] = operation.window;
  const criterion = operation.statusCriterion;
  // Schema order: the status references come after the date bounds.
  const statuses =
    criterion === undefined
      ? []
      : (select.statuses ?? []).map((status) =>
          el(`bsvc:${criterion}`, [el('bsvc:ID', status, { 'bsvc:type': 'Document_Status_ID' })]),
        );
  return el('bsvc:Request_Criteria', [
    el(`bsvc:${from}`, select.window.from),
    el(`bsvc:${to}`, select.window.to),
    ...statuses,
  ]);
}

/** The SOAP 1.1 envelope of one Get_* page request (workday-api.md §1.2, §1.3). */
export function buildGetRequest(input: GetRequestInput): string {
  const request = el(
    `bsvc:${input.operation.operation}_Request`,
    [
      selection(input),
      el('bsvc:Response_Filter', [
        input.asOf === undefined ? undefined : el('bsvc:As_Of_Entry_DateTime', input.asOf),
        el('bsvc:Page', String(input.page)),
        el('bsvc:Count', String(input.count)),
      ]),
      el('bsvc:Response_Group', [el('bsvc:Include_Reference', 'true')]),
    ],
    { 'bsvc:version': input.version },
  );
  const header = el('soapenv:Header', [
    input.usernameToken === undefined ? undefined : security(input.usernameToken),
    el('bsvc:Workday_Common_Header', [el('bsvc:Include_Reference_Descriptors_In_Response', 'true')]),
  ]);
  return el('soapenv:Envelope', [header, el('soapenv:Body', [request])], {
    'xmlns:soapenv': SOAP_ENV_NS,
    'xmlns:bsvc': BSVC_NS,
  }).xml;
}
