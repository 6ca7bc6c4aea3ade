import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DynamoDBClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openLocalRuntime, runCycle } from '../../cli/runtime/local';
import { type AwsPorts, createAwsPorts } from '../../lambdas/adapters/aws';
import { loadCustomerConfig } from '../../lambdas/config/loader';
import { mappingVersion, mapRecord, rawHash } from '../../lambdas/mapping';
import { countByEntity } from '../../lambdas/pipeline/summary';
import type { Outcome } from '../../lambdas/ports';
import { silentLogger } from '../../lambdas/shared/logger';
import { workdayRecordSchema } from '../../lambdas/workday/records';
import { FAULT_PROFILES } from '../../sandbox/faults';
import { compareWithProcore, type Sandbox, startSandbox } from '../../sandbox/index';
import { FAKE_CREDENTIALS, REGION } from '../helpers/aws/emulators';
import type { Invocation } from '../helpers/aws/sqs-consumer';
import { receive } from '../helpers/aws/sqs-consumer';
import { type EmulatedStack, startEmulatedStack } from '../helpers/aws/topology';
import { expectEinsInProcore, expectNoPrivateData, firmPrivateData } from '../helpers/private-data';
import { runCli } from '../unit/cli/capture-io';

const SEED = 11;
const FAST = { rateLimit: { hourly: 1_000_000, spike: 100_000 } };
// Small Workday pages, so a poll has pages to pause between.
const OVERRIDES = { workday: { pageSize: 10 }, retry: { maxAttempts: 2, baseDelaySeconds: 1 } };

/** The EMF metrics and JSON logs the handlers wrote to stdout and stderr. */
const output: string[] = [];
const metricTotals = () => {
  const totals: Record<string, number> = {};
  for (const line of output) {
    if (!line.includes('"_aws"')) continue;
    const emf = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
    };
    for (const { Name } of emf._aws.CloudWatchMetrics[0]?.Metrics ?? []) {
      const value = emf[Name];
      totals[Name] = (totals[Name] ?? 0) + (typeof value === 'number' ? value : 0);
    }
  }
  return totals;
};

