import { randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand, type QueryCommandInput, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_RETENTION_DAYS, TABLE_LAYOUT } from '../../config/names';
import type { AuditEvent, AuditLog, AuditQuery, Outcome, RunRecord, RunStore } from '../../ports';
import { OUTCOMES } from '../../ports';
import { forEachLimit } from './concurrency';
import { batchWrite, decodeJson, encodeJson, isConditionFailed, type TableRef } from './dynamo';

const TTL = TABLE_LAYOUT.audit.timeToLiveAttribute;
const { byLatestOutcome } = TABLE_LAYOUT.audit.indexes;
const FINAL: ReadonlySet<string> = new Set<string>(OUTCOMES);
const PARALLEL_WRITES = 16;

const expiresAt = (iso: string) => Math.floor(Date.parse(iso) / 1000) + AUDIT_RETENTION_DAYS * 86_400;

// Orders events of one key that share a millisecond by append order; the random part keeps writers apart.
const processTag = randomBytes(4).toString('hex');
let counter = 0;
const sequence = () => `${(counter++).toString(36).padStart(8, '0')}${processTag}`;

async function queryAll(
  table: TableRef,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({ ...input, TableName: table.tableName, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/**
 * The audit trail in its own table: one item per event under its record key (sorted by time), plus one
 * `latest` item per key holding its latest final outcome, indexed by outcome for `latestByOutcome`.
 */
export function createDynamoAuditLog(table: TableRef): AuditLog {
  const eventKey = (key: string) => `audit#${key}`;

  const putLatest = async (event: AuditEvent, latestAt: string, body: Record<string, unknown>) => {
    try {
      await table.doc.send(
        new PutCommand({
          TableName: table.tableName,
          Item: {
            pk: eventKey(event.key),
            sk: 'latest',
            [byLatestOutcome.partitionKey]: event.outcome,
            [byLatestOutcome.sortKey]: latestAt,
            [TTL]: expiresAt(event.at),
            ...body,
          },
          // Concurrent writers: only a later event replaces the latest outcome.
          ConditionExpression: 'attribute_not_exists(#latestAt) OR #latestAt <= :latestAt',
          ExpressionAttributeNames: { '#latestAt': byLatestOutcome.sortKey },
          ExpressionAttributeValues: { ':latestAt': latestAt },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  };

  return {
    async append(events) {
      // Encoded once (gzip, or a claim check in S3) for the event item and the `latest` item alike.
      const stamped = await Promise.all(
        events.map(async (event) => ({
          event,
          latestAt: `${event.at}#${sequence()}`,
          body: await encodeJson(table, event, `audit event of ${event.key}`),
        })),
      );
      const items = stamped.map(({ event, latestAt, body }) => ({
        PutRequest: {
          Item: {
            pk: eventKey(event.key),
            sk: `event#${latestAt}`,
            outcome: event.outcome,
            runId: event.runId,
            at: event.at,
            [TTL]: expiresAt(event.at),
            ...body,
          },
        },
      }));
      await batchWrite(table, items);
      await forEachLimit(
        stamped.filter(({ event }) => FINAL.has(event.outcome)),
        PARALLEL_WRITES,
        ({ event, latestAt, body }) => putLatest(event, latestAt, body),
      );
    },
    async query(q: AuditQuery) {
      const filters: string[] = [];
      const values: Record<string, string> = {};
      const names: Record<string, string> = {};
      if (q.outcome !== undefined) {
        filters.push('#outcome = :outcome');
        names['#outcome'] = 'outcome';
        values[':outcome'] = q.outcome;
      }
      if (q.runId !== undefined) {
        filters.push('#runId = :runId');
        names['#runId'] = 'runId';
        values[':runId'] = q.runId;
      }
      let items: Record<string, unknown>[];
      if (q.key !== undefined) {
        items = await queryAll(table, {
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ...(filters.length ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: {
            ...values,
            ':pk': eventKey(q.key),
            ':from': `event#${q.since ?? ''}`,
            ':to': 'event#\uffff',
          },
          ConsistentRead: true,
        });
      } else {
        // Without a key the whole trail is read: an operator's question, not a pipeline path.
        filters.push('begins_with(sk, :event)');
        values[':event'] = 'event#';
        if (q.since !== undefined) {
          filters.push('#at >= :since');
          names['#at'] = 'at';
          values[':since'] = q.since;
        }
        items = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await table.doc.send(
            new ScanCommand({
              TableName: table.tableName,
              FilterExpression: filters.join(' AND '),
              ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
              ExpressionAttributeValues: values,
              ExclusiveStartKey: start,
            }),
          );
          items.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start !== undefined);
        items.sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
      }
      return Promise.all(items.map((item) => decodeJson<AuditEvent>(table, item)));
    },
    async latestByOutcome(outcome: Outcome, since?: string) {
      const items = await queryAll(table, {
        IndexName: 'byLatestOutcome',
        KeyConditionExpression: '#outcome = :outcome AND #latestAt >= :since',
        ExpressionAttributeNames: { '#outcome': byLatestOutcome.partitionKey, '#latestAt': byLatestOutcome.sortKey },
        ExpressionAttributeValues: { ':outcome': outcome, ':since': since ?? '' },
      });
      return Promise.all(items.map((item) => decodeJson<AuditEvent>(table, item)));
    },
    async lastPolled(key) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await table.doc.send(
          new QueryCommand({
            TableName: table.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
            // A poll event is enqueued, or quarantined when unreadable; the stage is only inside the JSON.
            FilterExpression: '#outcome IN (:enqueued, :quarantined)',
            ExpressionAttributeNames: { '#outcome': 'outcome' },
            ExpressionAttributeValues: {
              ':pk': eventKey(key),
              ':event': 'event#',
              ':enqueued': 'enqueued',
              ':quarantined': 'quarantined',
            },
            ScanIndexForward: false,
            ConsistentRead: true,
            Limit: 50,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const event = await decodeJson<AuditEvent>(table, item);
          if (event.stage === 'poll') return event;
        }
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return undefined;
    },
  };
}

/** Run summaries in the audit table (they expire with it), newest first by start time. */
export function createDynamoRunStore(table: TableRef): RunStore {
  return {
    async put(run: RunRecord) {
      await table.doc.send(
        new PutCommand({
          TableName: table.tableName,
          Item: {
            pk: 'run',
            sk: `${run.startedAt}#${run.runId}`,
            [TTL]: expiresAt(run.startedAt),
            ...(await encodeJson(table, run, `run ${run.runId}`)),
          },
        }),
      );
    },
    async last() {
      const out = await table.doc.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'run' },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: 1,
        }),
      );
      const item = out.Items?.[0];
      return item ? decodeJson<RunRecord>(table, item) : undefined;
    },
  };
}
