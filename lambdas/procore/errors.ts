import { ProcoreError, type ProcoreFailureClass } from '../shared/errors';
import { redactText } from '../shared/logger';

/** What a Procore error answer means for the writer, read from its status and body. */
export interface ProcoreFailure {
  failure: ProcoreFailureClass;
  retryable: boolean;
  /** Procore's own words, one line (field errors joined as `field: message`). */
  detail: string;
  fieldErrors: Record<string, string[]>;
}

const MAX_DETAIL = 500;
// Only the head of an error body is read: enough for every shape below, and no huge or hostile body is scanned whole.
const MAX_BODY = 64 * 1024;
const MAX_FIELDS = 50;
const MAX_MESSAGES_PER_FIELD = 20;

// A referenced record that is not there (yet): the writer parks the record instead of quarantining it.
const DEPENDENCY_FIELDS = new Set(['vendor', 'vendor_id', 'commitment', 'commitment_id', 'contract_id', 'period_id']);
const MISSING = /does not exist|not found|not in (the )?project directory/i;

/** Transient statuses: throttling, conflicts on direct costs, timeouts and server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Classifies a Procore error answer: 408/409/429/5xx are transient; a 422/400 naming a missing vendor,
 * commitment or billing period is a missing dependency; every other 4xx is permanent. `body` is the raw
 * text or the parsed JSON, in any shape Procore uses.
 */
export function classifyProcoreFailure(status: number, body: unknown): ProcoreFailure {
  const { detail, fieldErrors } = parseErrorBody(body);
  let failure: ProcoreFailureClass = isTransientStatus(status) ? 'transient' : 'permanent';
  if ((status === 422 || status === 400) && namesMissingDependency(fieldErrors)) failure = 'dependency';
  return { failure, retryable: failure === 'transient', detail, fieldErrors };
}

function namesMissingDependency(fieldErrors: Record<string, string[]>): boolean {
  return Object.entries(fieldErrors).some(
    ([field, messages]) => DEPENDENCY_FIELDS.has(field) && messages.some((m) => MISSING.test(m)),
  );
}

/**
 * Reads every error body shape Procore's docs and OAS show: `{errors: {field: [msg]}}`, `{errors: "text"}`,
 * `{errors: [..]}`, `{message}`, `{error: {code, message, details}}`, `{error: {error}}`, OAuth's
 * `{error, error_description}`, and plain text (the 429 body). Secrets in the text are masked.
 */
export function parseErrorBody(body: unknown): { detail: string; fieldErrors: Record<string, string[]> } {
  const value = typeof body === 'string' ? parseMaybeJson(body.slice(0, MAX_BODY)) : body;
  // Field names come from the body: a null prototype keeps `__proto__` or `constructor` ordinary keys.
  const fieldErrors: Record<string, string[]> = Object.create(null);
  const notes: string[] = [];
  const addField = (field: string, message: unknown) => {
    const text = oneLine(message);
    if (text === '') return;
    const list = Object.hasOwn(fieldErrors, field) ? fieldErrors[field] : undefined;
    if (list === undefined) {
      if (Object.keys(fieldErrors).length < MAX_FIELDS) fieldErrors[field] = [text];
    } else if (list.length < MAX_MESSAGES_PER_FIELD) list.push(text);
  };
  const addErrors = (errors: unknown) => {
    if (typeof errors === 'string') notes.push(oneLine(errors));
    else if (Array.isArray(errors)) {
      for (const item of errors) {
        if (isRecord(item) && typeof item.field === 'string') addField(item.field, item.message ?? item.error);
        else if (isRecord(item) && typeof item.source === 'string') addField(item.source, item.message);
        else notes.push(isRecord(item) ? oneLine(item.message ?? item) : oneLine(item));
      }
    } else if (isRecord(errors)) {
      for (const [field, messages] of Object.entries(errors)) {
        for (const m of Array.isArray(messages) ? messages : [messages]) addField(field, m);
      }
    }
  };

  if (typeof value === 'string') {
    notes.push(oneLine(value));
  } else if (isRecord(value)) {
    if (value.errors !== undefined) addErrors(value.errors);
    if (isRecord(value.error)) {
      const e = value.error;
      const message = typeof e.message === 'string' ? e.message : typeof e.error === 'string' ? e.error : undefined;
      if (message) notes.push(oneLine(typeof e.code === 'string' ? `${e.code}: ${message}` : message));
      if (Array.isArray(e.details)) {
        for (const d of e.details) {
          if (isRecord(d)) addField(typeof d.source === 'string' && d.source !== '' ? d.source : 'base', d.message);
        }
      }
    } else if (typeof value.error === 'string') {
      const description = typeof value.error_description === 'string' ? `: ${value.error_description}` : '';
      notes.push(oneLine(`${value.error}${description}`));
    }
    if (typeof value.message === 'string') notes.push(oneLine(value.message));
  } else if (Array.isArray(value)) {
    addErrors(value);
  }

  const fields = Object.entries(fieldErrors).map(([f, ms]) => `${f}: ${ms.join(', ')}`);
  const detail = [...notes.filter((n) => n !== ''), ...fields].join('; ');
  return { detail: truncate(redactText(detail)), fieldErrors: redactFields(fieldErrors) };
}

function parseMaybeJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return stripHtml(trimmed);
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return trimmed;
  }
}

// `[^<>]` rather than `[^>]`: a run of `<` without `>` would otherwise be rescanned from every `<` (quadratic).
function stripHtml(text: string): string {
  return /^<(!doctype|html)/i.test(text) ? text.replace(/<[^<>]*>/g, ' ') : text;
}

function oneLine(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : stringify(value);
  return text.slice(0, MAX_BODY).replace(/\s+/g, ' ').trim();
}

// JSON.stringify overflows the stack on deeply nested values; such a value says nothing a person can use anyway.
function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '(a value too deeply nested to show)';
  }
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

function redactFields(fields: Record<string, string[]>): Record<string, string[]> {
  const redacted: Record<string, string[]> = Object.create(null);
  for (const [f, ms] of Object.entries(fields)) redacted[f] = ms.map((m) => truncate(redactText(m)));
  return redacted;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A create whose request may have reached Procore although no answer came back (dropped connection, gateway
 * error): retrying blindly could duplicate it, so the caller looks the object up by origin_id first.
 */
export class ProcoreOutcomeUnknownError extends ProcoreError {}

/** True for the error a non-idempotent request ends with when its outcome is unknown. */
export function isOutcomeUnknown(error: unknown): error is ProcoreOutcomeUnknownError {
  return error instanceof ProcoreOutcomeUnknownError;
}
