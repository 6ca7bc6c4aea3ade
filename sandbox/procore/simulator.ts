import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Fault, FaultPlan } from '../faults';
import { invalidToken, TokenStore } from './auth';
import { CallLog } from './call-log';
import type { RequestContext, SimulatorCore } from './context';
import { ApiError, isRecord, type Json, paramMissing, parseBody, type Reply, readBody } from './http';
import { DEFAULT_RATE_LIMIT, DEFAULT_SWITCHES, type ProcoreSimulatorOptions, type ProcoreSwitches } from './options';
import { RateLimiter, type RateReport } from './rate-limit';
import { operationIdOf, type RouteMatch, Router } from './router';
import { allRoutes } from './routes';
import {
  allowSyncItemId,
  documentedOnly,
  loadOperations,
  missingFields,
  type Operation,
  unknownFields,
  unknownQueryParameters,
} from './schema-check';
import { ProcoreState } from './state';

/** A simulated Procore REST API (auth host and API host on one handler), with its data open to tests. */
export interface ProcoreSimulator {
  /** Handles the request if the path is one of Procore's (`/oauth/…`, `/rest/…`); returns false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** In-memory data, readable and editable by tests as a person would edit it in the UI. */
  state: ProcoreState;
  calls: CallLog;
  faults: FaultPlan;
  /** Hourly and spike quotas; tests may change `limits` or call `setRemaining`. */
  rateLimiter: RateLimiter;
  /** The switches in force; tests may change them between requests. */
  switches: ProcoreSwitches;
  setNow(fn: () => number): void;
  /** Every issued token becomes expired. */
  expireTokens(): void;
  /** The next `times` writes to that direct cost answer 409. */
  forceConflict(directCostId: number, times?: number): void;
  /** Releases requests held by timeout faults (call before closing the server). */
  dispose(): void;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT']);
const THROTTLED_TEXT =
  'You have surpassed the max number of requests for an hour. Please wait until your limit resets.';
const MISSING_COMPANY_TEXT =
  'Missing Procore-Company-Id header! Every request to the Procore API must name the company it is for in the ' +
  'Procore-Company-Id header.';

/** One request on its way through the pipeline. */
interface Pending {
  req: IncomingMessage;
  url: URL;
  rest: boolean;
  method: string;
  match: RouteMatch | undefined;
  raw: Buffer;
  /** Direct-cost write locks taken by the handler; released after the response. */
  locks: Set<number>;
  /** The quota window the response reports. */
  rate?: RateReport;
}

/** Creates a simulator; serve it with `startProcoreSimulator` or call `handle` from your own server. */
export function createProcoreSimulator(options: ProcoreSimulatorOptions): ProcoreSimulator {
  return new Simulator(options);
}

class Simulator implements ProcoreSimulator {
  readonly state: ProcoreState;
  readonly calls = new CallLog();
  readonly faults: FaultPlan;
  readonly rateLimiter: RateLimiter;
  readonly switches: ProcoreSwitches;
  private now: () => number;
  private readonly router = new Router(allRoutes);
  private readonly operations: Map<string, Operation> | undefined;
  private readonly core: SimulatorCore;
  private readonly conflicts = new Map<number, number>();
  private readonly busy = new Set<number>();
  private readonly holds = new Set<() => void>();

  constructor(private readonly options: ProcoreSimulatorOptions) {
    this.now = options.now ?? Date.now;
    const clock = () => this.now();
    this.switches = { ...DEFAULT_SWITCHES, ...options.switches };
    this.faults = options.faults ?? new FaultPlan();
    this.rateLimiter = new RateLimiter({ ...(options.rateLimit ?? DEFAULT_RATE_LIMIT) }, clock);
    const stateOptions = {
      companyId: options.companyId,
      now: clock,
      segmentItemIdEqualsResourceId: this.switches.segmentItemIdEqualsResourceId,
    };
    this.state = new ProcoreState(
      options.companyName === undefined ? stateOptions : { ...stateOptions, companyName: options.companyName },
    );
    if (options.strict ?? true) {
      this.operations = loadOperations(options.schemaDir);
      // Every route must be a published Procore operation: a template typo would otherwise serve a path Procore lacks.
      for (const route of allRoutes) {
        const id = operationIdOf(route);
        if (!this.operations.has(id)) {
          throw new Error(`route ${route.method} ${route.template} has no endpoint schema file ${id}.json`);
        }
      }
    }
    this.core = {
      state: this.state,
      switches: this.switches,
      tokens: new TokenStore(this.state, clock),
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      lockDirectCost: (ctx, id) => this.lockDirectCost(ctx, id),
    };
  }

  setNow(fn: () => number): void {
    this.now = fn;
  }

  expireTokens(): void {
    this.core.tokens.expireAll();
  }

