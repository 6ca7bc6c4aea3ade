import type { CustomerConfig } from '../config/schema';
import type { PageQuery, WorkdayPage, WorkdayPager } from '../pipeline/poll';
import { ValidationError, WorkdayError } from '../shared/errors';
import { type HttpClientDeps, type RetryPolicy, sleep as realSleep } from '../shared/http';
import { createWorkdayAuthenticator, type WorkdayCredential } from './auth';
import {
  type ParsedPage,
  parseInvoiceAdjustmentsPage,
  parsePurchaseOrdersPage,
  parseSoapFault,
  parseSupplierInvoicesPage,
  parseSuppliersPage,
  type RejectedRecord,
} from './parse';
import { type Entity, KIND_OF_ENTITY, type ParsedRecord, recordKey } from './records';
import { buildGetRequest, GET_OPERATIONS, type GetRequestInput, SOAP_HEADERS, soapEndpoint } from './soap-request';
import {
  type CallLabel,
  describeCall,
  type HttpReply,
  post,
  retryAfterOf,
  TransientFailure,
  type TransportDeps,
  type WorkdayStats,
  withRetries,
} from './transport';

export interface WorkdayClientDeps extends HttpClientDeps {
  config: CustomerConfig['workday'];
  /** `invoices.statuses`: sent as Document_Status_IDs where the data has no status to filter on (credit memos). */
  invoiceStatuses: readonly string[];
  /** Per request; default 120 000 (Workday builds the page cache on page 1). Retries default to 5 attempts, 1 s base, 30 s cap. */
  timeoutMs?: number;
}

/** Workday Resource_Management over SOAP: windows paged for polling, targeted reads by WID, and a probe. */
export interface WorkdayClient extends WorkdayPager {
  readonly stats: Readonly<WorkdayStats>;
  /** Reads the given WIDs of one entity (Request_References), for replay and targeted re-reads. */
  fetchByWid(entity: Entity, wids: readonly string[]): Promise<{ records: ParsedRecord[]; rejected: RejectedRecord[] }>;
  /** One page of Count 1 of an entity: proves credentials and the domain permission (used by `ping`). Throws the typed error. */
  probe(entity: Entity): Promise<{ totalResults: number }>;
  /** Workday's current moment, from the Date of its latest answer; a probe of suppliers when there is none yet. */
  clock(): Promise<number>;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };
const DEFAULT_TIMEOUT_MS = 120_000;

const PARSERS: Readonly<Record<Entity, (xml: string) => ParsedPage<ParsedRecord>>> = {
  suppliers: parseSuppliersPage,
  purchaseOrders: parsePurchaseOrdersPage,
  invoices: parseSupplierInvoicesPage,
  creditMemos: parseInvoiceAdjustmentsPage,
};

/** One Get_* page request, before authentication is added. */
type PageRequest = Omit<GetRequestInput, 'operation' | 'version' | 'usernameToken'>;

