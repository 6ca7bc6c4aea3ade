import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AwsPorts, createAwsPorts } from '../../lambdas/adapters/aws';
import { createSqsQueue } from '../../lambdas/adapters/aws/queue';
import { createSecretsManagerStore } from '../../lambdas/adapters/aws/secrets';
import { createLocalSecretStore, createLocalTokenCache } from '../../lambdas/adapters/local/secrets';
import { openStateDb } from '../../lambdas/adapters/local/state-db';
import { createLocalRunStore } from '../../lambdas/adapters/local/stores';
import type { RunStore, SecretStore, TokenCache } from '../../lambdas/ports';
import { ConfigError } from '../../lambdas/shared/errors';
import {
  createQueuePair,
  createTables,
  FAKE_CREDENTIALS,
  type QueuePair,
  REGION,
  startDynalite,
  startSqs,
} from '../helpers/aws/emulators';
import { type FakeKmsSecrets, startFakeKmsSecrets } from '../helpers/aws/fake-kms-secrets';
import { createContractConsumer, receive } from '../helpers/aws/sqs-consumer';
import { describePortContract } from './port-contract';

const KEY_ID = 'arn:aws:kms:us-east-1:111111111111:key/test';
const SECRETS = { workday: 'ml-connector/acme/workday', procore: 'ml-connector/acme/procore' };

let dynamo: Awaited<ReturnType<typeof startDynalite>>;
let sqs: Awaited<ReturnType<typeof startSqs>>;
let fake: FakeKmsSecrets;
let kms: KMSClient;
let secretsManager: SecretsManagerClient;
let tables = 0;
const mockSecretsManager = () => mockClient(SecretsManagerClient);
const mockSqs = () => mockClient(SQSClient);

