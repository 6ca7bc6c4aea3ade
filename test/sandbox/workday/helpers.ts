import { parseXml } from '../../../lambdas/shared/xml';
import { FaultPlan } from '../../../sandbox/faults';
import { startWorkdaySimulator, type WorkdaySimulator, type WorkdaySimulatorOptions } from '../../../sandbox/workday';

/** Shared harness for the Workday simulator specs: a loopback simulator, request builders, response readers. */

export const TENANT = 'acme_impl';
export const ISU = { username: 'ISU_Procore', password: 'S3cret&<pw>' };
export const OAUTH = { clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'refresh-1' };
export const WSS_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
export const PASSWORD_DIGEST =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
/** 2024-06-03T10:00:00-07:00 (Pacific daylight time). */
export const T0 = Date.parse('2024-06-03T17:00:00Z');

/** The list elements a careful client forces to arrays. */
export const LISTS = new Set([
  'ID',
  'Supplier',
  'Purchase_Order',
  'Purchase_Order_Data',
  'Supplier_Invoice',
  'Supplier_Invoice_Data',
  'Supplier_Invoice_Adjustment',
  'Supplier_Invoice_Adjustment_Data',
  'Goods_Line_Data',
  'Service_Line_Data',
  'Invoice_Line_Replacement_Data',
  'Worktags_Reference',
  'Worktag_Reference',
  'Goods_Purchase_Order_Line_Split_Data',
  'Service_Purchase_Order_Line_Split_Data',
  'Supplier_Invoice_Split_Line_Data',
  'Validation_Error',
  'Tax_ID_Data',
  'Settlement_Account_Data',
  'Address_Data',
  'Address_Line_Data',
  'Phone_Data',
  'Email_Address_Data',
  'Supplier_Status_Data',
]);

export type Json = Record<string, unknown>;

export interface Harness {
  url: string;
  sim: WorkdaySimulator;
  /** The fake clock (ms); the simulator and its store read it. */
  clock: { now: number };
  close(): Promise<void>;
}

/** Starts a simulator on loopback with a fake clock at T0. */
export async function startHarness(options: Partial<WorkdaySimulatorOptions> = {}): Promise<Harness> {
  const clock = { now: T0 };
  const { url, sim, close } = await startWorkdaySimulator({
    tenant: TENANT,
    isu: ISU,
    oauth: OAUTH,
    now: () => clock.now,
    faults: new FaultPlan(),
    ...options,
  });
  return { url, sim, clock, close };
}

export type Auth =
  | { kind: 'wsse'; username?: string; password?: string; passwordType?: string | null; extra?: string }
  | { kind: 'none' }
  | { kind: 'bearer'; token: string };

