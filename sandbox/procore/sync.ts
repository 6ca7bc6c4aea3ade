import type { RequestContext } from './context';
import {
  ApiError,
  badRequest,
  type FieldErrors,
  isRecord,
  type Json,
  paramMissing,
  type Reply,
  unprocessable,
} from './http';

/** How one resource takes part in a `PATCH …/sync` call. */
export interface SyncSpec<T> {
  findById(id: number): T | undefined;
  findByOriginId(originId: string): T | undefined;
  /** Validates everything first and only then stores, so a failed item leaves no trace. */
  create(item: Record<string, unknown>): T;
  update(existing: T, item: Record<string, unknown>): T;
  serialize(record: T): Json;
}

/** The `updates` array of a sync body: 400 when missing, 422 for the whole call above the item limit. */
export function syncItems(ctx: RequestContext, updates: unknown): unknown[] {
  if (updates === undefined || updates === null) throw paramMissing('updates');
  if (!Array.isArray(updates)) throw badRequest({ updates: ['must be an array'] });
  const max = ctx.switches.syncMaxItems;
  if (updates.length > max) throw unprocessable({ updates: [`can contain at most ${max} items per request`] });
  return updates;
}

function errorsOf(error: ApiError): FieldErrors {
  const body: unknown = error.reply.body;
  if (isRecord(body) && isRecord(body.errors)) return body.errors as FieldErrors;
  if (isRecord(body) && typeof body.errors === 'string') return { base: [body.errors] };
  return { base: [`HTTP ${error.status}`] };
}

/**
 * Runs a sync call with the matching rules of Procore's "Using Sync Actions": always 200 with `{entities, errors}`,
 * entities in the Show shape, each failed item echoing its input plus `errors`, and partial success.
 */
export function runSync<T>(ctx: RequestContext, updates: unknown, spec: SyncSpec<T>): Reply {
  const entities: Json[] = [];
  const errors: Json[] = [];
  for (const item of syncItems(ctx, updates)) {
    if (!isRecord(item)) {
      errors.push({ errors: { base: ['must be an object'] } });
      continue;
    }
    try {
      entities.push(spec.serialize(apply(item, spec)));
    } catch (error) {
      // A conflict fails the whole call; every other rejection is this item's alone.
      if (!(error instanceof ApiError) || error.status === 409) throw error;
      errors.push({ ...(item as Record<string, Json>), errors: errorsOf(error) as Json });
    }
  }
  return { status: 200, body: { entities, errors } };
}

function apply<T>(item: Record<string, unknown>, spec: SyncSpec<T>): T {
  const id = item.id;
  if (id !== undefined && id !== null) {
    const existing =
      typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)) ? spec.findById(Number(id)) : undefined;
    if (!existing) throw unprocessable({ id: ['Entity with this ID not found'] });
    return spec.update(existing, item);
  }
  const originId = item.origin_id;
  if (typeof originId === 'string' && originId !== '') {
    const existing = spec.findByOriginId(originId);
    return existing ? spec.update(existing, item) : spec.create(item);
  }
  return spec.create(item);
}