/** A Workday client over the injected dispatcher; retries transient failures and refreshes OAuth tokens once per call. */
export function createWorkdayClient(deps: WorkdayClientDeps): WorkdayClient {
  const stats: WorkdayStats = { calls: 0, retries: 0, pages: 0 };
  const transport: TransportDeps = {
    dispatcher: deps.dispatcher,
    logger: deps.logger,
    now: deps.now,
    sleep: deps.sleep ?? realSleep,
    random: deps.random ?? Math.random,
    deadline: deps.deadline ?? (() => undefined),
    retry: deps.retry ?? DEFAULT_RETRY,
    timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    stats,
  };
  const auth = createWorkdayAuthenticator({
    config: deps.config,
    secrets: deps.secrets,
    tokens: deps.tokens,
    env: deps.env ?? process.env,
    transport,
  });
  const endpoint = soapEndpoint(deps.config);
  // Workday's clock minus ours, from the Date header of its latest answer (whole seconds, so never ahead of it).
  let clockOffsetMs: number | undefined;
  const noteClock = (reply: HttpReply) => {
    const date = reply.headers.date;
    const at = typeof date === 'string' ? Date.parse(date) : Number.NaN;
    if (Number.isFinite(at)) clockOffsetMs = at - deps.now();
  };

  /** One page, with transient retries, one malformed-page retry, and one token refresh on an auth failure. */
  async function readPage(entity: Entity, request: PageRequest): Promise<ParsedPage<ParsedRecord>> {
    const operation = GET_OPERATIONS[entity];
    const label: CallLabel = { operation: operation.operation, page: request.page };
    let refreshed = false;
    let malformedSeen = false;

    const send = async (credential: WorkdayCredential): Promise<HttpReply | TransientFailure> => {
      const body = buildGetRequest({
        ...request,
        operation,
        version: deps.config.version,
        ...(credential.kind === 'isu' ? { usernameToken: credential } : {}),
      });
      const headers =
        credential.kind === 'bearer'
          ? { ...SOAP_HEADERS, authorization: `Bearer ${credential.accessToken}` }
          : SOAP_HEADERS;
      return post(transport, label, endpoint, headers, body);
    };

    const attempt = async (): Promise<ParsedPage<ParsedRecord> | TransientFailure> => {
      const credential = await auth.credential();
      const reply = await send(credential);
      if (reply instanceof TransientFailure) return reply;
      noteClock(reply);
      const outcome = classify(reply, label, deps.now());
      if (outcome instanceof TransientFailure) return outcome;
      if ('rejected' in outcome) {
        if (credential.kind !== 'bearer' || refreshed) throw auth.rejection(credential, label);
        // One refresh and one retry per call, outside the transient-failure budget.
        refreshed = true;
        stats.retries += 1;
        await auth.forget(credential);
        return attempt();
      }
      try {
        return checkedPage(PARSERS[entity](outcome.body), request.page, label);
      } catch (error) {
        if (!(error instanceof WorkdayError) || error.kind !== 'malformed' || malformedSeen) throw error;
        malformedSeen = true;
        return new TransientFailure('unavailable', error.message, { cause: error });
      }
    };

    const page = await withRetries(transport, label, attempt);
    stats.pages += 1;
    return page;
  }

  async function* pages(query: PageQuery): AsyncGenerator<WorkdayPage> {
    const { window } = query;
    let totalPages: number | undefined;
    for (let page = query.startPage; ; page++) {
      const parsed = await readPage(query.entity, {
        select: { window, statuses: deps.invoiceStatuses },
        asOf: query.asOf,
        page,
        count: deps.config.pageSize,
      });
      if (parsed.results.totalResults === 0) {
        yield { page, totalPages: 0, records: [], rejected: [] };
        return;
      }
      // The first page read sets the total; a later page can only extend it (records entered before asOf late).
      totalPages = Math.max(totalPages ?? 0, parsed.results.totalPages);
      yield { page, totalPages, records: parsed.records, rejected: parsed.rejected };
      if (page >= totalPages) return;
    }
  }

  return {
    stats,
    pages,
    async fetchByWid(entity, wids) {
      const unique = [...new Set(wids)];
      const records: ParsedRecord[] = [];
      const rejected: RejectedRecord[] = [];
      const count = deps.config.pageSize;
      // Request_References take no Skip_Non_Existing_Instances: one WID Workday no longer knows faults the whole batch.
      const read = async (batch: readonly string[]): Promise<void> => {
        const got: ParsedPage<ParsedRecord>[] = [];
        try {
          for (let page = 1, totalPages = 1; page <= totalPages; page++) {
            const parsed = await readPage(entity, { select: { wids: batch }, page, count });
            totalPages = parsed.results.totalPages;
            got.push(parsed);
          }
        } catch (error) {
          if (!(error instanceof WorkdayError) || !INVALID_ID.test(error.message)) throw error;
          const named = batch.filter((wid) => error.message.includes(`'${wid}'`));
          if (batch.length === 1 || named.length === batch.length) {
            rejected.push(...batch.map((wid) => unknownWid(entity, wid, error)));
            return;
          }
          if (named.length > 0) {
            rejected.push(...named.map((wid) => unknownWid(entity, wid, error)));
            await read(batch.filter((wid) => !named.includes(wid)));
            return;
          }
          const half = Math.ceil(batch.length / 2);
          await read(batch.slice(0, half));
          await read(batch.slice(half));
          return;
        }
        for (const parsed of got) {
          records.push(...parsed.records);
          rejected.push(...parsed.rejected);
        }
      };
      for (let start = 0; start < unique.length; start += count) await read(unique.slice(start, start + count));
      return { records, rejected };
    },
    async probe(entity) {
      const parsed = await readPage(entity, { page: 1, count: 1 });
      return { totalResults: parsed.results.totalResults };
    },
    async clock() {
      if (clockOffsetMs === undefined) await readPage('suppliers', { page: 1, count: 1 });
      return deps.now() + (clockOffsetMs ?? 0);
    },
  };
}