describe('the AWS topology (real handlers, dynalite, local-aws-sqs, the sandbox)', () => {
  let sandbox: Sandbox;
  let stack: EmulatedStack;
  let ports: AwsPorts;
  let customerId: string;
  let configPath: string;
  const invocations: Invocation[] = [];

  beforeAll(async () => {
    // Only Date is faked, advancing with real time, so the scenario's later changes can be polled past Workday's settle lag.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    // Powertools writes logs and EMF to the process streams, as on Lambda: kept here for the assertions.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        output.push(...String(chunk).split('\n').filter(Boolean));
        return true;
      });
    }
    sandbox = await startSandbox({
      scale: 'small',
      seed: SEED,
      ...FAST,
      workdayAuth: 'oauth',
      rotateRefreshTokens: true,
      now: () => Date.now(),
    });
    const dir = mkdtempSync(join(tmpdir(), 'mlc-aws-'));
    configPath = await sandbox.writeConfig(dir, OVERRIDES);
    const config = await loadCustomerConfig(configPath);
    stack = await startEmulatedStack({ config, configPath, credentials: sandbox.credentials, visibilitySeconds: 1 });
    customerId = config.customerId;
    // What an operator's CLI would build: the stack's names, endpoints from the environment (the emulators').
    ports = createAwsPorts({ customerId, region: REGION });
  });

  afterAll(async () => {
    await stack?.close();
    await sandbox?.close();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('syncs the firm to the same Procore state as the local runtime, with a poison message dead-lettered on the side', async () => {
    // 79 s left: after the first page less than the poll's page budget (60 s) remains before the deadline margin.
    expect(await stack.schedule(79_000)).toMatchObject({ complete: false, polled: { suppliers: 10 } });
    expect(await stack.schedule()).toMatchObject({ complete: true });
    // A body no mapper can read, among the real ones: reported as a batch item failure until SQS gives up on it.
    await stack.sqsClient.send(
      new SendMessageCommand({ QueueUrl: stack.records.url, MessageBody: '{"v":1,"poison":true}' }),
    );
    await stack.drain((i) => invocations.push(i));

    expect(compareWithProcore(sandbox.firm.oracle(), sandbox.procore.state)).toEqual([]);
    const partial = invocations.find((i) => i.source === 'mapper' && i.failures > 0 && i.failures < i.size);
    expect(partial).toBeDefined();
    expect(await stack.depth(stack.records.dlqUrl)).toBe(1);
    const [dead] = await receive(stack.sqsClient, stack.records.dlqUrl, 10, 0);
    expect(dead?.Body).toBe('{"v":1,"poison":true}');

    // The same seed through the local runtime ends with the same outcomes.
    const local = await startSandbox({ scale: 'small', seed: SEED, ...FAST, now: () => Date.now() });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'mlc-local-'));
      const config = await loadCustomerConfig(await local.writeConfig(dir, OVERRIDES));
      const rt = openLocalRuntime({ config, cwd: dir, env: local.credentials, logger: silentLogger });
      await runCycle(rt, { untilIdle: true });
      expect(compareWithProcore(local.firm.oracle(), local.procore.state)).toEqual([]);
      expect(await ports.ledger.counts()).toEqual(await rt.ledger.counts());
      await rt.close();
    } finally {
      await local.close();
    }
  });

  it('keeps every tax ID and bank number out of DynamoDB, the queue bodies and the payload objects, and sends the EINs', async () => {
    const values = firmPrivateData(sandbox);
    expect(values.some((v) => / (USA-)?EIN$/.test(v.what))).toBe(true);
    const dynamodb = new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: REGION,
      credentials: FAKE_CREDENTIALS,
    });
    const items: string[] = [];
    for (const table of [stack.names.stateTable, stack.names.auditTable]) {
      let start: ScanCommandOutput['LastEvaluatedKey'];
      do {
        const page = await dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
        for (const item of page.Items ?? []) {
          // Large JSON values are stored gzipped: read as the adapter would.
          items.push(JSON.stringify(item), item.gz?.B === undefined ? '' : gunzipSync(item.gz.B).toString('utf8'));
        }
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
    }
    expect(items.length).toBeGreaterThan(0);
    const objects: string[] = [];
    const listed = await stack.s3Client.send(new ListObjectsV2Command({ Bucket: stack.bucket }));
    for (const { Key } of listed.Contents ?? []) {
      const object = await stack.s3Client.send(new GetObjectCommand({ Bucket: stack.bucket, Key }));
      objects.push((await object.Body?.transformToString('utf8')) ?? '');
    }
    const bodies = invocations.flatMap((i) => i.bodies);
    expect(bodies.some((b) => b.includes('"kind":"supplier"'))).toBe(true);
    expect(bodies.some((b) => b.includes('"resource":"vendor"'))).toBe(true);

    expectNoPrivateData(values, {
      'a DynamoDB item': items.join('\n'),
      'a queue body': bodies.join('\n'),
      'a payload object': objects.join('\n'),
    });
    expect(expectEinsInProcore(sandbox)).toBeGreaterThan(0);
    const taxIdContexts = stack.kmsSecrets.kmsCalls.filter((c) => c.encryptionContext.purpose === 'taxId');
    expect(new Set(taxIdContexts.map((c) => c.operation))).toEqual(new Set(['Encrypt', 'Decrypt']));
  });

  it('dead-letters the writes of an outage after maxAttempts and writes them once redriven', async () => {
    const changes = sandbox.firm.scenario.afterFirstSync(sandbox.workday, sandbox.procore);
    vi.setSystemTime(Date.now() + 5 * 60_000);
    sandbox.procore.faults.rates = { ...FAULT_PROFILES.none, serverError: 1 };
    await stack.schedule();
    await stack.drain();

    const changed = changes.map((c) => c.key);
    const outcomes = async () => {
      const entries = await ports.ledger.getMany(changed);
      return changed.map((key) => entries.get(key)?.status);
    };
    expect(await stack.depth(stack.writes.dlqUrl)).toBe(changed.length);
    expect(await outcomes()).toEqual(changed.map((): Outcome => 'deadLettered'));

    sandbox.procore.faults.rates = FAULT_PROFILES.none;
    await stack.redrive(stack.writes);
    await stack.drain();

    expect(await outcomes()).toEqual(changed.map((): Outcome => 'written'));
    expect(compareWithProcore(sandbox.firm.oracle(), sandbox.procore.state)).toEqual([]);
  });

  it('settles an older version as superseded when redriven, delivered late to the mapper or writer, or parked: Procore keeps the newer', async () => {
    const key = (await ports.audit.latestByOutcome('written')).map((e) => e.key).find((k) => k.startsWith('supplier:'));
    const wid = key?.split(':')[1] ?? '';
    const vendorName = () => sandbox.procore.state.vendors().find((v) => v.origin_id === wid)?.name;
    const cycle = async () => {
      vi.setSystemTime(Date.now() + 5 * 60_000);
      await stack.schedule();
      await stack.drain();
    };
    // v1 meets a Procore outage and ends in the writes DLQ; v2 is written once Procore is back.
    sandbox.workday.store.suppliers.update(wid, { name: 'Renamed Once Ltd' });
    sandbox.procore.faults.rates = { ...FAULT_PROFILES.none, serverError: 1 };
    await cycle();
    expect(await stack.depth(stack.writes.dlqUrl)).toBe(1);
    sandbox.procore.faults.rates = FAULT_PROFILES.none;
    sandbox.workday.store.suppliers.update(wid, { name: 'Renamed Twice Ltd' });
    await cycle();
    expect(vendorName()).toBe('Renamed Twice Ltd');

    await stack.redrive(stack.writes);
    await stack.drain();

    expect(vendorName()).toBe('Renamed Twice Ltd');
    expect((await ports.ledger.get(key ?? ''))?.status).toBe('written');
    const superseded = async () =>
      (await ports.audit.query({ key: key ?? '' })).filter((e) => e.outcome === 'superseded').map((e) => e.stage);
    expect(await superseded()).toEqual(['write']);

    // v1 again, late: to the mapper, to the writer, and parked to the writer with a delay.
    const polled = (await ports.audit.query({ key: key ?? '' })).find(
      (e) => e.stage === 'poll' && (e.record as { name?: string } | undefined)?.name === 'Renamed Once Ltd',
    );
    const record = workdayRecordSchema.parse(polled?.record);
    const config = await loadCustomerConfig(configPath);
    const version = { runId: 'late', key: key ?? '', rawHash: rawHash(record), seenAt: polled?.at ?? '' };
    const mapped = mapRecord(record, config, { poLines: () => undefined });
    if (mapped.outcome !== 'mapped') throw new Error('v1 does not map');
    const writeBody = { v: 1, ...version, mappingVersion: mappingVersion(config), mappedHash: mapped.mappedHash };
    const send = (QueueUrl: string, body: object, DelaySeconds = 0) =>
      stack.sqsClient.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body), DelaySeconds }));
    const writes = sandbox.procore.calls.writes;
    await send(stack.records.url, { v: 1, ...version, record, mappingVersion: mappingVersion(config) });
    await send(stack.writes.url, { ...writeBody, commands: mapped.commands });
    await send(stack.writes.url, { ...writeBody, commands: mapped.commands, parkedSince: polled?.at, parks: 1 }, 1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await stack.drain();

    expect(vendorName()).toBe('Renamed Twice Ltd');
    expect(sandbox.procore.calls.writes).toBe(writes);
    expect((await superseded()).sort()).toEqual(['map', 'write', 'write', 'write']);
    expect((await ports.ledger.get(key ?? ''))?.rawHash).not.toBe(rawHash(record));
  });

  it('emits the pipeline metrics, keeps the rotated refresh token in Secrets Manager and no secret in any log', async () => {
    const totals = metricTotals();
    // One heartbeat per poller run: the firm's two (the first paused), the outage's, and the versions test's two.
    expect(totals.PollHeartbeat).toBe(5);
    expect(totals.RecordsWritten).toBeGreaterThan(100);
    expect(totals.RecordsDeadLettered).toBeGreaterThan(0);
    expect(totals.ProcoreCalls).toBeGreaterThan(0);
    expect(totals).toHaveProperty('SyncLagSeconds');
    const stored = JSON.parse(stack.kmsSecrets.secrets.get(stack.names.workdaySecret) ?? '{}') as Record<
      string,
      string
    >;
    expect(stored.refreshToken).toBe(sandbox.workday.currentRefreshToken());
    const contexts = new Set(stack.kmsSecrets.kmsCalls.map((c) => c.encryptionContext.customerId));
    expect(contexts).toEqual(new Set([customerId]));
    const logged = output.join('\n');
    for (const secret of Object.values(sandbox.credentials)) expect(logged).not.toContain(secret);
  });

  it('is operated from the CLI with --aws --customer: status, replay, report and secrets set', async () => {
    // An operator's checkout of the CDK app: the deployed config under customers/, the stack's region.
    const cwd = mkdtempSync(join(tmpdir(), 'mlc-operator-'));
    mkdirSync(join(cwd, 'customers'));
    copyFileSync(configPath, join(cwd, 'customers', `${customerId}.json`));
    const cli = (args: string[], stdin = '') =>
      runCli([...args, '--aws', '--customer', customerId], {
        io: { cwd, env: { AWS_REGION: REGION }, stdin: async () => stdin },
      });

    const status = await cli(['status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      customerId,
      counts: await ports.ledger.counts(),
      deadLetters: 1, // the poison message; the writes DLQ was redriven
    });
    expect((await cli(['status'])).stdout).toContain(`(stack ${stack.names.stack} in ${REGION})`);

    // The command waits for the deployed pipeline: Lambda's event sources run meanwhile.
    const [written] = (await ports.audit.latestByOutcome('written')).map((e) => e.key);
    let waiting = true;
    const pipeline = (async () => {
      while (waiting) {
        await stack.drain();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const replayed = await cli(['replay', '--key', written ?? '', '--json']).finally(() => {
      waiting = false;
    });
    await pipeline;
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({
      replayed: countByEntity([written ?? '']),
      outcomes: { unchanged: 1, written: 0, pending: 0 },
      problems: [],
      calls: { workday: 0, procore: 0 },
      callsNote: expect.stringContaining('the deployed writer made the Procore calls'),
    });
    expect((await ports.ledger.get(written ?? ''))?.status).toBe('unchanged');
    const unknown = await cli(['replay', '--key', 'invoice:NO-SUCH-WID']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('the audit trail has no record invoice:NO-SUCH-WID');

    // Workday read fresh, Procore read back, through the stack's secrets and token cache: every difference
    // is a record the firm's data quarantines on purpose.
    const report = await cli(['report', '--json']);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(1);
    const traced = (JSON.parse(report.stdout) as { rows: { records: string[] }[] }).rows.flatMap((r) => r.records);
    expect(traced.length).toBeGreaterThan(0);
    const expected = sandbox.firm.oracle().expectedOutcomes;
    for (const key of traced) expect([key, expected.get(key)]).toEqual([key, 'quarantined']);

    const procore = { clientId: 'rotated-client', clientSecret: 'rotated-secret-value' };
    const set = await cli(['secrets', 'set', '--system', 'procore'], JSON.stringify(procore));
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`Secrets Manager secret ${stack.names.procoreSecret}`);
    expect(set.stdout + set.stderr).not.toContain('rotated-secret-value');
    expect(JSON.parse(stack.kmsSecrets.secrets.get(stack.names.procoreSecret) ?? '{}')).toEqual(procore);

    const elsewhere = await runCli(['status', '--aws', '--customer', 'no-such-co'], {
      io: { cwd, env: { AWS_REGION: REGION } },
    });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('customer no-such-co has no deployed stack MlConnector-no-such-co in us-east-1');
  });
});
