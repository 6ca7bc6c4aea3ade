import { randomBytes } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsPorts, createAwsPorts, withClaimedBodies } from '../../lambdas/adapters/aws';
import { MAX_INLINE_MESSAGE_BYTES } from '../../lambdas/adapters/aws/payloads';
import type { LedgerEntry } from '../../lambdas/ports';
import { createQueuePair, createTables, REGION, startDynalite, startS3, startSqs } from '../helpers/aws/emulators';
import { receive, toSqsEvent } from '../helpers/aws/sqs-consumer';

const BUCKET = 'acme-payloads';
let dynamo: Awaited<ReturnType<typeof startDynalite>>;
let sqs: Awaited<ReturnType<typeof startSqs>>;
let s3: Awaited<ReturnType<typeof startS3>>;
let n = 0;

beforeAll(async () => {
  [dynamo, sqs, s3] = await Promise.all([startDynalite(), startSqs(), startS3(BUCKET)]);
});
afterAll(async () => {
  await Promise.all([dynamo.close(), sqs.close(), s3.close()]);
});

/** Random text gzip cannot shrink: the shape of a payload too big for a DynamoDB item. */
const incompressible = (bytes: number) => randomBytes(bytes / 2).toString('hex');

async function ports(
  payloadBucket: string | undefined,
): Promise<AwsPorts & { tables: { state: string; audit: string }; queueUrl: string; queueArn: string }> {
  const id = `p${++n}`;
  const tables = { state: `${id}-state`, audit: `${id}-audit` };
  await createTables(dynamo.client, tables);
  const pair = await createQueuePair(sqs.client, `${id}-records`, { maxReceiveCount: 3, visibilityTimeoutSeconds: 30 });
  const built = createAwsPorts({
    customerId: 'acme',
    region: REGION,
    stateTable: tables.state,
    auditTable: tables.audit,
    recordsQueueUrl: pair.url,
    ...(payloadBucket === undefined ? {} : { payloadBucket }),
    clients: { dynamodb: dynamo.client, sqs: sqs.client, s3: s3.client },
  });
  return { ...built, tables, queueUrl: pair.url, queueArn: pair.arn };
}

const entry = (key: string, state: Record<string, unknown>): LedgerEntry => ({
  key,
  rawHash: 'r',
  mappingVersion: 'm',
  status: 'written',
  procoreIds: {},
  state,
  updatedAt: '2026-11-28T00:00:00.000Z',
  runId: 'run-1',
});

describe('claim checks: payloads too big for an item or a message go to S3', () => {
  it('keeps a ledger entry above the item limit in S3 and reads it back whole', async () => {
    const p = await ports(BUCKET);
    const big = entry('purchaseOrder:PO-1', { lines: incompressible(1200 * 1024) });
    await p.ledger.put(big);
    const item = await dynamo.client.send(
      new GetItemCommand({
        TableName: p.tables.state,
        Key: { pk: { S: 'ledger#purchaseOrder:PO-1' }, sk: { S: 'ledger' } },
      }),
    );
    const ref = item.Item?.payload?.M;
    expect(ref?.bucket?.S).toBe(BUCKET);
    expect(item.Item?.json).toBeUndefined();
    const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: ref?.key?.S ?? '' }));
    expect(JSON.parse((await object.Body?.transformToString()) ?? '')).toEqual(big);
    expect(await p.ledger.get('purchaseOrder:PO-1')).toEqual(big);
    expect((await p.ledger.getMany(['purchaseOrder:PO-1'])).get('purchaseOrder:PO-1')).toEqual(big);
  });

  it('keeps a huge audit record replayable: query and lastPolled return the record itself', async () => {
    const p = await ports(BUCKET);
    const record = { kind: 'purchaseOrder', wid: 'PO-2', blob: incompressible(1200 * 1024) };
    await p.audit.append([
      {
        runId: 'run-1',
        key: 'purchaseOrder:PO-2',
        at: '2026-11-28T00:00:00.000Z',
        stage: 'poll',
        outcome: 'enqueued',
        record,
      },
    ]);
    expect((await p.audit.lastPolled('purchaseOrder:PO-2'))?.record).toEqual(record);
    expect((await p.audit.query({ key: 'purchaseOrder:PO-2' }))[0]?.record).toEqual(record);
  });

  it('stores small values inline and never calls S3 for them', async () => {
    const p = await ports(undefined);
    const small = entry('supplier:S-1', { note: 'x'.repeat(100 * 1024) });
    await p.ledger.put(small);
    expect(await p.ledger.get('supplier:S-1')).toEqual(small);
  });

  it('refuses, naming the item, a value too big for an item when no bucket is configured', async () => {
    const p = await ports(undefined);
    await expect(p.ledger.put(entry('purchaseOrder:PO-3', { lines: incompressible(1200 * 1024) }))).rejects.toThrow(
      /ledger entry purchaseOrder:PO-3 is too big to store inline, and no payload bucket is configured/,
    );
  });

  it('sends a message above the inline limit as a claim check that the consumer resolves to the body', async () => {
    const p = await ports(BUCKET);
    const bigBody = JSON.stringify({ v: 1, key: 'purchaseOrder:PO-4', blob: 'y'.repeat(MAX_INLINE_MESSAGE_BYTES) });
    const smallBody = JSON.stringify({ v: 1, key: 'supplier:S-2' });
    await p.records.send([bigBody, smallBody]);
    const received = await receive(sqs.client, p.queueUrl, 10);
    const bodies = received.map((m) => m.Body ?? '');
    expect(bodies).toContain(smallBody);
    const claim = bodies.find((b) => b !== smallBody) ?? '';
    expect(Buffer.byteLength(claim)).toBeLessThan(1024);
    expect(JSON.parse(claim)).toEqual({
      claimCheck: { bucket: BUCKET, key: expect.stringMatching(/^payloads\/[0-9a-f]{64}\.json$/) },
    });
    const event = await withClaimedBodies(toSqsEvent(received, p.queueArn), p.payloads);
    expect(event.Records.map((r) => r.body).sort()).toEqual([bigBody, smallBody].sort());
  });

  it('fails the batch (to come back later) when a claimed payload cannot be read', async () => {
    const p = await ports(BUCKET);
    const missing = JSON.stringify({ claimCheck: { bucket: BUCKET, key: 'payloads/gone.json' } });
    await p.records.send([missing]);
    const received = await receive(sqs.client, p.queueUrl, 10);
    await expect(withClaimedBodies(toSqsEvent(received, p.queueArn), p.payloads)).rejects.toThrow();
  });
});
