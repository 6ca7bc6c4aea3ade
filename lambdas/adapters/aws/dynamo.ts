import { gunzipSync, gzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { sleep as realSleep } from '../../shared/http';
import { type PayloadStore, payloadRefSchema } from './payloads';

/** One DynamoDB table as the adapters use it. */
export interface TableRef {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** Where a JSON value too big for an item goes, even gzipped (claim check). */
  payloads?: PayloadStore | undefined;
}

/** The document client every adapter shares: `undefined` fields are dropped, never written as nulls. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

// Past this, JSON is stored gzipped: audit rows carry whole Workday records, and an item holds at most 400 KB.
const GZIP_ABOVE_BYTES = 32 * 1024;
const MAX_STORED_BYTES = 380 * 1024;

/** The attributes holding a JSON value: plain text when small, gzipped bytes when large, a claim check when huge. */
export async function encodeJson(
  table: TableRef,
  value: unknown,
  what: string,
): Promise<{ json: string } | { gz: Uint8Array } | { payload: { bucket: string; key: string } }> {
  const json = JSON.stringify(value);
  if (Buffer.byteLength(json) <= GZIP_ABOVE_BYTES) return { json };
  const gz = gzipSync(json);
  if (gz.byteLength <= MAX_STORED_BYTES) return { gz };
  if (table.payloads === undefined) {
    throw new Error(`${what} is ${gz.byteLength} bytes even compressed, above what one DynamoDB item holds`);
  }
  return { payload: await table.payloads.put(json, what) };
}

/** The JSON value `encodeJson` stored in an item. */
export async function decodeJson<T>(table: TableRef, item: Record<string, unknown>): Promise<T> {
  if (typeof item.json === 'string') return JSON.parse(item.json) as T;
  if (item.gz instanceof Uint8Array) return JSON.parse(gunzipSync(item.gz).toString('utf8')) as T;
  const ref = payloadRefSchema.safeParse(item.payload);
  if (ref.success) {
    if (table.payloads === undefined) {
      throw new Error(`item ${String(item.pk)}/${String(item.sk)} is stored in S3, and no S3 client is configured`);
    }
    return JSON.parse(await table.payloads.get(ref.data)) as T;
  }
  throw new Error(`item ${String(item.pk)}/${String(item.sk)} holds no JSON value`);
}

/** True for a failed ConditionExpression, the answer conditional writes expect. */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

const UNPROCESSED_RETRIES = 8;

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** Puts and deletes in batches of 25, retrying what DynamoDB leaves unprocessed (throttling) with backoff. */
export async function batchWrite(
  table: TableRef,
  requests: readonly WriteRequest[],
  sleep: (ms: number) => Promise<void> = realSleep,
): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending = requests.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > UNPROCESSED_RETRIES) {
        throw new Error(`DynamoDB left ${pending.length} writes to ${table.tableName} unprocessed after retries`);
      }
      if (attempt > 0) await sleep(50 * 2 ** attempt);
      const out = await table.doc.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: pending } }));
      pending = out.UnprocessedItems?.[table.tableName] ?? [];
    }
  }
}

/** Reads items by key in batches of 100 (strongly consistent), retrying unprocessed keys. */
export async function batchGet(
  table: TableRef,
  keys: readonly Record<string, string>[],
  sleep: (ms: number) => Promise<void> = realSleep,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > UNPROCESSED_RETRIES) {
        throw new Error(`DynamoDB left ${pending.length} reads from ${table.tableName} unprocessed after retries`);
      }
      if (attempt > 0) await sleep(50 * 2 ** attempt);
      const out = await table.doc.send(
        new BatchGetCommand({ RequestItems: { [table.tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(out.Responses?.[table.tableName] ?? []));
      pending = out.UnprocessedKeys?.[table.tableName]?.Keys ?? [];
    }
  }
  return found;
}