  private retryAfter429(seconds: string): Record<string, string> {
    return this.switches.retryAfterOn429 ? { 'Retry-After': seconds } : {};
  }

  forceConflict(directCostId: number, times = 1): void {
    this.conflicts.set(directCostId, (this.conflicts.get(directCostId) ?? 0) + times);
  }

  dispose(): void {
    for (const release of [...this.holds]) release();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const rest = url.pathname.startsWith('/rest/');
    if (!rest && !url.pathname.startsWith('/oauth/')) return false;
    const method = (req.method ?? 'GET').toUpperCase();
    const match = this.router.match(method, url.pathname);
    const write = rest && WRITE_METHODS.has(method);
    this.calls.begin(match ? `${method} ${match.route.template}` : `${method} (unmatched)`, write);
    const requestId = randomUUID();
    const raw = await readBody(req);

    const fault = this.faults.next(write);
    if (fault?.type === 'drop' || fault?.type === 'timeout') {
      if (fault.type === 'timeout') await this.hold(req);
      this.calls.dropped += 1;
      req.socket.destroy();
      return true;
    }

    const pending: Pending = { req, url, rest, method, match, raw, locks: new Set() };
    let reply: Reply;
    try {
      reply = this.faultReply(fault, pending) ?? (await this.process(pending, fault?.type === 'tokenExpiry'));
    } catch (error) {
      reply = error instanceof ApiError ? error.reply : { status: 500, body: { errors: 'Internal Server Error' } };
    }

    try {
      if (this.options.latencyMs) await sleep(this.options.latencyMs);
      if (fault?.type === 'lostResponse') {
        // The write is applied; only the response is lost, as when a connection dies after the commit.
        this.calls.dropped += 1;
        req.socket.destroy();
        return true;
      }
      send(res, url.pathname.startsWith('/rest/v2.0/') ? toV2Error(reply) : reply, requestId, pending.rate);
      this.calls.finish(reply.status);
      return true;
    } finally {
      for (const id of pending.locks) this.busy.delete(id);
    }
  }

  /** The answer of a server-error or throttle fault; such requests never reach a handler. */
  private faultReply(fault: Fault | undefined, pending: Pending): Reply | undefined {
    if (fault?.type === 'serverError') {
      // Procore sends Retry-After with 503 under heavy load.
      return fault.status === 503
        ? { status: 503, body: { errors: 'Service Unavailable' }, headers: { 'Retry-After': '1' } }
        : { status: fault.status, body: { errors: 'Internal Server Error' } };
    }
    if (fault?.type === 'throttle') {
      pending.rate = { limit: this.rateLimiter.limits.spike, remaining: 0, reset: Math.ceil(this.now() / 1000) + 1 };
      return { status: 429, text: THROTTLED_TEXT, headers: this.retryAfter429('1') };
    }
    return undefined;
  }

  /** Auth, quota and company checks for `/rest/`, then routing, the schema check and the handler. */
  private async process(pending: Pending, expireToken: boolean): Promise<Reply> {
    const { req, url, method, match, raw } = pending;
    if (pending.rest) {
      const throttled = this.admit(pending, expireToken);
      if (throttled) return throttled;
    }
    if (!match) throw new ApiError(404, { errors: 'Not Found' });
    const body = BODY_METHODS.has(method) ? parseBody(raw, req.headers['content-type']) : undefined;
    if (pending.rest) this.checkCompanyAgreement(url, match, body);
    this.checkSchema(method, url, match, body);
    const ctx: RequestContext = {
      core: this.core,
      state: this.state,
      switches: this.switches,
      method,
      url,
      params: match.params,
      query: url.searchParams,
      headers: req.headers,
      body,
      rawBody: raw,
      companyId: this.options.companyId,
      locks: pending.locks,
    };
    const reply = await match.route.handler(ctx);
    const response = this.operations?.get(match.operationId)?.response;
    if (response === undefined || reply.status >= 300 || reply.body === undefined) return reply;
    return { ...reply, body: documentedOnly(response, reply.body) as Json };
  }

  /**
   * Token, then quota, then company header: failed calls past the token check count against the quota, as
   * Procore's do. Returns the 429 reply when the quota is spent.
   */
  private admit(pending: Pending, expireToken: boolean): Reply | undefined {
    const header = pending.req.headers['procore-company-id'];
    const company = typeof header === 'string' ? header.trim() : '';
    const rateKey = company || '-';
    let token = this.core.tokens.fromHeader(pending.req.headers.authorization);
    if (token && expireToken) {
      this.core.tokens.expire(token);
      token = undefined;
    }
    if (!token) {
      pending.rate = this.rateLimiter.peek(rateKey);
      throw invalidToken();
    }
    const decision = this.rateLimiter.take(rateKey);
    pending.rate = decision.report;
    if (!decision.allowed) {
      return { status: 429, text: THROTTLED_TEXT, headers: this.retryAfter429(String(decision.retryAfter)) };
    }
    if (!company) throw ApiError.text(this.switches.missingCompanyHeaderStatus, MISSING_COMPANY_TEXT);
    if (company !== String(this.options.companyId)) {
      throw new ApiError(403, { errors: 'App is not connected to this company' });
    }
    return undefined;
  }

