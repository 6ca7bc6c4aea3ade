import { StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { resourceNames } from '../../../lambdas/config/names';
import type { CustomerConfig } from '../../../lambdas/config/schema';
import {
  createQueuePair,
  createTables,
  FAKE_CREDENTIALS,
  type QueuePair,
  REGION,
  startDynalite,
  startS3,
  startSqs,
} from './emulators';
import { type FakeKmsSecrets, startFakeKmsSecrets } from './fake-kms-secrets';
import { startFakeLambda } from './fake-lambda';
import { drainEventSources, type Invocation, lambdaContext, queueDepth } from './sqs-consumer';

/** Lambda timeouts the emulated functions run under (the stack's, but for the writer's visibility). */
const TIMEOUT_MS = { poller: 900_000, mapper: 60_000, writer: 300_000, replay: 60_000 };

/** Environment variable per secret JSON key (README, "Credentials"), to seed Secrets Manager from the sandbox. */
const SECRET_KEYS: Record<'workday' | 'procore', Record<string, string>> = {
  workday: {
    WORKDAY_USERNAME: 'username',
    WORKDAY_PASSWORD: 'password',
    WORKDAY_CLIENT_ID: 'clientId',
    WORKDAY_CLIENT_SECRET: 'clientSecret',
    WORKDAY_REFRESH_TOKEN: 'refreshToken',
  },
  procore: { PROCORE_CLIENT_ID: 'clientId', PROCORE_CLIENT_SECRET: 'clientSecret' },
};

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/** One customer's stack, emulated in this process: tables, queues with DLQs, key, secrets, and the four real handlers. */
export interface EmulatedStack {
  names: ReturnType<typeof resourceNames>;
  records: QueuePair;
  writes: QueuePair;
  kmsSecrets: FakeKmsSecrets;
  dynamodbEndpoint: string;
  sqsClient: Awaited<ReturnType<typeof startSqs>>['client'];
  /** The payload bucket (claim checks) and a client for it. */
  s3Client: Awaited<ReturnType<typeof startS3>>['client'];
  bucket: string;
  /** EventBridge Scheduler firing the schedule: the poller with `{customerId}`, with `timeoutMs` left to run. */
  schedule(timeoutMs?: number): Promise<unknown>;
  replay(request: unknown): Promise<unknown>;
  /** Lambda's event sources for the mapper and writer, until both queues are empty. */
  drain(onInvoke?: (invocation: Invocation) => void): Promise<void>;
  /** The console's "Start DLQ redrive": the DLQ's messages back to their source queue; resolves once it is empty. */
  redrive(queue: QueuePair): Promise<void>;
  depth(url: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the emulators, creates what the stack would (names from `resourceNames`), stores the credentials
 * in the fake Secrets Manager, points the SDK at the emulators through `AWS_ENDPOINT_URL_*`, and imports the
 * handlers as Lambda would load them. `visibilitySeconds` stands in for the stack's 6 × timeout, so that
 * failed messages come back in test time.
 */
export async function startEmulatedStack(options: {
  config: CustomerConfig;
  configPath: string;
  credentials: Record<string, string>;
  visibilitySeconds: number;
}): Promise<EmulatedStack> {
  const { config } = options;
  const names = resourceNames(config.customerId);
  const keyArn = `arn:aws:kms:${REGION}:111111111111:key/${config.customerId}`;
  const bucket = `${config.customerId}-payloads`;
  const [dynamo, sqs, kmsSecrets, s3] = await Promise.all([
    startDynalite(),
    startSqs(),
    startFakeKmsSecrets([keyArn], { [names.keyAlias]: keyArn }),
    startS3(bucket),
  ]);
  await createTables(dynamo.client, { state: names.stateTable, audit: names.auditTable });
  const queueOptions = {
    maxReceiveCount: config.retry.maxAttempts,
    visibilityTimeoutSeconds: options.visibilitySeconds,
  };
  const records = await createQueuePair(sqs.client, names.recordsQueue, queueOptions);
  const writes = await createQueuePair(sqs.client, names.writesQueue, queueOptions);
  for (const system of ['workday', 'procore'] as const) {
    const value = Object.fromEntries(
      Object.entries(SECRET_KEYS[system]).flatMap(([variable, key]) => {
        const v = options.credentials[variable];
        return v === undefined ? [] : [[key, v]];
      }),
    );
    kmsSecrets.secrets.set(system === 'workday' ? names.workdaySecret : names.procoreSecret, JSON.stringify(value));
  }

  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_ENDPOINT_URL_KMS: kmsSecrets.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: kmsSecrets.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    PAYLOAD_BUCKET: bucket,
    CUSTOMER_CONFIG: options.configPath,
    STATE_TABLE: names.stateTable,
    AUDIT_TABLE: names.auditTable,
    RECORDS_QUEUE_URL: records.url,
    WRITES_QUEUE_URL: writes.url,
    WORKDAY_SECRET_ID: names.workdaySecret,
    PROCORE_SECRET_ID: names.procoreSecret,
    TOKEN_KEY_ID: keyArn,
    TAX_ID_KEY_ID: keyArn,
    POWERTOOLS_SERVICE_NAME: 'ml-connector',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  const poller = await import('../../../lambdas/handlers/poller');
  const mapper = await import('../../../lambdas/handlers/mapper');
  const writer = await import('../../../lambdas/handlers/writer');
  const replayer = await import('../../../lambdas/handlers/replay');
  // The replay function by its stack name, for `replay --aws` through the real Lambda client.
  const lambda = await startFakeLambda({
    [names.replayFunction]: (event) => replayer.handler(event, lambdaContext('replay', TIMEOUT_MS.replay)),
  });
  process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
  const invoke = <E, R>(
    handler: Handler<E, R>,
    name: keyof typeof TIMEOUT_MS,
    event: E,
    timeoutMs = TIMEOUT_MS[name],
  ) => handler(event, lambdaContext(name, timeoutMs));

  return {
    names,
    records,
    writes,
    kmsSecrets,
    dynamodbEndpoint: dynamo.endpoint,
    sqsClient: sqs.client,
    s3Client: s3.client,
    bucket,
    schedule: (timeoutMs) => invoke(poller.handler, 'poller', { customerId: config.customerId }, timeoutMs),
    replay: (request) => invoke(replayer.handler, 'replay', request),
    drain: (onInvoke) =>
      drainEventSources(
        [
          {
            name: 'mapper',
            client: sqs.client,
            queueUrl: records.url,
            queueArn: records.arn,
            batchSize: 10,
            timeoutMs: TIMEOUT_MS.mapper,
            handler: mapper.handler,
          },
          {
            name: 'writer',
            client: sqs.client,
            queueUrl: writes.url,
            queueArn: writes.arn,
            batchSize: 10,
            timeoutMs: TIMEOUT_MS.writer,
            handler: writer.handler,
          },
        ],
        { limitMs: 60_000, ...(onInvoke ? { onInvoke } : {}) },
      ),
    async redrive(queue) {
      await sqs.client.send(new StartMessageMoveTaskCommand({ SourceArn: queue.dlqArn }));
      const until = Date.now() + 10_000;
      while ((await queueDepth(sqs.client, queue.dlqUrl)) > 0) {
        if (Date.now() > until) throw new Error(`${queue.dlqUrl} was not redriven`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    depth: (url) => queueDepth(sqs.client, url),
    close: async () => {
      await Promise.all([dynamo.close(), sqs.close(), kmsSecrets.close(), s3.close(), lambda.close()]);
    },
  };
}
