import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultPlan } from '../faults';
import { authenticate } from './auth';
import { injectFault } from './fault-injection';
import { corruptResponse } from './hostile';
import { getSupplierInvoiceAdjustments, getSupplierInvoices } from './invoice-operations';
import { handleTokenRequest, type OAuthClientConfig, OAuthTokens } from './oauth';
import type { Operation } from './operation';
import { getPurchaseOrders } from './purchase-order-operation';
import {
  authenticationFault,
  internalErrorFault,
  notAuthorizedFault,
  serviceOrVersionFault,
  validationFault,
  WorkdayFault,
} from './soap-faults';
import { readSoapRequest, type SoapRequest } from './soap-request';
import { WorkdayStore } from './store';
import { getSuppliers } from './supplier-operation';
import { DEFAULT_SWITCHES, type WorkdaySwitches } from './switches';

/** Versions accepted unless the options say otherwise. */
export const DEFAULT_VERSIONS = ['v44.2', 'v45.0', 'v45.1', 'v46.0'];

/** How to configure a simulated tenant. */
export interface WorkdaySimulatorOptions {
  tenant: string;
  /** Accepted `vNN.N` versions. */
  versions?: string[];
  /** The ISU; clients send `username@tenant`. */
  isu: { username: string; password: string };
  oauth: OAuthClientConfig;
  now?: () => number;
  faults?: FaultPlan;
  /** Delay before every request is handled. */
  latencyMs?: number;
  /** Extra delay on page 1 of a Get_* call (Workday builds its result cache there). */
  firstPageLatencyMs?: number;
  /** How long a timeout fault holds a request when the client never gives up. */
  timeoutMs?: number;
  switches?: Partial<WorkdaySwitches>;
  store?: WorkdayStore;
}

/** Request counters: all requests, per operation (and `oauth2/token`), injected faults. */
export interface WorkdayCalls {
  total: number;
  byOperation: Record<string, number>;
  faults: number;
}

/** A simulated Workday tenant: HTTP handler, data, counters and test controls. */
export interface WorkdaySimulator {
  /** Answers Workday paths (`/ccx/…`) and returns true; returns false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  store: WorkdayStore;
  calls: WorkdayCalls;
  faults: FaultPlan;
  switches: WorkdaySwitches;
  setNow(fn: () => number): void;
  /** Every access token issued so far is expired from now on. */
  expireAccessTokens(): void;
  revokeRefreshToken(): void;
  currentRefreshToken(): string;
  /** Takes the operation's domain away from the ISU (processing fault "not authorized"). */
  denyOperation(operation: string): void;
  allowOperation(operation: string): void;
}

const OPERATIONS: Record<string, Operation> = {
  Get_Suppliers_Request: getSuppliers,
  Get_Purchase_Orders_Request: getPurchaseOrders,
  Get_Supplier_Invoices_Request: getSupplierInvoices,
  Get_Supplier_Invoice_Adjustments_Request: getSupplierInvoiceAdjustments,
};

const SOAP_PATH = /^\/ccx\/service\/([^/]+)\/([^/]+)(?:\/([^/]+))?\/?$/;
const TOKEN_PATH = /^\/ccx\/oauth2\/([^/]+)\/token\/?$/;
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const XML = 'text/xml;charset=UTF-8';

/** `Code` elements in faults exist from v45 on. */
function faultsHaveCodes(version: string | undefined): boolean {
  const major = Number(/^v(\d+)/.exec(version ?? '')?.[1] ?? 0);
  return major >= 45;
}