beforeAll(async () => {
  [dynamo, sqs, fake] = await Promise.all([startDynalite(), startSqs(), startFakeKmsSecrets([KEY_ID])]);
  kms = new KMSClient({ endpoint: fake.endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  secretsManager = new SecretsManagerClient({ endpoint: fake.endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
});

afterAll(async () => {
  await Promise.all([dynamo.close(), sqs.close(), fake.close()]);
});

/** Fresh tables (and a fresh queue pair) on the shared emulators, as one customer's stack would have them. */
async function freshPorts(customerId = 'acme'): Promise<AwsPorts & { names: { state: string }; pair: QueuePair }> {
  const id = `c${++tables}`;
  const names = { state: `${id}-state`, audit: `${id}-audit`, queue: `${id}-records` };
  await createTables(dynamo.client, names);
  const pair = await createQueuePair(sqs.client, names.queue, { maxReceiveCount: 2, visibilityTimeoutSeconds: 30 });
  for (const secret of Object.values(SECRETS)) fake.secrets.delete(secret);
  const ports = createAwsPorts({
    customerId,
    region: REGION,
    stateTable: names.state,
    auditTable: names.audit,
    recordsQueueUrl: pair.url,
    secretIds: SECRETS,
    tokenKeyId: KEY_ID,
    clients: { dynamodb: dynamo.client, sqs: sqs.client, kms, secretsManager },
    // The contract moves time with `advance`; the lease reads the (faked) clock at each call.
    now: () => Date.now(),
  });
  return { ...ports, names, pair };
}

describePortContract('AWS adapters (dynalite, local-aws-sqs)', async () => {
  const ports = await freshPorts();
  const consumer = createContractConsumer(sqs.client, ports.pair.url, ports.pair.dlqUrl);
  // local-aws-sqs keeps visibility and delays on timers in this process: faking them (and Date) lets the
  // contract's `advance` move SQS's clock too, so its 30–120 s timeouts take no real time.
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    shouldAdvanceTime: true,
  });
  return {
    cursors: ports.cursors,
    lease: ports.lease,
    ledger: ports.ledger,
    audit: ports.audit,
    queue: {
      send: (bodies, delaySeconds) => ports.records.send(bodies, delaySeconds),
      retryLater: (idOrHandle, delaySeconds) => ports.records.retryLater(consumer.handleOf(idOrHandle), delaySeconds),
      receive: consumer.receive,
      delete: consumer.delete,
      deadLetters: consumer.deadLetters,
    },
    advance: (ms) => {
      vi.advanceTimersByTime(ms);
    },
    close: async () => {
      vi.useRealTimers();
    },
  };
});

// The ports the shared contract does not cover yet, run against both adapter sets the same way.
interface CredentialPorts {
  secrets: SecretStore;
  tokens: TokenCache;
  runs: RunStore;
}

const adapterSets: [string, () => Promise<CredentialPorts>][] = [
  [
    'SQLite adapters',
    async () => {
      const db = openStateDb(':memory:');
      const key = Buffer.alloc(32, 7);
      return {
        secrets: createLocalSecretStore(db, key),
        tokens: createLocalTokenCache(db, key),
        runs: createLocalRunStore(db),
      };
    },
  ],
  [
    'AWS adapters (dynalite, fake KMS and Secrets Manager)',
    async () => {
      const ports = await freshPorts();
      for (const secret of Object.values(SECRETS)) fake.secrets.set(secret, '{}');
      return ports;
    },
  ],
];

describe.each(adapterSets)('%s: SecretStore, TokenCache, RunStore', (_name, make) => {
  it('replaces a stored secret as a whole and reads it back', async () => {
    const { secrets } = await make();
    await secrets.put('workday', { clientId: 'c', clientSecret: 's', refreshToken: 'r1' });
    await secrets.put('workday', { clientId: 'c', clientSecret: 's', refreshToken: 'r2' });
    expect(await secrets.get('workday')).toEqual({ clientId: 'c', clientSecret: 's', refreshToken: 'r2' });
  });

  it('round-trips and forgets cached tokens', async () => {
    const { tokens } = await make();
    expect(await tokens.get('procore')).toBeUndefined();
    await tokens.put('procore', { accessToken: 'tok-1', issuedAt: 1, expiresAt: 2 });
    expect(await tokens.get('procore')).toEqual({ accessToken: 'tok-1', issuedAt: 1, expiresAt: 2 });
    await tokens.delete('procore');
    expect(await tokens.get('procore')).toBeUndefined();
  });

  it('keeps every run and answers the latest started', async () => {
    const { runs } = await make();
    await runs.put({ runId: 'a', startedAt: '2026-11-01T00:00:00.000Z' });
    await runs.put({ runId: 'b', startedAt: '2026-11-02T00:00:00.000Z' });
    await runs.put({
      runId: 'b',
      startedAt: '2026-11-02T00:00:00.000Z',
      finishedAt: '2026-11-02T00:05:00.000Z',
      exitCode: 0,
    });
    expect(await runs.last()).toEqual({
      runId: 'b',
      startedAt: '2026-11-02T00:00:00.000Z',
      finishedAt: '2026-11-02T00:05:00.000Z',
      exitCode: 0,
    });
  });
});

describe('createKmsTokenCache()', () => {
  it('stores only ciphertext, sealed under an encryption context naming the customer and the token', async () => {
    const ports = await freshPorts('summit');
    fake.kmsCalls.length = 0;
    await ports.tokens.put('workday', { accessToken: 'wd-access-token-123', issuedAt: 1, expiresAt: 2 });
    const item = await dynamo.client.send(
      new GetItemCommand({ TableName: ports.names.state, Key: { pk: { S: 'token' }, sk: { S: 'workday' } } }),
    );
    expect(JSON.stringify(item.Item)).not.toContain('wd-access-token-123');
    expect(fake.kmsCalls).toEqual([
      { operation: 'Encrypt', keyId: KEY_ID, encryptionContext: { customerId: 'summit', token: 'workday' } },
    ]);
  });

  it('refuses a ciphertext sealed for another customer', async () => {
    const summit = await freshPorts('summit');
    await summit.tokens.put('procore', { accessToken: 'summit-token', issuedAt: 1, expiresAt: 2 });
    const acme = createAwsPorts({
      customerId: 'acme',
      region: REGION,
      stateTable: summit.names.state,
      tokenKeyId: KEY_ID,
      clients: { dynamodb: dynamo.client, kms },
    });
    await expect(acme.tokens.get('procore')).rejects.toThrow(/encryption context/);
  });
});

describe('createSecretsManagerStore()', () => {
  // The mock replaces `send` on every SecretsManagerClient, so it lives only as long as each test.
  let mock: ReturnType<typeof mockSecretsManager>;
  beforeEach(() => {
    mock = mockSecretsManager();
  });
  afterEach(() => {
    mock.restore();
  });

  it('reuses a read until it is older than maxAge, and a write replaces the cached value', async () => {
    let t = 0;
    mock.on(GetSecretValueCommand).resolves({ SecretString: '{"clientId":"id","clientSecret":"s"}' });
    mock.on(PutSecretValueCommand).resolves({});
    const store = createSecretsManagerStore({
      client: new SecretsManagerClient({ region: REGION }),
      secretIds: SECRETS,
      maxAgeMs: 1000,
      now: () => t,
    });
    await store.get('procore');
    t = 999;
    await store.get('procore');
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    await store.put('procore', { clientId: 'id', clientSecret: 'rotated' });
    expect(await store.get('procore')).toEqual({ clientId: 'id', clientSecret: 'rotated' });
    t = 3000;
    await store.get('procore');
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('answers undefined for a missing secret and a ConfigError, without the value, for one that is not JSON', async () => {
    mock
      .on(GetSecretValueCommand, { SecretId: SECRETS.workday })
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    mock.on(GetSecretValueCommand, { SecretId: SECRETS.procore }).resolves({ SecretString: 'hunter2-plain-text' });
    const store = createSecretsManagerStore({
      client: new SecretsManagerClient({ region: REGION }),
      secretIds: SECRETS,
    });
    expect(await store.get('workday')).toBeUndefined();
    const error = await store.get('procore').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/JSON object of strings/);
    expect(String(error)).not.toContain('hunter2');
  });
});

describe('createSqsQueue()', () => {
  it('sends in batches of ten that arrive whole, with the delay asked for', async () => {
    const ports = await freshPorts();
    const bodies = Array.from({ length: 23 }, (_, i) => `{"n":${i}}`);
    await ports.records.send(bodies);
    await ports.records.send(['later'], 1);
    const url = await ports.records.url();
    const got: string[] = [];
    for (let i = 0; i < 5 && got.length < 23; i++)
      got.push(...(await receive(sqs.client, url, 10)).map((m) => m.Body ?? ''));
    expect(got.sort()).toEqual([...bodies].sort());
    // local-aws-sqs also counts in-flight messages as visible; SQS would answer 0 there.
    expect(await ports.records.depth()).toMatchObject({ inFlight: 23, delayed: 1 });
  });

  describe('on SQS answers it cannot observe in the emulator', () => {
    let mock: ReturnType<typeof mockSqs>;
    beforeEach(() => {
      mock = mockSqs();
    });
    afterEach(() => {
      mock.restore();
    });
    const queue = () =>
      createSqsQueue({
        client: new SQSClient({ region: REGION }),
        queue: { url: 'https://sqs.us-east-1.amazonaws.com/111111111111/q' },
        sleep: async () => undefined,
        maxAttempts: 3,
      });

    it('resends only the entries SQS failed', async () => {
      mock
        .on(SendMessageBatchCommand)
        .resolvesOnce({ Successful: [], Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] })
        .resolves({ Successful: [], Failed: [] });
      await queue().send(['a', 'b']);
      const calls = mock
        .commandCalls(SendMessageBatchCommand)
        .map((c) => c.args[0].input.Entries?.map((e) => e.MessageBody));
      expect(calls).toEqual([['a', 'b'], ['b']]);
    });

    it('throws when entries keep failing, and at once when SQS blames the message', async () => {
      mock
        .on(SendMessageBatchCommand)
        .resolves({ Failed: [{ Id: '0', Code: 'ServiceUnavailable', SenderFault: false }] });
      await expect(queue().send(['a'])).rejects.toThrow(/refused 1 of 1/);
      expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
      mock.reset();
      mock
        .on(SendMessageBatchCommand)
        .resolves({ Failed: [{ Id: '0', Code: 'InvalidMessageContents', SenderFault: true }] });
      await expect(queue().send(['a'])).rejects.toThrow(/InvalidMessageContents/);
      expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    });
  });
});