// Workday's words for a reference it does not know: "Invalid ID value.  'X' is not a valid ID value for type = 'WID'".
const INVALID_ID = /Invalid ID value/i;

/** A WID Workday no longer knows, as a rejected record of the batch that asked for it. */
function unknownWid(entity: Entity, wid: string, fault: WorkdayError): RejectedRecord {
  const key = recordKey({ kind: KIND_OF_ENTITY[entity], wid });
  const issue = {
    path: GET_OPERATIONS[entity].referenceElement,
    message: `Workday does not know this WID (deleted, or never this kind of record): ${fault.message}`,
  };
  return { key, wid, error: new ValidationError(key, [issue], { cause: fault }) };
}

/**
 * Sorts a reply: a body to parse, a rejected credential (HTTP 401, or the SOAP authentication fault an
 * expired bearer can also get), a transient failure to retry; anything else is thrown as its typed error.
 */
function classify(
  reply: HttpReply,
  label: CallLabel,
  now: number,
): { body: string } | { rejected: true } | TransientFailure {
  if (reply.status === 200) return { body: reply.text };
  if (reply.status === 401) return { rejected: true };
  const fault = parseSoapFault(reply.text);
  if (fault?.kind === 'authentication') return { rejected: true };
  const retryAfterMs = retryAfterOf(reply, now);
  if (fault?.kind === 'throttled' || reply.status === 429) {
    return new TransientFailure('throttled', fault?.message ?? `HTTP ${reply.status}`, { cause: fault, retryAfterMs });
  }
  if (fault?.kind === 'unavailable') {
    return new TransientFailure('unavailable', `HTTP ${reply.status}: ${fault.message}`, {
      cause: fault,
      retryAfterMs,
    });
  }
  if (fault !== undefined) throw withCallContext(fault, label);
  if (reply.status >= 500) return new TransientFailure('unavailable', `HTTP ${reply.status}`, { retryAfterMs });
  if (reply.status === 404) {
    throw new WorkdayError(
      'validation',
      `Workday answered ${describeCall(label)} with HTTP 404: check workday.baseUrl, workday.tenant and workday.version`,
      { context: { operation: label.operation, status: reply.status } },
    );
  }
  throw new WorkdayError('processing', `Workday answered ${describeCall(label)} with HTTP ${reply.status}`, {
    context: { operation: label.operation, status: reply.status },
  });
}

function withCallContext(fault: WorkdayError, label: CallLabel): WorkdayError {
  return new WorkdayError(fault.kind, `${describeCall(label)}: ${fault.message}`, {
    cause: fault,
    context: { ...fault.context, operation: label.operation },
  });
}

/** A page that answers a different page number than asked is as unusable as a broken one. */
function checkedPage(parsed: ParsedPage<ParsedRecord>, page: number, label: CallLabel): ParsedPage<ParsedRecord> {
  if (parsed.results.page !== page && parsed.results.totalResults > 0) {
    throw new WorkdayError('malformed', `Workday answered ${describeCall(label)} with page ${parsed.results.page}`, {
      context: { operation: label.operation },
    });
  }
  return parsed;
}
