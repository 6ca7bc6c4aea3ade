/** Context fields carried by every connector error; never put a secret here. */
export type ErrorContext = Record<string, string | number | boolean | undefined>;

interface ErrorOptions {
  cause?: unknown;
  context?: ErrorContext;
}

/** Base of every error the connector raises on purpose: a stable `code`, context, and whether a retry can help. */
export abstract class ConnectorError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  readonly context: ErrorContext;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.context = options.context ?? {};
  }
}

/** One problem in a config file or environment, located by its JSON path. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** The customer config (or the environment) is invalid; lists every problem at once. */
export class ConfigError extends ConnectorError {
  readonly code = 'CONFIG_INVALID';
  readonly retryable = false;
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[], options: ErrorOptions = {}) {
    super(`${source} is invalid:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`, options);
    this.issues = issues;
  }
}

/** Data from outside (a Workday record, an SQS body, a Procore response) does not have the shape we depend on. */
export class ValidationError extends ConnectorError {
  readonly code = 'VALIDATION_FAILED';
  readonly retryable = false;
  readonly record: string | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(record: string | undefined, issues: readonly ConfigIssue[], options: ErrorOptions = {}) {
    const where = record === undefined ? '' : `${record}: `;
    super(`${where}${summarizeIssues(issues)}`, options);
    this.record = record;
    this.issues = issues;
  }
}

const MAX_ISSUES_SHOWN = 20;
const MAX_ISSUE_TEXT = 300;

// Third-party data can hold thousands of bad fields or megabyte keys: the message shows the first few, clipped.
function summarizeIssues(issues: readonly ConfigIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((i) => {
    const text = `${i.path}: ${i.message}`;
    return text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT)}…` : text;
  });
  const more = issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/** Kinds of Workday failure; each decides retry and exit behaviour. */
export type WorkdayErrorKind =
  | 'authentication'
  | 'validation'
  | 'processing'
  | 'throttled'
  | 'unavailable'
  | 'malformed';

/** A Workday call failed: a SOAP fault, an HTTP error, a timeout, or a response we cannot parse. */
export class WorkdayError extends ConnectorError {
  readonly code: string;
  readonly retryable: boolean;
  readonly kind: WorkdayErrorKind;

  constructor(kind: WorkdayErrorKind, message: string, options: ErrorOptions = {}) {
    super(message, options);
    this.kind = kind;
    this.code = `WORKDAY_${kind.toUpperCase()}`;
    this.retryable = kind === 'throttled' || kind === 'unavailable';
  }
}

/**
 * How the writer treats a Procore failure: retry later, quarantine now, wait for a dependency, or stop the
 * run (`credentials`: Procore gave the connector no token, its credentials refused, so no record can get
 * through until a person fixes them; settling records for it would strand every one of them).
 */
export type ProcoreFailureClass = 'transient' | 'permanent' | 'dependency' | 'credentials';

/** A Procore call failed; `status`, field errors and the request id are kept for the audit trail. */
export class ProcoreError extends ConnectorError {
  readonly code: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly failure: ProcoreFailureClass;
  readonly fieldErrors: Readonly<Record<string, readonly string[]>>;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    details: {
      status?: number | undefined;
      failure: ProcoreFailureClass;
      fieldErrors?: Record<string, readonly string[]>;
      requestId?: string | undefined;
      retryAfterMs?: number | undefined;
    },
    options: ErrorOptions = {},
  ) {
    super(message, options);
    this.status = details.status;
    this.failure = details.failure;
    this.retryable = details.failure === 'transient';
    this.fieldErrors = details.fieldErrors ?? {};
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.code =
      details.failure === 'credentials'
        ? 'PROCORE_CREDENTIALS'
        : details.status === undefined
          ? 'PROCORE_NETWORK'
          : `PROCORE_${details.status}`;
  }
}

/** Another run holds this customer's lease. */
export class LeaseHeldError extends ConnectorError {
  readonly code = 'LEASE_HELD';
  readonly retryable = true;
}

/**
 * True for a failure no record can get past: a system refused the connector's own credentials, or none are
 * set (a ConfigError). The run stops (exit 3, or 2 for missing credentials, locally; a failed invocation on
 * AWS) and no record is settled for it, so every record is still pending when the next run, with the
 * credentials fixed, picks it up.
 */
export function stopsTheRun(error: unknown): boolean {
  return (
    error instanceof ConfigError ||
    (error instanceof ProcoreError && error.failure === 'credentials') ||
    (error instanceof WorkdayError && error.kind === 'authentication')
  );
}

/** A message for a person: the error's own message, with its cause chain when it adds something. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause !== undefined && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}
