import type { IncomingMessage } from 'node:http';

/** A JSON value as the simulator sends it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Rails-style validation errors: attribute → messages. */
export type FieldErrors = Record<string, string[]>;

/** What a route handler answers; the pipeline adds the shared headers. */
export interface Reply {
  status: number;
  body?: Json;
  text?: string;
  headers?: Record<string, string>;
}

/** An error answer raised anywhere below the pipeline; it becomes the response as is. */
export class ApiError extends Error {
  readonly reply: Reply;

  constructor(status: number, body: Json, headers: Record<string, string> = {}) {
    super(`HTTP ${status}`);
    this.name = 'ApiError';
    this.reply = { status, body, headers };
  }

  /** An error answered with a plain-text body (Procore's rate-limit and company-header messages are text). */
  static text(status: number, text: string): ApiError {
    const error = new ApiError(status, null);
    error.reply.text = text;
    delete error.reply.body;
    return error;
  }

  get status(): number {
    return this.reply.status;
  }
}

/** 400 in the shape Rails answers a missing wrapper key with. */
export function paramMissing(name: string): ApiError {
  return new ApiError(400, { errors: `param is missing or the value is empty: ${name}` });
}

/** 400 with field errors (malformed input that never reaches business rules). */
export function badRequest(errors: FieldErrors | string): ApiError {
  return new ApiError(400, { errors });
}

/** 422 with Rails-style field errors. */
export function unprocessable(errors: FieldErrors): ApiError {
  return new ApiError(422, { errors });
}

/** 422 for one field. */
export function invalid(field: string, message: string): ApiError {
  return unprocessable({ [field]: [message] });
}

/** 404: Procore answers 404 rather than 403 when the caller cannot see the resource at all. */
export function notFound(what = 'Resource'): ApiError {
  return new ApiError(404, { errors: `${what} not found` });
}

/** 403 with a message. */
export function forbidden(message: string): ApiError {
  return new ApiError(403, { errors: message });
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parses a JSON body; an empty body is `undefined`, malformed JSON a 400. */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('There was a problem in the JSON you submitted: it is not valid JSON');
  }
}

/** Parses a request body by its Content-Type: JSON (the default), urlencoded or multipart form fields. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === 'multipart/form-data') return parseMultipart(raw, contentType ?? '');
  if (type === 'application/x-www-form-urlencoded') return parseUrlEncoded(raw);
  return parseJsonBody(raw);
}

/** Parses the form fields of a `multipart/form-data` body (text parts only, which is all the token endpoint needs). */
export function parseMultipart(raw: Buffer, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw badRequest('multipart body without a boundary');
  const fields: Record<string, string> = {};
  for (const part of raw.toString('utf8').split(`--${marker}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) continue;
    fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseUrlEncoded(raw: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}
