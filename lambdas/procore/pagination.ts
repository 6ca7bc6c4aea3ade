import type { IncomingHttpHeaders } from 'node:http';
import * as z from 'zod';
import { parseResponse } from './context';
import type { RequestSpec, Transport } from './transport';

/** Procore recommends at most 2000 per page; 1000 keeps pages (and their timeouts) moderate. */
export const PER_PAGE = 1000;

/** The `rel` → URL pairs of a `Link` header (`<url>; rel="next", <url>; rel="last"`). */
export function parseLink(header: string | string[] | undefined): Record<string, string> {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const links: Record<string, string> = {};
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    const rel = m?.[2] ? /rel\s*=\s*"?([^";]+)"?/i.exec(m[2])?.[1] : undefined;
    if (m?.[1] !== undefined && rel) for (const r of rel.trim().split(/\s+/)) links[r] = m[1];
  }
  return links;
}

/**
 * Whether another page follows: never after an empty page or one shorter than the server's `Per-Page`;
 * else by `Link` rel="next", else by `Total` against the items seen so far, else only after a full page.
 */
export function hasNextPage(headers: IncomingHttpHeaders, perPage: number, count: number, seen: number): boolean {
  if (count === 0) return false;
  const served = Number(firstHeader(headers['per-page']));
  if (Number.isFinite(served) && served > 0 && count < served) return false;
  const link = firstHeader(headers.link);
  if (link !== undefined) return parseLink(link).next !== undefined;
  const total = firstHeader(headers.total);
  if (total !== undefined && Number.isFinite(Number(total))) return seen < Number(total);
  return count >= perPage;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Every item of a v1 list, page by page (`page`/`per_page`), each validated with `item`. */
export function pages<T>(transport: Transport, spec: RequestSpec, item: z.ZodType<T>): AsyncGenerator<T[]> {
  return paged(transport, spec, z.array(item), PER_PAGE);
}

/** Procore's v2.0 lists serve at most 100 items a page (10 when `per_page` is not sent). */
export const V2_PER_PAGE = 100;

/**
 * Every item of a v2.0 list (`{data: [...]}`). The same stop rules hold: v2.0 does not promise v1's `Total` and
 * `Link` headers, and without them a page shorter than `per_page` is the last.
 */
export async function listAllV2<T>(transport: Transport, spec: RequestSpec, item: z.ZodType<T>): Promise<T[]> {
  const all: T[] = [];
  const page = z.object({ data: z.array(item) }).transform((body) => body.data);
  for await (const items of paged(transport, spec, page, V2_PER_PAGE)) all.push(...items);
  return all;
}

async function* paged<T>(
  transport: Transport,
  spec: RequestSpec,
  list: z.ZodType<T[]>,
  perPage: number,
): AsyncGenerator<T[]> {
  let seen = 0;
  for (let page = 1; ; page++) {
    const reply = await transport.send({ ...spec, query: { ...spec.query, page, per_page: perPage } });
    const items = parseResponse(list, reply.body, `${spec.method} ${spec.path} page ${page}`, reply.requestId);
    seen += items.length;
    yield items;
    if (!hasNextPage(reply.headers, perPage, items.length, seen)) return;
  }
}

/** All pages of a v1 list in one array. */
export async function listAll<T>(transport: Transport, spec: RequestSpec, item: z.ZodType<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages(transport, spec, item)) all.push(...page);
  return all;
}