  /** A `company_id` in the path, query or body must agree with the header. */
  private checkCompanyAgreement(url: URL, match: RouteMatch, body: unknown): void {
    const named = [match.params.company_id, url.searchParams.get('company_id') ?? undefined];
    if (isRecord(body) && (typeof body.company_id === 'number' || typeof body.company_id === 'string')) {
      named.push(String(body.company_id));
    }
    for (const value of named) {
      if (value !== undefined && value !== '' && value !== String(this.options.companyId)) {
        throw new ApiError(403, { errors: 'The company_id does not match the Procore-Company-Id header' });
      }
    }
  }

  /**
   * The request against its published operation: query parameters it lists, the required top-level keys (400,
   * as strong parameters' `require`), required fields inside them (a model validation), and no unknown field.
   */
  private checkSchema(method: string, url: URL, match: RouteMatch, body: unknown): void {
    const operation = this.operations?.get(match.operationId);
    if (!operation) return;
    const rest = url.pathname.startsWith('/rest/');
    const queries = unknownQueryParameters(operation, url.searchParams, method);
    if (rest && queries.length > 0) {
      throw new ApiError(400, {
        errors: Object.fromEntries(queries.map((name) => [name, ['is not a parameter of this endpoint']])),
      });
    }
    const schema = operation.body;
    if (!schema || !BODY_METHODS.has(method)) return;
    if (rest) {
      const missing = missingFields(schema, body);
      const [top] = missing.top;
      if (top !== undefined) throw paramMissing(top);
      if (missing.nested.length > 0) {
        throw new ApiError(this.switches.nestedRequiredStatus, {
          errors: Object.fromEntries(missing.nested.map((path) => [path, ["can't be blank"]])),
        });
      }
    }
    const unknown = unknownFields(schema, body, match.operationId.endsWith('SyncPatch') ? allowSyncItemId : undefined);
    if (unknown.length > 0) {
      throw new ApiError(400, { errors: Object.fromEntries(unknown.map((path) => [path, ['is not a known field']])) });
    }
  }

  private lockDirectCost(ctx: RequestContext, id: number): void {
    const forced = this.conflicts.get(id) ?? 0;
    const conflict = () =>
      new ApiError(409, {
        errors: 'Another request is changing this direct cost; direct costs do not support concurrent requests',
      });
    if (forced > 0) {
      this.conflicts.set(id, forced - 1);
      throw conflict();
    }
    if (ctx.locks.has(id)) return;
    if (this.busy.has(id)) throw conflict();
    this.busy.add(id);
    ctx.locks.add(id);
  }

  private hold(req: IncomingMessage): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        req.socket.off('close', release);
        this.holds.delete(release);
        resolve();
      };
      const timer = setTimeout(release, this.options.timeoutHoldMs ?? 30_000);
      req.socket.once('close', release);
      this.holds.add(release);
    });
  }
}

/** v2.0 routes answer errors in the standard v2 shape: `{error: {code, message, details: [{reason_code, message, source}]}}`. */
function toV2Error(reply: Reply): Reply {
  if (reply.status < 400 || reply.body === undefined) return reply;
  const code = (STATUS_CODES[reply.status] ?? 'Error').toUpperCase().replace(/[^A-Z]+/g, '_');
  const errors = isRecord(reply.body) ? reply.body.errors : undefined;
  const details: Json[] = [];
  let message = typeof errors === 'string' ? errors : code.replace(/_/g, ' ').toLowerCase();
  if (isRecord(errors)) {
    message = 'Validation failed';
    for (const [source, messages] of Object.entries(errors)) {
      for (const m of Array.isArray(messages) ? messages : [messages]) {
        details.push({ reason_code: 'INVALID_PROPERTY', message: String(m), source });
      }
    }
  }
  return { ...reply, body: { error: { code, message, details } } };
}

function send(res: ServerResponse, reply: Reply, requestId: string, rate: RateReport | undefined): void {
  const headers: Record<string, string> = { 'X-Request-Id': requestId };
  if (rate) {
    headers['X-Rate-Limit-Limit'] = String(rate.limit);
    headers['X-Rate-Limit-Remaining'] = String(rate.remaining);
    headers['X-Rate-Limit-Reset'] = String(rate.reset);
  }
  let payload = '';
  if (reply.text !== undefined) {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    payload = reply.text;
  } else if (reply.body !== undefined) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(reply.body);
  } else if (reply.status !== 204) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  Object.assign(headers, reply.headers);
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}
