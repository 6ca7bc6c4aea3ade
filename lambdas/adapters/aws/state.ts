import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE_LAYOUT } from '../../config/names';
import type { PoLineInfo } from '../../mapping/commands';
import type { Clock, Cursor, CursorStore, Lease, LedgerEntry, Outcome, SyncLedger } from '../../ports';
import { OUTCOMES } from '../../ports';
import type { Entity } from '../../workday/records';
import { batchGet, batchWrite, decodeJson, encodeJson, isConditionFailed, type TableRef } from './dynamo';

const CURSOR_PK = 'cursor';
const LEASE_KEY = { pk: 'lease', sk: 'lease' };
/**
 * The one partition of the sparse `unsynced` index: only pending entries (records still on their way) are in
 * it. Earlier versions indexed every entry with an unsyncedSince under `unsynced`, quarantined ones too; a new
 * value leaves those out without rewriting them (a pending one of theirs joins when it is next written).
 */
const UNSYNCED_SHARD = 'pending';
const { byStatus, unsynced } = TABLE_LAYOUT.state.indexes;

const ledgerKey = (key: string) => ({ pk: `ledger#${key}`, sk: 'ledger' });
const originKey = (originId: string) => ({ pk: `origin#${originId}`, sk: 'origin' });
const poLineKey = (lineId: string) => ({ pk: `poLine#${lineId}`, sk: 'poLine' });

