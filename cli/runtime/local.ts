import { randomUUID } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { createLocalQueue, type LocalQueue } from '../../lambdas/adapters/local/queue';
import { drain } from '../../lambdas/adapters/local/runner';
import { createLocalSecretStore, createLocalTokenCache, loadOrCreateKey } from '../../lambdas/adapters/local/secrets';
import { openStateDb, type StateDb } from '../../lambdas/adapters/local/state-db';
import {
  createLocalAuditLog,
  createLocalCursorStore,
  createLocalLease,
  createLocalLedger,
  createLocalRunStore,
} from '../../lambdas/adapters/local/stores';
import { createLocalTaxIdSealer } from '../../lambdas/adapters/local/tax-ids';
import type { CustomerConfig } from '../../lambdas/config/schema';
import { mappingVersion } from '../../lambdas/mapping';
import { processBatch, toSqsEvent } from '../../lambdas/pipeline/batch';
import { mapMessage } from '../../lambdas/pipeline/map';
import { newPollResult, poll } from '../../lambdas/pipeline/poll';
import { exitCodeOf, RunStopped, type RunSummary, summarizeRun } from '../../lambdas/pipeline/summary';
import { writeBatch } from '../../lambdas/pipeline/write';
import type {
  AuditLog,
  Clock,
  CursorStore,
  Lease,
  RunStore,
  SecretStore,
  SyncLedger,
  TaxIdSealer,
  TokenCache,
} from '../../lambdas/ports';
import { createProcoreClient } from '../../lambdas/procore/client';
import type { ProcoreClient } from '../../lambdas/procore/types';
import { createDispatcher } from '../../lambdas/shared/dispatcher';
import { ConfigError, LeaseHeldError } from '../../lambdas/shared/errors';
import { sleep as realSleep } from '../../lambdas/shared/http';
import type { Logger } from '../../lambdas/shared/logger';
import { createWorkdayClient, type WorkdayClient } from '../../lambdas/workday/client';

/** Messages per local batch: what a Lambda event source would hand the function at once. */
const MAP_BATCH = 100;
const WRITE_BATCH = 100;
const VISIBILITY_SECONDS = 300;
export const LEASE_TTL_MS = 60 * 60_000;
/** A live run renews its lease this often, so a run longer than the TTL keeps it. */
const LEASE_RENEW_MS = 5 * 60_000;

/** The whole pipeline on one machine: SQLite state, the local queues, and both clients. */
export interface LocalRuntime {
  config: CustomerConfig;
  statePath: string;
  db: StateDb;
  cursors: CursorStore;
  lease: Lease;
  ledger: SyncLedger;
  audit: AuditLog;
  runs: RunStore;
  secrets: SecretStore;
  tokens: TokenCache;
  taxIds: TaxIdSealer;
  records: LocalQueue;
  writes: LocalQueue;
  workday: WorkdayClient;
  procore: ProcoreClient;
  logger: Logger;
  now: Clock;
  sleep: (ms: number) => Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  config: CustomerConfig;
  /** `--state`; default `.ml-connector/<customerId>.db` under `cwd`. */
  statePath?: string | undefined;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  now?: Clock;
  sleep?: (ms: number) => Promise<void>;
  dispatcher?: Dispatcher;
}

/** The state file (README, "Commands"): `--state`, else `.ml-connector/<customerId>.db` under the working directory. */
export function statePathFor(config: CustomerConfig, cwd: string, state: string | undefined): string {
  if (state === undefined) return join(cwd, '.ml-connector', `${config.customerId}.db`);
  return isAbsolute(state) ? state : resolve(cwd, state);
}

/** Opens the state database (and its key file) and builds every adapter and client once. */
export function openLocalRuntime(options: RuntimeOptions): LocalRuntime {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const statePath = statePathFor(config, options.cwd, options.statePath);
  const db = openStateDb(statePath);
  const key = loadOrCreateKey(`${statePath}.key`);
  const secrets = createLocalSecretStore(db, key);
  const tokens = createLocalTokenCache(db, key);
  const dispatcher = options.dispatcher ?? createDispatcher();
  const env = { ...options.env };
  const common = { secrets, tokens, env, dispatcher, logger, now, sleep };
  return {
    config,
    statePath,
    db,
    cursors: createLocalCursorStore(db),
    lease: createLocalLease(db, now),
    ledger: createLocalLedger(db),
    audit: createLocalAuditLog(db),
    runs: createLocalRunStore(db),
    secrets,
    tokens,
    taxIds: createLocalTaxIdSealer(key),
    records: createLocalQueue(db, 'records', config.retry.maxAttempts, now),
    writes: createLocalQueue(db, 'writes', config.retry.maxAttempts, now),
    workday: createWorkdayClient({ config: config.workday, invoiceStatuses: config.invoices.statuses, ...common }),
    procore: createProcoreClient({ config: config.procore, ...common }),
    logger,
    now,
    sleep,
    close: async () => {
      db.close();
      if (options.dispatcher === undefined) await dispatcher.close();
    },
  };
}

export interface CycleOptions {
  untilIdle: boolean;
  onProgress?: (event: { stage: string; detail: string }) => void;
}