function send(res: ServerResponse, status: number, body: string | Buffer, contentType = XML, at?: number): void {
  // The Date header tells the time by the tenant's clock (the simulator's), as a client reading it expects.
  const date = at === undefined ? {} : { date: new Date(at).toUTCString() };
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...date });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Creates a simulator to mount on any HTTP server (see `startWorkdaySimulator` for a standalone one). */
export function createWorkdaySimulator(options: WorkdaySimulatorOptions): WorkdaySimulator {
  let now = options.now ?? Date.now;
  const clock = () => now();
  const store = options.store ?? new WorkdayStore();
  store.setClock(clock);
  const switches: WorkdaySwitches = { ...DEFAULT_SWITCHES, ...options.switches };
  const versions = options.versions ?? DEFAULT_VERSIONS;
  const faults = options.faults ?? new FaultPlan();
  const tokens = new OAuthTokens(options.oauth, clock);
  const denied = new Set<string>();
  const calls: WorkdayCalls = { total: 0, byOperation: {}, faults: 0 };

  const count = (operation: string) => {
    calls.byOperation[operation] = (calls.byOperation[operation] ?? 0) + 1;
  };

  /** Draws the request's fault and applies it; `answered` when the fault took the request over. */
  async function applyFault(req: IncomingMessage, res: ServerResponse, surface: 'soap' | 'oauth') {
    const fault = faults.next(false);
    if (!fault) return { answered: false, tokenExpired: false };
    calls.faults += 1;
    const answered = await injectFault(fault, req, res, surface, options.timeoutMs ?? 60_000);
    return { answered, tokenExpired: fault.type === 'tokenExpiry' };
  }

  /** Tenant, credentials, service, version and domain checks; throws the fault Workday would answer with. */
  function admit(
    soap: SoapRequest,
    url: { tenant: string | undefined; service: string | undefined; version: string | undefined },
    authorization: string | undefined,
    tokenExpired: boolean,
  ): { operation: Operation; version: string } | 'expired401' {
    const policy = {
      tenant: options.tenant,
      isu: options.isu,
      tokens,
      expiredBearerStatus: switches.expiredBearerStatus,
    };
    if (authenticate(soap, authorization, policy, tokenExpired) === 'expired401') return 'expired401';
    const operation = OPERATIONS[soap.element];
    const version = soap.version ?? url.version;
    const known = (v: string | undefined) => v !== undefined && versions.includes(v);
    if (url.service !== 'Resource_Management' || !known(url.version) || !known(version) || !operation || !version) {
      throw serviceOrVersionFault();
    }
    if (switches.requireQualifiedTypeAttribute && soap.unqualifiedTypeAttribute) {
      throw validationFault([
        { message: "The attribute 'type' of ID must be namespace-qualified (wd:type).", code: 'UNQUALIFIED_TYPE' },
      ]);
    }
    if (denied.has(operation.name)) throw notAuthorizedFault();
    return { operation, version };
  }

  async function handleSoap(req: IncomingMessage, res: ServerResponse, path: RegExpExecArray): Promise<void> {
    const [, tenant, service, version] = path;
    const body = await readBody(req);
    calls.total += 1;
    let soap: SoapRequest | WorkdayFault;
    try {
      soap = readSoapRequest(body ?? '');
    } catch (error) {
      if (!(error instanceof WorkdayFault)) throw error;
      soap = error;
    }
    const element = soap instanceof WorkdayFault ? 'unparsed' : soap.element;
    count(OPERATIONS[element]?.name ?? element);
    if (options.latencyMs) await sleep(options.latencyMs);
    const { answered, tokenExpired } = await applyFault(req, res, 'soap');
    if (answered) return;

    try {
      // An unknown tenant is an authentication failure, whatever else is wrong with the request.
      if (tenant !== options.tenant) throw authenticationFault();
      if (soap instanceof WorkdayFault) throw soap;
      const admitted = admit(soap, { tenant, service, version }, req.headers.authorization, tokenExpired);
      if (admitted === 'expired401') {
        send(res, 401, '', 'text/plain');
        return;
      }
      const result = admitted.operation.run({ soap, store, now: now(), version: admitted.version, switches });
      if (result.page === 1 && options.firstPageLatencyMs) await sleep(options.firstPageLatencyMs);
      const corruption = store.takeCorruption(admitted.operation.hasAmounts);
      send(res, 200, corruption ? corruptResponse(result.xml, corruption) : result.xml, XML, now());
    } catch (error) {
      const fault = error instanceof WorkdayFault ? error : internalErrorFault();
      send(res, 500, fault.toXml(faultsHaveCodes(version)), XML, now());
    }
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse, tenant: string): Promise<void> {
    const body = await readBody(req);
    calls.total += 1;
    count('oauth2/token');
    if (options.latencyMs) await sleep(options.latencyMs);
    const { answered } = await applyFault(req, res, 'oauth');
    if (answered) return;
    handleTokenRequest(res, body ?? '', req.headers.authorization, tenant === options.tenant, options.oauth, tokens);
  }

  return {
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://simulator').pathname;
      if (!path.startsWith('/ccx/')) return false;
      const soap = SOAP_PATH.exec(path);
      const token = TOKEN_PATH.exec(path);
      if (soap && req.method === 'POST') await handleSoap(req, res, soap);
      else if (token?.[1] && req.method === 'POST') await handleToken(req, res, token[1]);
      // No WSDL is served: GET …?wsdl answers 404 like any other unknown resource.
      else if (soap || token) send(res, req.method === 'GET' ? 404 : 405, '', 'text/plain');
      else send(res, 404, '', 'text/plain');
      return true;
    },
    store,
    calls,
    faults,
    switches,
    setNow(fn) {
      now = fn;
    },
    expireAccessTokens: () => tokens.expireAll(),
    revokeRefreshToken: () => tokens.revokeRefreshToken(),
    currentRefreshToken: () => tokens.currentRefreshToken(),
    denyOperation(operation) {
      denied.add(operation);
    },
    allowOperation(operation) {
      denied.delete(operation);
    },
  };
}

/** Starts the simulator on a loopback port; `url` is the base (`http://127.0.0.1:PORT`). */
export async function startWorkdaySimulator(
  options: WorkdaySimulatorOptions,
): Promise<{ url: string; sim: WorkdaySimulator; close(): Promise<void> }> {
  const sim = createWorkdaySimulator(options);
  const server = createServer((req, res) => {
    sim
      .handle(req, res)
      .then((handled) => {
        if (!handled) send(res, 404, '', 'text/plain');
      })
      .catch(() => {
        if (!res.headersSent) send(res, 500, '', 'text/plain');
        else res.destroy();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sim,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