/** Cursors as items of the state table; a conditional write keeps `highWater` from moving backwards. */
export function createDynamoCursorStore(table: TableRef): CursorStore {
  const get = async (entity: Entity): Promise<Cursor | undefined> => {
    const out = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: CURSOR_PK, sk: entity }, ConsistentRead: true }),
    );
    return out.Item ? decodeJson<Cursor>(table, out.Item) : undefined;
  };
  return {
    get,
    async put(entity, cursor) {
      try {
        await table.doc.send(
          new PutCommand({
            TableName: table.tableName,
            Item: {
              pk: CURSOR_PK,
              sk: entity,
              highWater: cursor.highWater,
              ...(await encodeJson(table, cursor, `cursor ${entity}`)),
            },
            // ISO timestamps compare as strings; an item without highWater may take any.
            ConditionExpression:
              cursor.highWater === undefined
                ? 'attribute_not_exists(highWater)'
                : 'attribute_not_exists(highWater) OR highWater <= :highWater',
            ...(cursor.highWater === undefined
              ? {}
              : { ExpressionAttributeValues: { ':highWater': cursor.highWater } }),
          }),
        );
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        const previous = (await get(entity))?.highWater;
        throw new Error(`cursor for ${entity} would move backwards from ${previous} to ${cursor.highWater}`, {
          cause: error,
        });
      }
    },
    async reset() {
      const keys: Record<string, string>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await table.doc.send(
          new QueryCommand({
            TableName: table.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': CURSOR_PK },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) keys.push({ pk: String(item.pk), sk: String(item.sk) });
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      await batchWrite(
        table,
        keys.map((Key) => ({ DeleteRequest: { Key } })),
      );
    },
  };
}

/** One lease item per customer, taken with a conditional put: free, expired, or already the caller's. */
export function createDynamoLease(table: TableRef, now: Clock): Lease {
  return {
    async acquire(owner, ttlMs) {
      const at = now();
      try {
        await table.doc.send(
          new PutCommand({
            TableName: table.tableName,
            Item: { ...LEASE_KEY, owner, expiresAt: at + ttlMs },
            ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner OR expiresAt <= :now',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner, ':now': at },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
    async release(owner) {
      try {
        await table.doc.send(
          new DeleteCommand({
            TableName: table.tableName,
            Key: LEASE_KEY,
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        );
      } catch (error) {
        // Someone else's lease (ours expired and was taken): theirs to release.
        if (!isConditionFailed(error)) throw error;
      }
    },
  };
}

/**
 * The ledger: one item per record key holding the JSON entry, indexed by status (counts) and, while pending,
 * by the time its change was first seen (freshness); the origin_id → Procore id and PO line indexes are items
 * of their own.
 */
export function createDynamoLedger(table: TableRef): SyncLedger {
  const setProcoreIds = (ids: Record<string, number>) =>
    batchWrite(
      table,
      Object.entries(ids).map(([originId, procoreId]) => ({
        PutRequest: { Item: { ...originKey(originId), procoreId } },
      })),
    );
  const countStatus = async (outcome: Outcome): Promise<number> => {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await table.doc.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: 'byStatus',
          KeyConditionExpression: '#status = :status',
          ExpressionAttributeNames: { '#status': byStatus.partitionKey },
          ExpressionAttributeValues: { ':status': outcome },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return count;
  };
  return {
    async get(key) {
      const out = await table.doc.send(
        new GetCommand({ TableName: table.tableName, Key: ledgerKey(key), ConsistentRead: true }),
      );
      return out.Item ? decodeJson<LedgerEntry>(table, out.Item) : undefined;
    },
    async getMany(keys) {
      const items = await batchGet(table, [...new Set(keys)].map(ledgerKey));
      const found = new Map<string, LedgerEntry>();
      for (const item of items) {
        const entry = await decodeJson<LedgerEntry>(table, item);
        found.set(entry.key, entry);
      }
      return found;
    },
    async put(entry) {
      // Ids first: an id without its entry is a true fact about Procore; the reverse would lose it.
      await setProcoreIds(entry.procoreIds);
      try {
        await table.doc.send(
          new PutCommand({
            TableName: table.tableName,
            Item: {
              ...ledgerKey(entry.key),
              [byStatus.partitionKey]: entry.status,
              // Quarantined and dead-lettered entries keep unsyncedSince but wait for a person, counted apart.
              ...(entry.status !== 'pending' || entry.unsyncedSince === undefined
                ? {}
                : { [unsynced.partitionKey]: UNSYNCED_SHARD, [unsynced.sortKey]: entry.unsyncedSince }),
              seenAt: entry.seenAt,
              ...(await encodeJson(table, entry, `ledger entry ${entry.key}`)),
            },
            // ISO timestamps compare as strings: the ledger never moves back to an older version.
            ConditionExpression:
              entry.seenAt === undefined
                ? 'attribute_not_exists(seenAt)'
                : 'attribute_not_exists(seenAt) OR seenAt <= :seenAt',
            ...(entry.seenAt === undefined ? {} : { ExpressionAttributeValues: { ':seenAt': entry.seenAt } }),
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
    async procoreId(originId) {
      const out = await table.doc.send(
        new GetCommand({ TableName: table.tableName, Key: originKey(originId), ConsistentRead: true }),
      );
      return typeof out.Item?.procoreId === 'number' ? out.Item.procoreId : undefined;
    },
    setProcoreIds,
    async putPoLines(lines) {
      const items = await Promise.all(
        lines.map(async (line) => ({
          PutRequest: {
            Item: { ...poLineKey(line.lineId), ...(await encodeJson(table, line, `PO line ${line.lineId}`)) },
          },
        })),
      );
      await batchWrite(table, items);
    },
    async poLine(lineId) {
      const out = await table.doc.send(
        new GetCommand({ TableName: table.tableName, Key: poLineKey(lineId), ConsistentRead: true }),
      );
      return out.Item ? decodeJson<PoLineInfo>(table, out.Item) : undefined;
    },
    async counts() {
      const counts = await Promise.all(OUTCOMES.map(async (o) => [o, await countStatus(o)] as const));
      return Object.fromEntries(counts) as Record<Outcome, number>;
    },
    async oldestUnsynced() {
      const out = await table.doc.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: 'unsynced',
          KeyConditionExpression: '#shard = :shard',
          ExpressionAttributeNames: { '#shard': unsynced.partitionKey },
          ExpressionAttributeValues: { ':shard': UNSYNCED_SHARD },
          ScanIndexForward: true,
          Limit: 1,
        }),
      );
      const oldest = out.Items?.[0]?.[unsynced.sortKey];
      return typeof oldest === 'string' ? oldest : undefined;
    },
  };
}
