import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../sandbox/faults';
import { type ObservedRequest, type ObserverVerdict, type RequestObserver, startSandbox } from '../sandbox/server';
import { judge, ledgerOutcomes, queuedMessages, type Verdict } from './check';
import { type ChildExit, spawnSync } from './child';
import { type SyncSummary, summaryAddsUp } from './summary';

/** Where the child is killed, each a distinct step of a write. */
export const CRASH_KINDS = [
  /** A Procore write is about to reach Procore: it is never applied. */
  'beforeWrite',
  /** Procore applied a single-object write (not a sync batch); the child dies before the answer. */
  'afterWrite',
  /** A Procore write was answered; the child dies at its next request, after recording what it learnt. */
  'afterLedger',
  /** Procore applied a sync batch (vendors, commitment lines, …); the child dies before the answer. */
  'midSyncBatch',
  /** At the Nth Workday page: earlier pages are enqueued and checkpointed, this one never arrives. */
  'midPage',
  /** N milliseconds after the child started: wherever it is (SQLite transactions, mapping, start-up). */
  'anyMoment',
] as const;
export type CrashKind = (typeof CRASH_KINDS)[number];

/** How many requests of each kind a clean sync of one small firm makes (for `anyMoment`, its milliseconds). */
export type Reach = Record<CrashKind, number>;

/** One kill: where it was aimed, and what it hit. */
export interface Crash {
  kind: CrashKind;
  /** The Nth eligible request of the child's run. */
  n: number;
  /** `METHOD route` of the request the child died on; undefined when its run finished first. */
  hit?: string;
}

/** `initial`: the kills fall on the first full sync; `update`: on the sync after ~1% of Workday changed. */
export type CrashPhase = 'initial' | 'update';

/** Eligible requests per kind in a clean sync of each phase. */
export type PhaseReach = Record<CrashPhase, Reach>;

export interface CrashRun {
  seed: number;
  auth: 'isu' | 'oauth';
  phase: CrashPhase;
  crashes: Crash[];
  /** Children started: killed ones, then the ones that finished the sync. */
  children: number;
  /** Finishing children that did not finish (exit 3, e.g. a lease still held by the dead run). */
  failedRestarts: string[];
  /** Every finished child's summary adds up (polled = outcomes). */
  summariesAddUp: boolean;
  /** Messages left queued (not parked) at the end. */
  leftQueued: number;
  records: number;
  verdict: Verdict;
  ms: number;
}

/** Kills the child synchronously from inside the sandbox at the chosen request. */
class KillSwitch implements RequestObserver {
  child: ChildProcess | undefined;
  target: Crash | undefined;
  readonly seen: Reach = { beforeWrite: 0, afterWrite: 0, afterLedger: 0, midSyncBatch: 0, midPage: 0, anyMoment: 0 };
  private armed = false;
  private timer: NodeJS.Timeout | undefined;
  /** The child's last request, to tell where a kill by the clock fell. */
  private last: string | undefined;

  aim(child: ChildProcess | undefined, target: Crash | undefined): void {
    this.child = child;
    this.target = target;
    this.armed = false;
    this.last = undefined;
    clearTimeout(this.timer);
    for (const kind of CRASH_KINDS) this.seen[kind] = 0;
    if (child === undefined || target?.kind !== 'anyMoment') return;
    this.timer = setTimeout(() => {
      if (this.child !== child || this.target !== target || child.exitCode !== null) return;
      child.kill('SIGKILL');
      target.hit = this.last === undefined ? 'before its first request' : `after ${this.last}`;
      this.target = undefined;
    }, target.n);
  }

  request(r: ObservedRequest): ObserverVerdict {
    this.last = `${r.method} ${r.route}`;
    if (this.armed) return this.kill(r);
    if (r.write && this.count('beforeWrite')) return this.kill(r);
    if (r.soap && this.count('midPage')) return this.kill(r);
    return undefined;
  }

  response(r: ObservedRequest, status: number): ObserverVerdict {
    if (!r.write || status < 200 || status >= 300) return undefined;
    const batch = r.route.endsWith('/sync');
    if (!batch && this.count('afterWrite')) return this.kill(r);
    if (batch && this.count('midSyncBatch')) return this.kill(r);
    if (this.count('afterLedger')) this.armed = true;
    return undefined;
  }

  /** Counts an eligible request; true when it is the target. */
  private count(kind: CrashKind): boolean {
    this.seen[kind] += 1;
    return this.target?.kind === kind && this.seen[kind] === this.target.n;
  }

  private kill(r: ObservedRequest): ObserverVerdict {
    const { child, target } = this;
    this.armed = false;
    if (child === undefined || target === undefined) return undefined;
    // SIGKILL first: the dying child must not see its connection go and react to it.
    child.kill('SIGKILL');
    target.hit = `${r.method} ${r.route}`;
    this.target = undefined;
    return 'drop';
  }
}

export interface CrashRunOptions {
  cli: readonly string[];
  seed: number;
  /** The kill points, in order, before the run is let finish; where each falls is drawn from the seed. */
  kinds: readonly CrashKind[];
  phase: CrashPhase;
  /** Eligible requests per kind in clean runs; kill points are drawn below these. */
  reach: PhaseReach;
  /** At most this many finishing children (parked records need one more after their delay). */
  maxFinishes?: number;
}

function parseSummary(exit: ChildExit): SyncSummary | undefined {
  try {
    return JSON.parse(exit.stdout) as SyncSummary;
  } catch {
    return undefined;
  }
}

/**
 * A small firm on the real clock. `changeFirm` applies the scenario's changes stamped three minutes ago:
 * older than the poller's settle lag when the next sync starts, and inside its ten-minute overlap.
 */
