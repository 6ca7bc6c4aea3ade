import type * as z from 'zod';
import { ProcoreError } from '../shared/errors';
import { parseResponse, type Runtime } from './context';
import { classifyProcoreFailure, isOutcomeUnknown } from './errors';
import { syncResponseSchema } from './schemas';
import type { RequestSpec, Transport } from './transport';
import type { SyncItemError, SyncOutcome } from './types';

/** What a sync item is matched by (the public input types narrow it to `SyncKey`). */
export type SyncMatch = { id?: number | undefined; origin_id?: string | undefined };

/** One `PATCH …/sync` endpoint. */
export interface SyncCall<I, T> {
  what: string;
  path: string;
  query?: RequestSpec['query'];
  projectId?: number;
  notFound?: RequestSpec['notFound'];
  body: (batch: readonly I[]) => unknown;
  entity: z.ZodType<T>;
  batchSize: number;
}

/**
 * Sends sync items in batches of `batchSize`, merging entities and naming each refused item by the caller's
 * origin_id. Sync calls match by origin_id (or id), so a batch whose answer was lost is safe to send again.
 */
export async function syncBatches<I extends SyncMatch, T>(
  rt: Runtime,
  transport: Transport,
  call: SyncCall<I, T>,
  updates: readonly I[],
): Promise<SyncOutcome<T>> {
  const outcome: SyncOutcome<T> = { entities: [], errors: [] };
  const what = `PATCH ${call.path}`;
  for (let offset = 0; offset < updates.length; offset += call.batchSize) {
    const batch = updates.slice(offset, offset + call.batchSize);
    const reply = await transport.send({
      method: 'PATCH',
      path: call.path,
      ...(call.query === undefined ? {} : { query: call.query }),
      body: call.body(batch),
      ...(call.projectId === undefined ? {} : { projectId: call.projectId }),
      ...(call.notFound === undefined ? {} : { notFound: call.notFound }),
      idempotent: true,
    });
    const body = parseResponse(syncResponseSchema, reply.body, what, reply.requestId);
    body.entities.forEach((e, i) => {
      outcome.entities.push(parseResponse(call.entity, e, `${what} entities[${i}]`, reply.requestId));
    });
    const used = new Set<number>();
    for (const item of body.errors) outcome.errors.push(syncError(call.what, item, batch, offset, used));
  }
  if (outcome.errors.length > 0) {
    rt.logger.info('procore sync refused items', {
      sync: call.what,
      refused: outcome.errors.length,
      stored: outcome.entities.length,
    });
  }
  return outcome;
}

/** One refused sync item; Procore echoes the input, of which only the keys are kept (it may hold a tax id). */
function syncError(
  what: string,
  item: unknown,
  batch: readonly SyncMatch[],
  offset: number,
  used: Set<number>,
): SyncItemError {
  const record =
    typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
  const originId = typeof record.origin_id === 'string' ? record.origin_id : undefined;
  const id = typeof record.id === 'number' ? record.id : undefined;
  const failure = classifyProcoreFailure(422, { errors: record.errors });
  const at = batch.findIndex(
    (b, i) =>
      !used.has(i) &&
      ((originId !== undefined && b.origin_id === originId) ||
        (originId === undefined && id !== undefined && b.id === id)),
  );
  if (at >= 0) used.add(at);
  return {
    index: at >= 0 ? offset + at : undefined,
    id,
    originId,
    message: `Procore refused ${what} item ${originId ?? id ?? '(unnamed)'}: ${failure.detail || 'no reason given'}`,
    fieldErrors: failure.fieldErrors,
    failure: failure.failure,
  };
}

/**
 * Sends a create. When its answer is lost, looks the object up by `key` (its origin_id, or what else names it)
 * and returns it if it is there; otherwise sends the create once more, so a create never goes out twice without a
 * lookup in between. A refusal naming `uniqueField` (Procore's "has already been taken") means an earlier create
 * landed, and is answered by the lookup as well.
 */
export async function createOnce<T>(
  rt: Runtime,
  what: string,
  key: string,
  send: () => Promise<T>,
  find: () => Promise<T | undefined>,
  uniqueField?: string,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const lost = isOutcomeUnknown(error) ? error : undefined;
      // A create refused for a taken key means an earlier one landed (a lost answer, or a crash before the ledger
      // recorded it): the existing object is the answer.
      const duplicate =
        uniqueField !== undefined && error instanceof ProcoreError && error.fieldErrors[uniqueField] !== undefined
          ? error
          : undefined;
      if (!lost && !duplicate) throw error;
      rt.logger.warn('procore create answer lost; looking it up', { what, key, attempt });
      const found = await find();
      if (found !== undefined) return found;
      if (duplicate) throw duplicate;
      if (lost && attempt >= 2) {
        throw new ProcoreError(
          `${what} ${key}: Procore's answer was lost twice and the record is not there; it will be retried ` +
            '(after a lookup)',
          { status: lost.status, failure: 'transient', requestId: lost.requestId },
          { cause: lost },
        );
      }
    }
  }
}