/**
 * One sync cycle through the local runtime: lease, poll every entity, drain the map and write queues
 * with the same batch handlers the Lambdas run, then summarise. Throws LeaseHeldError when another run is on.
 */
export async function runCycle(rt: LocalRuntime, options: CycleOptions): Promise<RunSummary> {
  const runId = newRunId(rt.now);
  const startedAt = new Date(rt.now()).toISOString();
  const calls = () => ({ workday: rt.workday.stats.calls, procore: rt.procore.stats.calls });
  const startCalls = calls();
  const polled = newPollResult();
  const summarize = () => {
    const end = calls();
    return summarizeRun({
      customerId: rt.config.customerId,
      runId,
      startedAt,
      finishedAt: new Date(rt.now()).toISOString(),
      dryRun: false,
      poll: polled,
      ledger: rt.ledger,
      calls: { workday: end.workday - startCalls.workday, procore: end.procore - startCalls.procore },
    });
  };
  if (!(await rt.lease.acquire(runId, LEASE_TTL_MS))) {
    const held = new LeaseHeldError(
      `another sync of ${rt.config.customerId} holds the lease on ${rt.statePath}: wait for it to finish (a run that died on this machine is taken over at once; one on another machine sharing the state file, an hour after it stopped)`,
    );
    throw new RunStopped(await summarize(), held);
  }
  // A run longer than the TTL keeps its lease: renewed as it makes progress, and on a timer between.
  const lease = keepLease(rt, runId, options);
  await rt.runs.put({ runId, startedAt });
  try {
    rt.procore.clearCaches();
    const version = mappingVersion(rt.config);
    await poll(
      {
        config: rt.config,
        mappingVersion: version,
        workday: rt.workday,
        cursors: rt.cursors,
        ledger: rt.ledger,
        audit: rt.audit,
        records: rt.records,
        taxIds: rt.taxIds,
        logger: rt.logger,
        now: rt.now,
      },
      {
        runId,
        onPage: (entity, page, total) =>
          lease.progress.onProgress?.({ stage: 'poll', detail: `${entity} page ${page}/${total}` }),
      },
      polled,
    );
    await drainQueues(rt, lease.progress);
    const summary = await summarize();
    await rt.runs.put({ runId, startedAt, finishedAt: summary.finishedAt, exitCode: exitCodeOf(summary), summary });
    return summary;
  } catch (error) {
    await rt.runs.put({ runId, startedAt, finishedAt: new Date(rt.now()).toISOString(), exitCode: 3 });
    throw await stoppedRun(error, summarize);
  } finally {
    lease.stop();
    await rt.lease.release(runId);
  }
}

/** Renews the lease as the run makes progress and on a timer between; `stop` ends the timer. */
export function keepLease(
  rt: LocalRuntime,
  runId: string,
  options: CycleOptions,
): { progress: CycleOptions; stop: () => void } {
  let renewedAt = rt.now();
  const renew = () => {
    renewedAt = rt.now();
    rt.lease.acquire(runId, LEASE_TTL_MS).catch(() => {});
  };
  const renewal = setInterval(renew, LEASE_RENEW_MS);
  renewal.unref();
  return {
    progress: {
      ...options,
      onProgress: (event) => {
        if (rt.now() - renewedAt >= LEASE_RENEW_MS) renew();
        options.onProgress?.(event);
      },
    },
    stop: () => clearInterval(renewal),
  };
}

/**
 * The error a stopped run throws: what it did until then with the cause, except for missing credentials
 * (a setup problem, exit 2) and a summary that cannot be read (the cause alone).
 */
export async function stoppedRun(error: unknown, summarize: () => Promise<RunSummary>): Promise<unknown> {
  if (error instanceof ConfigError || error instanceof RunStopped) return error;
  try {
    return new RunStopped(await summarize(), error);
  } catch {
    return error;
  }
}

/** A run id that sorts by start time: `20260301T120000000Z-1a2b3c4d`. */
export function newRunId(now: Clock): string {
  return `${new Date(now()).toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
}

/** Drains the map and write queues with the same batch handlers the Lambdas run (shared by `sync` and `replay`). */
export async function drainQueues(rt: LocalRuntime, options: CycleOptions): Promise<void> {
  const settleDeps = { config: rt.config, ledger: rt.ledger, audit: rt.audit, logger: rt.logger, now: rt.now };
  const mapDeps = { ...settleDeps, records: rt.records, writes: rt.writes };
  const writeDeps = { ...settleDeps, procore: rt.procore, writes: rt.writes, records: rt.records, taxIds: rt.taxIds };
  await drain(
    [
      {
        queue: rt.records,
        batchSize: MAP_BATCH,
        visibilitySeconds: VISIBILITY_SECONDS,
        handle: (messages) => processBatch(toSqsEvent(messages), (m) => mapMessage(mapDeps, m)),
      },
      {
        queue: rt.writes,
        batchSize: WRITE_BATCH,
        visibilitySeconds: VISIBILITY_SECONDS,
        handle: (messages) => writeBatch(writeDeps, toSqsEvent(messages)),
      },
    ],
    {
      untilIdle: options.untilIdle,
      now: rt.now,
      sleep: rt.sleep,
      onBatch: (stage, size) => options.onProgress?.({ stage, detail: `${size} records` }),
    },
  );
}
