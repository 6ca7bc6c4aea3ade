import type { RequestContext } from './context';
import { badRequest, type Json, type Reply } from './http';
import { isDate } from './input';

/** A `start...end` range in epoch milliseconds (either end may be open). */
export interface Range {
  from: number;
  to: number;
}

/** The `filters[...]` of a list request; filters an endpoint does not support are simply never read. */
export class Filters {
  private readonly single = new Map<string, string>();
  private readonly multi = new Map<string, string[]>();

  constructor(query: URLSearchParams) {
    for (const [key, value] of query) {
      const m = /^filters\[(\w+)\](\[\])?$/.exec(key);
      if (!m?.[1]) continue;
      if (m[2]) this.multi.set(m[1], [...(this.multi.get(m[1]) ?? []), value]);
      else this.single.set(m[1], value);
    }
  }

  /** A scalar filter. */
  value(name: string): string | undefined {
    const v = this.single.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  /** An array filter: `filters[x][]=a&filters[x][]=b`, or `filters[x]=a,b`. */
  values(name: string): string[] | undefined {
    const list = this.multi.get(name);
    if (list) return list;
    const v = this.value(name);
    return v === undefined ? undefined : v.split(',').map((s) => s.trim());
  }

  /** An array of integer ids; 400 when one is not an integer. */
  ids(name = 'id'): number[] | undefined {
    const list = this.values(name);
    if (!list) return undefined;
    return list.map((v) => {
      if (!/^\d+$/.test(v)) throw badRequest({ [`filters[${name}]`]: ['must be an array of ids'] });
      return Number(v);
    });
  }

  /** An integer filter. */
  int(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw badRequest({ [`filters[${name}]`]: ['is not a number'] });
    return Number(v);
  }

  /** A date or datetime range `a...b`; a lone date means that whole day. */
  range(name: string): Range | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    const [a, b] = v.includes('...') ? v.split('...') : [v, v];
    const from = a ? parseInstant(a, 'start') : Number.NEGATIVE_INFINITY;
    const to = b ? parseInstant(b, 'end') : Number.POSITIVE_INFINITY;
    if (Number.isNaN(from) || Number.isNaN(to)) {
      throw badRequest({ [`filters[${name}]`]: ['must be a date or datetime range like 2026-01-01...2026-01-31'] });
    }
    return { from, to };
  }

  /** `filters[include_deleted]=only|with`. */
  includeDeleted(): 'only' | 'with' | undefined {
    const v = this.value('include_deleted');
    return v === 'only' || v === 'with' ? v : undefined;
  }
}

function parseInstant(text: string, end: 'start' | 'end'): number {
  const t = text.trim();
  if (isDate(t)) return Date.parse(`${t}T00:00:00Z`) + (end === 'end' ? 86_399_999 : 0);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(t)) return Number.NaN;
  return Date.parse(t);
}

/** True when a Procore timestamp lies in the range (or there is no range). */
export function inRange(stamp: string, range: Range | undefined): boolean {
  if (!range) return true;
  const t = Date.parse(stamp);
  return t >= range.from && t <= range.to;
}

/** Applies the filters every list shares: `id`, `origin_id`, `created_at`, `updated_at`. */
export function commonFilters<T extends { id: number; created_at: string; updated_at: string }>(
  items: T[],
  filters: Filters,
  originId: ((item: T) => string | null) | undefined,
): T[] {
  const ids = filters.ids();
  const origin = filters.value('origin_id');
  const created = filters.range('created_at');
  const updated = filters.range('updated_at');
  return items.filter(
    (item) =>
      (!ids || ids.includes(item.id)) &&
      (origin === undefined || !originId || originId(item) === origin) &&
      inRange(item.created_at, created) &&
      inRange(item.updated_at, updated),
  );
}

function positiveInt(raw: string | null, fallback: number): number {
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= 1 ? n : fallback;
}

/** One page of a v1 list: a bare JSON array with `Total`, `Per-Page` and `Link` headers. */
export function paginate<T>(ctx: RequestContext, items: readonly T[], serialize: (item: T) => Json): Reply {
  const { defaultPerPage, maxPerPage } = ctx.switches;
  const page = positiveInt(ctx.query.get('page'), 1);
  const perPage = Math.min(positiveInt(ctx.query.get('per_page'), defaultPerPage), maxPerPage);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = { Total: String(items.length), 'Per-Page': String(perPage) };
  const link = linkHeader(ctx, page, Math.max(1, Math.ceil(items.length / perPage)));
  if (link) headers.Link = link;
  return { status: 200, body: slice.map(serialize), headers };
}

/** One page of a v2 list: `{data: [...]}` (default 10, max 100 per page), `Link` always present. */
export function paginateV2<T>(ctx: RequestContext, items: readonly T[], serialize: (item: T) => Json): Reply {
  const page = positiveInt(ctx.query.get('page'), 1);
  const perPage = Math.min(positiveInt(ctx.query.get('per_page'), 10), 100);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return {
    status: 200,
    body: { data: slice.map(serialize) },
    headers: {
      Total: String(items.length),
      'Per-Page': String(perPage),
      Link: linkHeader(ctx, page, Math.max(1, Math.ceil(items.length / perPage))),
    },
  };
}

function linkHeader(ctx: RequestContext, page: number, last: number): string {
  const at = (n: number) => {
    const u = new URL(ctx.url);
    u.searchParams.set('page', String(n));
    return `<${u.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(1)}; rel="first"`, `${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  return links.join(', ');
}