export interface CallOptions {
  version?: string;
  tenant?: string;
  service?: string;
  /** `bsvc:version` on the request element; null leaves it out. */
  requestVersion?: string | null;
  auth?: Auth;
  descriptors?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function securityHeader(auth: Auth): string {
  if (auth.kind !== 'wsse') return '';
  const type = auth.passwordType === null ? '' : ` Type="${auth.passwordType ?? PASSWORD_TEXT}"`;
  return (
    `<wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="${WSS_NS}"><wsse:UsernameToken>` +
    `<wsse:Username>${escapeXml(auth.username ?? `${ISU.username}@${TENANT}`)}</wsse:Username>` +
    `<wsse:Password${type}>${escapeXml(auth.password ?? ISU.password)}</wsse:Password>${auth.extra ?? ''}` +
    '</wsse:UsernameToken></wsse:Security>'
  );
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A SOAP 1.1 envelope with WS-Security (by default) around one `bsvc:` request element. */
export function envelope(operation: string, inner: string, options: CallOptions = {}): string {
  const auth = options.auth ?? { kind: 'wsse' };
  const version = options.requestVersion === undefined ? (options.version ?? 'v45.1') : options.requestVersion;
  const versionAttr = version === null ? '' : ` bsvc:version="${version}"`;
  const common =
    options.descriptors === undefined
      ? ''
      : `<bsvc:Workday_Common_Header><bsvc:Include_Reference_Descriptors_In_Response>${options.descriptors}</bsvc:Include_Reference_Descriptors_In_Response></bsvc:Workday_Common_Header>`;
  return (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:bsvc="urn:com.workday/bsvc">' +
    `<soapenv:Header>${securityHeader(auth)}${common}</soapenv:Header>` +
    `<soapenv:Body><bsvc:${operation}_Request${versionAttr}>${inner}</bsvc:${operation}_Request></soapenv:Body>` +
    '</soapenv:Envelope>'
  );
}

export interface SoapReply {
  status: number;
  text: string;
  headers: Headers;
  doc: Json;
}

export function endpoint(url: string, options: CallOptions = {}): string {
  return `${url}/ccx/service/${options.tenant ?? TENANT}/${options.service ?? 'Resource_Management'}/${options.version ?? 'v45.1'}`;
}

/** POSTs a raw SOAP document and parses the reply (when it is XML). */
export async function post(url: string, xml: string, options: CallOptions = {}): Promise<SoapReply> {
  const auth = options.auth;
  const response = await fetch(endpoint(url, options), {
    method: 'POST',
    body: xml,
    headers: {
      'content-type': 'text/xml;charset=UTF-8',
      soapaction: '""',
      ...(auth?.kind === 'bearer' ? { authorization: `Bearer ${auth.token}` } : {}),
      ...options.headers,
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  const doc = text.startsWith('<') ? parseXml(text, { arrays: LISTS }) : {};
  return { status: response.status, text, headers: response.headers, doc };
}

/** Calls one Get_* operation (`Get_Suppliers`…) with the given request content. */
export function call(url: string, operation: string, inner = '', options: CallOptions = {}): Promise<SoapReply> {
  return post(url, envelope(operation, inner, options), options);
}

/** Walks a parsed document by element names; through a list it follows the first element. */
export function dig(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const step of path) {
    if (Array.isArray(current)) current = current[0];
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[step];
  }
  return current;
}

export function asJson(value: unknown): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected an element, got ${JSON.stringify(value)}`);
  }
  return value as Json;
}

/** The element, or the first of a list of them. */
export function one(value: unknown): Json {
  return asJson(Array.isArray(value) ? value[0] : value);
}

export function asList(value: unknown): Json[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(asJson);
}

/** The `Get_X_Response` element. */
export function responseOf(reply: SoapReply, operation: string): Json {
  return asJson(dig(reply.doc, 'Envelope', 'Body', `${operation}_Response`));
}

/** Results of a Get_* reply (`Supplier`, `Purchase_Order`…). */
export function results(reply: SoapReply, operation: string, item: string): Json[] {
  return asList(dig(responseOf(reply, operation), 'Response_Data', item));
}

export function responseResults(reply: SoapReply, operation: string): Record<string, string> {
  return asJson(dig(responseOf(reply, operation), 'Response_Results')) as Record<string, string>;
}

/** `{type: value}` of a reference element's IDs. */
export function ids(reference: unknown): Record<string, string> {
  return Object.fromEntries(asList(dig(reference, 'ID')).map((id) => [String(id['@_type']), String(id['#text'])]));
}

export interface ParsedFault {
  faultcode: string;
  faultstring: string;
  detail: unknown;
  errors: Json[];
}

export function faultOf(reply: SoapReply): ParsedFault {
  const fault = asJson(dig(reply.doc, 'Envelope', 'Body', 'Fault'));
  return {
    faultcode: String(fault.faultcode),
    faultstring: String(fault.faultstring),
    detail: fault.detail,
    errors: asList(dig(fault, 'detail', 'Validation_Fault', 'Validation_Error')),
  };
}

/** Request_References with one reference per `[type, value]`. */
export function references(element: string, refs: readonly (readonly [string, string])[], attrs = ''): string {
  const inner = refs.map(
    ([type, value]) => `<bsvc:${element}><bsvc:ID bsvc:type="${type}">${escapeXml(value)}</bsvc:ID></bsvc:${element}>`,
  );
  return `<bsvc:Request_References${attrs}>${inner.join('')}</bsvc:Request_References>`;
}

export function filter(fields: Record<string, string | number>): string {
  const inner = Object.entries(fields).map(([name, value]) => `<bsvc:${name}>${value}</bsvc:${name}>`);
  return `<bsvc:Response_Filter>${inner.join('')}</bsvc:Response_Filter>`;
}

export function criteria(inner: string): string {
  return `<bsvc:Request_Criteria>${inner}</bsvc:Request_Criteria>`;
}

export function refCriterion(element: string, type: string, value: string): string {
  return `<bsvc:${element}><bsvc:ID bsvc:type="${type}">${escapeXml(value)}</bsvc:ID></bsvc:${element}>`;
}

/** POSTs a form to the token endpoint. */
export async function tokenRequest(
  url: string,
  form: Record<string, string>,
  options: { basic?: [string, string] | null; tenant?: string } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const basic = options.basic === undefined ? [OAUTH.clientId, OAUTH.clientSecret] : options.basic;
  const response = await fetch(`${url}/ccx/oauth2/${options.tenant ?? TENANT}/token`, {
    method: 'POST',
    body: new URLSearchParams(form).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic ? { authorization: `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}` } : {}),
    },
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {}, headers: response.headers };
}

/** Refreshes with the configured refresh token and returns the access token. */
export async function accessToken(url: string, refreshToken = OAUTH.refreshToken): Promise<string> {
  const { body } = await tokenRequest(url, { grant_type: 'refresh_token', refresh_token: refreshToken });
  return String(body.access_token);
}