async function startCrashSandbox(seed: number, auth: 'isu' | 'oauth', observer: RequestObserver) {
  let offset = 0;
  const sandbox = await startSandbox({
    scale: 'small',
    seed,
    workdayAuth: auth,
    rotateRefreshTokens: auth === 'oauth',
    rateLimit: { hourly: 1_000_000, spike: 100_000 },
    now: () => Date.now() + offset,
    observer,
  });
  const changeFirm = () => {
    offset = -3 * 60_000;
    try {
      sandbox.firm.scenario.afterFirstSync(sandbox.workday, sandbox.procore);
    } finally {
      offset = 0;
    }
  };
  return { sandbox, changeFirm };
}

/**
 * One seeded crash run: a small firm in an in-process sandbox, `ml-connector sync` as a child process
 * SIGKILLed at seeded points (of the first sync, or of the one after a clean sync and ~1% of changes),
 * restarted, then run (no kill) until it finishes with nothing pending; then Procore and the ledger are
 * judged against the oracle.
 */
export async function crashRun(options: CrashRunOptions): Promise<CrashRun> {
  const started = Date.now();
  const random = createRng(options.seed * 7919 + 17);
  const auth = random() < 0.5 ? 'oauth' : 'isu';
  const killSwitch = new KillSwitch();
  const { sandbox, changeFirm } = await startCrashSandbox(options.seed, auth, killSwitch);
  const dir = mkdtempSync(join(tmpdir(), 'mlc-crash-'));
  const run: CrashRun = {
    seed: options.seed,
    auth,
    phase: options.phase,
    crashes: [],
    children: 0,
    failedRestarts: [],
    summariesAddUp: true,
    leftQueued: 0,
    records: 0,
    verdict: { lost: 0, duplicated: 0, wrong: 0, examples: [] },
    ms: 0,
  };
  try {
    const configPath = await sandbox.writeConfig(dir, { retry: { maxAttempts: 6, baseDelaySeconds: 1 } });
    const child = (target: Crash | undefined) => {
      const running = spawnSync(options.cli, {
        configPath,
        statePath: join(dir, 'state.db'),
        dir,
        env: { ...sandbox.credentials },
      });
      run.children += 1;
      killSwitch.aim(running.process, target);
      return running.exited;
    };
    const accept = (exit: ChildExit) => {
      const summary = parseSummary(exit);
      if (summary === undefined || !summaryAddsUp(summary)) run.summariesAddUp = false;
      return summary;
    };

    if (options.phase === 'update') {
      const clean = await child(undefined);
      if (clean.code !== 0 && clean.code !== 1) run.failedRestarts.push(`first sync: exit ${clean.code}`);
      accept(clean);
      changeFirm();
    }

    for (const [k, kind] of options.kinds.entries()) {
      // Later kills fall on a restarted run, which has less left to do.
      const share = k === 0 ? 0.9 : 0.4;
      const reach = Math.max(1, Math.floor(options.reach[options.phase][kind] * share));
      const crash: Crash = { kind, n: 1 + Math.floor(random() * reach) };
      run.crashes.push(crash);
      const exit = await child(crash);
      if (exit.signal === 'SIGKILL') continue;
      // Its run finished before the kill point: nothing more to crash this time.
      if (exit.code === 0 || exit.code === 1) accept(exit);
      else run.failedRestarts.push(`exit ${exit.code}: ${exit.stderr.trim().split('\n').pop() ?? ''}`);
      break;
    }

    for (let i = 0; i < (options.maxFinishes ?? 4); i++) {
      const exit = await child(undefined);
      if (exit.code !== 0 && exit.code !== 1) {
        run.failedRestarts.push(`exit ${exit.code ?? exit.signal}: ${exit.stderr.trim().split('\n').pop() ?? ''}`);
        continue;
      }
      const summary = accept(exit);
      if (summary !== undefined && summary.outcomes.pending === 0) break;
      // Parked records wake after their first delay (retry.baseDelaySeconds).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    killSwitch.aim(undefined, undefined);

    const statePath = join(dir, 'state.db');
    const oracle = sandbox.firm.oracle();
    run.records = oracle.expectedOutcomes.size;
    run.leftQueued = queuedMessages(statePath);
    run.verdict = judge(oracle, sandbox.procore.state, ledgerOutcomes(statePath));
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
    run.ms = Date.now() - started;
  }
  return run;
}

/**
 * Counts the eligible requests of each kind in a clean sync of a small firm (seed `seed`), the Procore writes
 * of a second sync right after it (README, "Commands": none), and the requests of a third after ~1% of changes.
 */
export async function measureReach(
  cli: readonly string[],
  seed: number,
): Promise<{ reach: PhaseReach; rerunWrites: number }> {
  const counter = new KillSwitch();
  const { sandbox, changeFirm } = await startCrashSandbox(seed, 'isu', counter);
  const dir = mkdtempSync(join(tmpdir(), 'mlc-reach-'));
  try {
    const configPath = await sandbox.writeConfig(dir, { retry: { maxAttempts: 6, baseDelaySeconds: 1 } });
    const sync = async () => {
      const running = spawnSync(cli, { configPath, statePath: join(dir, 'state.db'), dir, env: sandbox.credentials });
      counter.aim(running.process, undefined);
      const exit = await running.exited;
      if (exit.code !== 0 && exit.code !== 1)
        throw new Error(`a clean sync failed (exit ${exit.code}): ${exit.stderr}`);
      return { ...counter.seen, anyMoment: exit.ms };
    };
    const initial = await sync();
    const rerunWrites = (await sync()).beforeWrite;
    changeFirm();
    return { reach: { initial, update: await sync() }, rerunWrites };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
