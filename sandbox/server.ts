import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseCustomerConfig } from '../lambdas/config/loader';
import type { CustomerConfigInput } from '../lambdas/config/schema';
import { FAULT_PROFILES, FaultPlan, type FaultProfileName } from './faults';
import type { ProcoreSwitches } from './procore/options';
import { createProcoreSimulator, type ProcoreSimulator } from './procore/simulator';
import { type Firm, generateFirm } from './seed/firm';
import { LazyWorkdayStore } from './seed/lazy-store';
import type { Scale } from './seed/scale';
import { createWorkdaySimulator, type WorkdaySimulator } from './workday/simulator';
import type { WorkdaySwitches } from './workday/switches';

/** How to start the sandbox; every field has a default. */
export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Seed of the data and of both fault plans; default 1. */
  seed?: number;
  /** Default `firm`. */
  scale?: Scale;
  /** Default `none`. */
  faults?: FaultProfileName;
  /** Workday auth the written config uses; default `isu`. */
  workdayAuth?: 'isu' | 'oauth';
  /** Workday returns a new refresh token on every refresh (and the old one stops working). */
  rotateRefreshTokens?: boolean;
  latency?: { workdayMs?: number; procoreMs?: number };
  /** Procore's hourly and 10-second spike limits; default the simulator's (3,600 and 100). */
  rateLimit?: { hourly: number; spike: number };
  /** The simulated clock of both systems (and the day the data is generated for); default `Date.now`. */
  now?: () => number;
  /** Procore rejects request fields its endpoint schema lacks; default true. */
  strict?: boolean;
  switches?: { workday?: Partial<WorkdaySwitches>; procore?: Partial<ProcoreSwitches> };
  /** How long a timeout fault holds a request before dropping it, if the client has not given up; default 60 s (Workday) and 30 s (Procore). */
  timeoutHoldMs?: number;
  /** Sees every request before it is handled and every answer before it is sent (crash campaigns). */
  observer?: RequestObserver;
}

/** One request as an observer sees it. */
export interface ObservedRequest {
  /** 1-based, across both systems, since the sandbox started. */
  seq: number;
  system: 'workday' | 'procore' | 'other';
  method: string;
  /** The path with numeric ids as `{id}`, e.g. `/rest/v1.0/projects/{id}/vendors/{id}/actions/add`. */
  route: string;
  /** A Workday SOAP call (one page of one operation), as opposed to its token endpoint. */
  soap: boolean;
  /** A Procore REST write: POST, PATCH, PUT or DELETE under `/rest/`. */
  write: boolean;
}

/** `drop` destroys the connection: before the request is applied, or (from `response`) after it was. */
export type ObserverVerdict = 'drop' | undefined;

/** Hooks called synchronously, so an observer can act (e.g. kill the client) at an exact point. */
export interface RequestObserver {
  /** Before the simulators see the request. */
  request?(request: ObservedRequest): ObserverVerdict;
  /** After the simulator applied the request, when it starts its answer (`status`), before anything is sent. */
  response?(request: ObservedRequest, status: number): ObserverVerdict;
}

/** A partial customer config laid over the sandbox's (objects merge, lists and values replace). */
export type ConfigOverrides = DeepPartial<CustomerConfigInput>;

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** A running sandbox: both simulators on one loopback port, the firm they serve, and its credentials. */
export interface Sandbox {
  /** Base URL of both systems, e.g. `http://127.0.0.1:49152`. */
  url: string;
  workday: WorkdaySimulator;
  procore: ProcoreSimulator;
  firm: Firm;
  /** Environment variable → value, as the README's "Credentials" names them (the sandbox's own fake ones). */
  credentials: Record<string, string>;
  /** Writes `<customerId>.json` into `dir`: a valid config pointing both systems at `url`; returns its path. */
  writeConfig(dir: string, overrides?: ConfigOverrides): Promise<string>;
  close(): Promise<void>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, overrides: unknown): unknown {
  if (!isObject(base) || !isObject(overrides)) return overrides === undefined ? base : overrides;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) merged[key] = merge(base[key], value);
  return merged;
}

/** The sandbox's fake credentials for a seed. */
function fakeCredentials(seed: number) {
  return {
    isu: { username: 'ISU_Procore_Sync', password: `wd-sandbox-${seed}-pass` },
    oauth: {
      clientId: `wd-sandbox-client-${seed}`,
      clientSecret: `wd-sandbox-secret-${seed}`,
      refreshToken: `wd-sandbox-refresh-${seed}`,
    },
    procore: { clientId: `procore-sandbox-client-${seed}`, clientSecret: `procore-sandbox-secret-${seed}` },
  };
}

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function describeRequest(req: IncomingMessage, seq: number): ObservedRequest {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
  const system = path.startsWith('/ccx/') ? 'workday' : /^\/(rest|oauth)\//.test(path) ? 'procore' : 'other';
  return {
    seq,
    system,
    method,
    route: path.replace(/\/\d+(?=\/|$)/g, '/{id}'),
    soap: system === 'workday' && path.startsWith('/ccx/service/'),
    write: path.startsWith('/rest/') && WRITE_METHODS.has(method),
  };
}

