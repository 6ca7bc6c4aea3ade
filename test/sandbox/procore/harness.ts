import {
  type BudgetCode,
  type CostCode,
  type CostType,
  type ProcoreSimulator,
  type ProcoreSimulatorOptions,
  type Project,
  startProcoreSimulator,
  type Vendor,
} from '../../../sandbox/procore';

export const COMPANY_ID = 562_949_953_000_001;
export const CLIENT_ID = 'sandbox-client';
export const CLIENT_SECRET = 'sandbox-secret';
export const START = Date.parse('2026-06-01T12:00:00Z');

/** A settable clock for the simulator. */
export interface Clock {
  now: () => number;
  advance(ms: number): void;
}

/** A reply read whole: status, headers, and the body parsed when it is JSON. */
export interface ApiReply<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Leave out the Authorization header. */
  noAuth?: boolean;
  /** Leave out Procore-Company-Id. */
  noCompany?: boolean;
  signal?: AbortSignal;
}

/** A running simulator, a token for it, and a small client. */
export interface Harness {
  url: string;
  sim: ProcoreSimulator;
  clock: Clock;
  token: string;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<ApiReply<T>>;
  get<T = unknown>(path: string, options?: RequestOptions): Promise<ApiReply<T>>;
  close(): Promise<void>;
}

/** Reads a fetch Response whole. */
export async function readReply<T>(res: Response): Promise<ApiReply<T>> {
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('application/json') && text !== '';
  return { status: res.status, headers: res.headers, text, json: (isJson ? JSON.parse(text) : undefined) as T };
}

/** Asks the simulator for a client-credentials token. */
export async function fetchToken(url: string): Promise<string> {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

/** Starts a simulator on loopback with a fake clock and fetches a token. */
export async function startHarness(options: Partial<ProcoreSimulatorOptions> = {}): Promise<Harness> {
  let t = START;
  const clock: Clock = {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
  const running = await startProcoreSimulator({
    companyId: COMPANY_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    now: clock.now,
    ...options,
  });
  const token = await fetchToken(running.url);
  const request = async <T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiReply<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (!opts.noAuth) headers.Authorization = `Bearer ${token}`;
    if (!opts.noCompany) headers['Procore-Company-Id'] = String(COMPANY_ID);
    const init: RequestInit = { method, headers };
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    if (opts.signal) init.signal = opts.signal;
    return readReply<T>(await fetch(`${running.url}${path}`, init));
  };
  return {
    url: running.url,
    sim: running.sim,
    clock,
    token,
    request,
    get: (path, opts) => request('GET', path, opts),
    close: running.close,
  };
}

/** The smallest useful company: a project with a cost code, cost type, budget code and a vendor in its directory. */
export interface Basics {
  project: Project;
  costCode: CostCode;
  costType: CostType;
  budgetCode: BudgetCode;
  vendor: Vendor;
}

/** Seeds `Basics` the way the data generator would. */
export function seedBasics(sim: ProcoreSimulator): Basics {
  const { state } = sim;
  const project = state.addProject({ name: 'Harbor Tower', project_number: 'P-100' });
  const division = state.addCostCode(project.id, { code: '03', name: 'Concrete' });
  const costCode = state.addCostCode(project.id, { code: '300', name: 'Cast-in-Place', parent_id: division.id });
  const costType = state.addCostType({ name: 'Materials', code: 'M', base_type: 'materials' });
  const budgetCode = state.addBudgetCode(project.id, costCode.id, costType.id);
  const vendor = state.addVendor({ name: 'Acme Concrete', origin_id: 'WD-SUP-1', origin_code: 'S-0001' });
  state.addVendorToProject(project.id, vendor.id);
  return { project, costCode, costType, budgetCode, vendor };
}
