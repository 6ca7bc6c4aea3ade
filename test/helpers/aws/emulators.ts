import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { runInThisContext } from 'node:vm';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import type * as LocalSqs from 'local-aws-sqs';
import { TABLE_LAYOUT } from '../../../lambdas/config/names';

/** Emulators speak to any credentials; these keep the SDK from looking for real ones. */
export const FAKE_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/** The region every emulated client uses. */
export const REGION = 'us-east-1';

/** A server on a free loopback port: its endpoint, and how to stop it. */
export interface Listening {
  endpoint: string;
  close(): Promise<void>;
}

export async function listen(server: Server): Promise<Listening> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** dynalite in this process, with a client pointed at it. */
export async function startDynalite(): Promise<Listening & { client: DynamoDBClient }> {
  // dynalite ships no types and is CommonJS.
  const dynalite = createRequire(import.meta.url)('dynalite') as (options: { createTableMs: number }) => Server;
  const server = await listen(dynalite({ createTableMs: 0 }));
  const client = new DynamoDBClient({ endpoint: server.endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  return { ...server, client };
}

const key = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' as const },
  { AttributeName: sortKey, KeyType: 'RANGE' as const },
];

/** Creates the state and audit tables with the keys and indexes the adapters expect (as the stack declares them). */
export async function createTables(client: DynamoDBClient, names: { state: string; audit: string }): Promise<void> {
  const { partitionKey, sortKey } = TABLE_LAYOUT;
  const create = async (
    name: string,
    indexes: Record<string, { partitionKey: string; sortKey: string; projection: 'ALL' | 'KEYS_ONLY' }>,
  ) => {
    const attributes = new Set<string>([partitionKey, sortKey]);
    const gsis: GlobalSecondaryIndex[] = Object.entries(indexes).map(([IndexName, index]) => {
      attributes.add(index.partitionKey);
      attributes.add(index.sortKey);
      return {
        IndexName,
        KeySchema: key(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: index.projection },
      };
    });
    const definitions: AttributeDefinition[] = [...attributes].map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S',
    }));
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: definitions,
        KeySchema: key(partitionKey, sortKey),
        GlobalSecondaryIndexes: gsis,
      }),
    );
  };
  await create(names.state, TABLE_LAYOUT.state.indexes);
  await create(names.audit, TABLE_LAYOUT.audit.indexes);
}

// local-aws-sqs 2.0.2 counts ChangeMessageVisibility as a receive (SQS does not), which would dead-letter
// every message backed off with `retryLater` one attempt early. Its bundle is loaded with that line fixed.
const COUNTS_A_RECEIVE = 'let n=Number(e);return l(this,D,Wt).call(this,r,n,!0),!0}';
const KEEPS_THE_COUNT =
  'let n=Number(e),c=r.record.attributes.ApproximateReceiveCount;return l(this,D,Wt).call(this,r,n,!0),r.record.attributes.ApproximateReceiveCount=c,!0}';

let localSqs: typeof LocalSqs | undefined;

function loadLocalSqs(): typeof LocalSqs {
  if (localSqs) return localSqs;
  const path = createRequire(import.meta.url).resolve('local-aws-sqs');
  const source = readFileSync(path, 'utf8');
  if (source.split(COUNTS_A_RECEIVE).length !== 2) {
    throw new Error(`${path} changed: check whether ChangeMessageVisibility still counts as a receive`);
  }
  const wrapped = runInThisContext(
    `(function (exports, require, module, __filename, __dirname) {${source.replace(COUNTS_A_RECEIVE, KEEPS_THE_COUNT)}\n})`,
    { filename: path },
  ) as (...args: unknown[]) => void;
  const module = { exports: {} };
  wrapped(module.exports, createRequire(path), module, path, dirname(path));
  localSqs = module.exports as typeof LocalSqs;
  return localSqs;
}

/** local-aws-sqs in this process, with a client pointed at it. */
export async function startSqs(): Promise<Listening & { client: SQSClient }> {
  const { createSqsServer } = loadLocalSqs();
  const server = await listen(
    await createSqsServer({ port: 0, hostname: '127.0.0.1', region: REGION, emulateQueueCreationLifecycle: false }),
  );
  const client = new SQSClient({ endpoint: server.endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  return { ...server, client };
}

/** A queue and its DLQ: URLs and ARNs. */
export interface QueuePair {
  url: string;
  arn: string;
  dlqUrl: string;
  dlqArn: string;
}

/** A queue and its DLQ, wired as the stack wires them: redrive after `maxReceiveCount`, DLQ redrivable to its source. */
export async function createQueuePair(
  client: SQSClient,
  name: string,
  options: { maxReceiveCount: number; visibilityTimeoutSeconds: number },
): Promise<QueuePair> {
  const arnOf = async (url: string) => {
    const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    const arn = out.Attributes?.QueueArn;
    if (arn === undefined) throw new Error(`queue ${url} has no ARN`);
    return arn;
  };
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  if (dlq.QueueUrl === undefined) throw new Error(`no URL for ${name}-dlq`);
  const dlqArn = await arnOf(dlq.QueueUrl);
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount }),
      },
    }),
  );
  if (queue.QueueUrl === undefined) throw new Error(`no URL for ${name}`);
  return { url: queue.QueueUrl, arn: await arnOf(queue.QueueUrl), dlqUrl: dlq.QueueUrl, dlqArn };
}

/** S3 from fauxqs in this process (path-style, since the endpoint is an IP address), with a client and one bucket. */
export async function startS3(bucket: string): Promise<{ endpoint: string; client: S3Client; close(): Promise<void> }> {
  const server = await startFauxqs({ port: 0, logger: false });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new S3Client({ endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { endpoint, client, close: () => server.stop() };
}