/**
 * Lets the observer drop a request before it is handled (true: handled), and wraps `writeHead` so it can
 * drop the answer of an applied request instead of sending it.
 */
function observe(observer: RequestObserver, request: ObservedRequest, req: IncomingMessage, res: ServerResponse) {
  if (observer.request?.(request) === 'drop') {
    req.socket.destroy();
    return true;
  }
  if (observer.response === undefined) return false;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  let dropped = false;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (!dropped && observer.response?.(request, status) === 'drop') {
      dropped = true;
      // Nothing of the answer may leave: later writes go nowhere and the socket is gone.
      res.write = (() => true) as typeof res.write;
      res.end = (() => res) as typeof res.end;
      req.socket.destroy();
    }
    return dropped ? res : writeHead(status, ...rest);
  }) as typeof res.writeHead;
  return false;
}

function sendNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ errors: 'Not Found' }));
}

/** Starts the Workday and Procore simulators of a generated firm on one loopback port. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now;
  const rates = FAULT_PROFILES[options.faults ?? 'none'];
  const auth = options.workdayAuth ?? 'isu';
  const firm = generateFirm({ seed, scale: options.scale ?? 'firm', now: now() });
  const fake = fakeCredentials(seed);
  const workday = createWorkdaySimulator({
    tenant: firm.layout.tenant,
    isu: fake.isu,
    oauth: { ...fake.oauth, ...(options.rotateRefreshTokens ? { rotateRefreshTokens: true } : {}) },
    now,
    faults: new FaultPlan(rates, seed * 2 + 1),
    ...(options.latency?.workdayMs ? { latencyMs: options.latency.workdayMs } : {}),
    ...(options.timeoutHoldMs === undefined ? {} : { timeoutMs: options.timeoutHoldMs }),
    ...(options.switches?.workday ? { switches: options.switches.workday } : {}),
    ...(firm.layout.spec.lazy ? { store: new LazyWorkdayStore(now) } : {}),
  });
  const procore = createProcoreSimulator({
    companyId: firm.layout.companyId,
    companyName: firm.layout.companyName,
    clientId: fake.procore.clientId,
    clientSecret: fake.procore.clientSecret,
    now,
    faults: new FaultPlan(rates, seed * 2 + 2),
    strict: options.strict ?? true,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.latency?.procoreMs ? { latencyMs: options.latency.procoreMs } : {}),
    ...(options.timeoutHoldMs === undefined ? {} : { timeoutHoldMs: options.timeoutHoldMs }),
    ...(options.switches?.procore ? { switches: options.switches.procore } : {}),
  });
  firm.loadInto(workday, procore);

  let seq = 0;
  const { observer } = options;
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    if (observer && observe(observer, describeRequest(req, ++seq), req, res)) return;
    if (await workday.handle(req, res)) return;
    if (await procore.handle(req, res)) return;
    sendNotFound(res);
  };
  const server = createServer((req, res) => {
    route(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('sandbox error');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;

  const workdayVariables: Record<string, string> =
    auth === 'isu'
      ? { WORKDAY_USERNAME: `${fake.isu.username}@${firm.layout.tenant}`, WORKDAY_PASSWORD: fake.isu.password }
      : {
          WORKDAY_CLIENT_ID: fake.oauth.clientId,
          WORKDAY_CLIENT_SECRET: fake.oauth.clientSecret,
          WORKDAY_REFRESH_TOKEN: fake.oauth.refreshToken,
        };
  const credentials = {
    ...workdayVariables,
    PROCORE_CLIENT_ID: fake.procore.clientId,
    PROCORE_CLIENT_SECRET: fake.procore.clientSecret,
  };
  const served = {
    workday: { baseUrl: url, auth },
    procore: { authBaseUrl: url, apiBaseUrl: url },
  };

  return {
    url,
    workday,
    procore,
    firm,
    credentials,
    async writeConfig(dir, overrides) {
      const config = merge(merge(firm.config, served), overrides);
      if (!isObject(config)) throw new Error('config overrides must be an object');
      const customerId = parseCustomerConfig(config, 'sandbox config').customerId;
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${customerId}.json`);
      await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
      return path;
    },
    async close() {
      procore.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
