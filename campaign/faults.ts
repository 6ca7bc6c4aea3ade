import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReplay } from '../cli/operate/replay-run';
import { type LocalRuntime, openLocalRuntime, runCycle } from '../cli/runtime/local';
import { loadCustomerConfig } from '../lambdas/config/loader';
import { createDispatcher } from '../lambdas/shared/dispatcher';
import { createMemoryLogger } from '../lambdas/shared/logger';
import { createRng, FAULT_PROFILES, type FaultRates, type FaultType } from '../sandbox/faults';
import { startSandbox } from '../sandbox/server';
import { judge, ledgerOutcomes, queuedMessages, type Verdict } from './check';
import { summaryAddsUp } from './summary';

/** A fixed day, so the generated data and windows do not depend on when the campaign runs. */
const DAY = Date.parse('2026-11-20T12:00:00Z');
const FAULT_TYPES: readonly FaultType[] = ['serverError', 'throttle', 'drop', 'timeout', 'lostResponse', 'tokenExpiry'];

export interface FaultRunOptions {
  seed: number;
  /** `small` (138 records) or `firm` (about 2,900). */
  scale: 'small' | 'firm';
  /** Sync cycles under faults before the calm cycles that let the run settle. */
  cycles: number;
  /** Stop the faulty cycles after this many requests to either system… */
  maxRequests: number;
  /** …or this much wall time. */
  maxMs: number;
}

export interface FaultRun {
  seed: number;
  scale: 'small' | 'firm';
  auth: 'isu' | 'oauth';
  rates: FaultRates;
  rateLimit: { hourly: number; spike: number };
  /**
   * Faults the simulators injected, by type; tokens expired and hourly quotas spent at random points of a
   * cycle; and the 429s Procore answered for a spent quota (beyond the injected throttles).
   */
  injected: Record<FaultType | 'forcedExpiry' | 'quotaSpent' | 'quota429', number>;
  cycles: number;
  /** Cycles that failed as a whole (exit 3: a system unreachable after retries, a page that would not parse). */
  failedCycles: string[];
  /** Records dead-lettered under faults, then replayed once the faults stopped (what an operator does). */
  replayedDeadLetters: number;
  summariesAddUp: boolean;
  leftQueued: number;
  requests: number;
  records: number;
  verdict: Verdict;
  /** Simulated time the run covered (waits for rate limits and backoff cost no wall time). */
  simulatedMs: number;
  ms: number;
}

/** A seeded mix: each fault type off, or up to twice its `heavy` rate. */
function drawRates(random: () => number): FaultRates {
  const rates = { ...FAULT_PROFILES.none };
  for (const type of FAULT_TYPES) {
    if (random() < 0.25) continue;
    // Each timeout costs a real client timeout of wall time: keep them rarer.
    const scale = type === 'timeout' ? 0.5 : 2;
    rates[type] = Number((FAULT_PROFILES.heavy[type] * scale * random()).toFixed(4));
  }
  return rates;
}

/**
 * One seeded fault run, in process over loopback HTTP on a simulated clock: the small firm, a random mix of
 * the simulators' faults, ISU or OAuth with rotating refresh tokens, tokens expired mid-run, tight Procore
 * rate limits (sometimes an hourly quota that runs out). Cycles run until the budget is spent; then the
 * faults stop, dead letters are replayed and the run settles; Procore must equal the oracle.
 */
export async function faultRun(options: FaultRunOptions): Promise<FaultRun> {
  const started = Date.now();
  const random = createRng(options.seed * 104_729 + 3);
  let t = DAY;
  const now = () => t;
  const auth = random() < 0.5 ? 'isu' : 'oauth';
  const rates = drawRates(random);
  const rateLimit =
    random() < 0.35
      ? { hourly: 40 + Math.floor(random() * 100), spike: 20 + Math.floor(random() * 40) }
      : { hourly: 1_000_000, spike: 15 + Math.floor(random() * 60) };
  let requests = 0;
  let quota429 = 0;
  const sandbox = await startSandbox({
    scale: options.scale,
    seed: options.seed,
    workdayAuth: auth,
    rotateRefreshTokens: auth === 'oauth',
    rateLimit,
    now,
    // Workday's client waits two minutes for an answer: a timeout fault drops the request after two seconds.
    timeoutHoldMs: 2_000,
    observer: {
      request: () => {
        requests += 1;
        return undefined;
      },
      response: (r, status) => {
        if (r.system === 'procore' && status === 429) quota429 += 1;
        return undefined;
      },
    },
  });
  sandbox.workday.faults.rates = rates;
  sandbox.procore.faults.rates = rates;
  const dir = mkdtempSync(join(tmpdir(), 'mlc-faults-'));
  const logger = createMemoryLogger();
  // Short timeouts: a timeout fault holds the request until the client gives up, in wall time.
  const dispatcher = createDispatcher({ headersTimeoutMs: 1_500, bodyTimeoutMs: 1_500, connectTimeoutMs: 1_500 });
  const run: FaultRun = {
    seed: options.seed,
    scale: options.scale,
    auth,
    rates,
    rateLimit,
    injected: {
      ...Object.fromEntries(FAULT_TYPES.map((f) => [f, 0])),
      forcedExpiry: 0,
      quotaSpent: 0,
      quota429: 0,
    } as FaultRun['injected'],
    cycles: 0,
    failedCycles: [],
    replayedDeadLetters: 0,
    summariesAddUp: true,
    leftQueued: 0,
    requests: 0,
    records: 0,
    verdict: { lost: 0, duplicated: 0, wrong: 0, examples: [] },
    simulatedMs: 0,
    ms: 0,
  };
  const statePath = join(dir, 'state.db');
  let rt: LocalRuntime | undefined;
  try {
    const configPath = await sandbox.writeConfig(dir, { retry: { maxAttempts: 6, baseDelaySeconds: 1 } });
    const config = await loadCustomerConfig(configPath);
    const open = () =>
      openLocalRuntime({
        config,
        statePath,
        cwd: dir,
        env: { ...sandbox.credentials },
        logger,
        now,
        sleep: async (ms) => {
          t += ms;
        },
        dispatcher,
      });
    // Each cycle is a new process: a fresh runtime over the same state file.
    const cycle = async (expireTokens: boolean) => {
      rt = open();
      run.cycles += 1;
      t += 5 * 60_000;
      try {
        const summary = await runCycle(rt, {
          untilIdle: true,
          onProgress: () => {
            if (!expireTokens) return;
            const r = random();
            if (r < 0.02) {
              run.injected.quotaSpent += 1;
              sandbox.procore.rateLimiter.setRemaining(String(config.procore.companyId), 'hourly', 0);
            } else if (r < 0.06) {
              run.injected.forcedExpiry += 1;
              if (r < 0.04) sandbox.workday.expireAccessTokens();
              else sandbox.procore.expireTokens();
            }
          },
        });
        if (!summaryAddsUp(summary)) run.summariesAddUp = false;
        return summary;
      } catch (error) {
        run.failedCycles.push(error instanceof Error ? `${error.name}: ${error.message.slice(0, 160)}` : String(error));
        return undefined;
      } finally {
        await rt.close();
        rt = undefined;
      }
    };

    for (let c = 0; c < options.cycles; c++) {
      if (requests >= options.maxRequests || Date.now() - started >= options.maxMs) break;
      await cycle(true);
      // Some of the firm changes between cycles, as it does between scheduled runs.
      if (c === 0) sandbox.firm.scenario.afterFirstSync(sandbox.workday, sandbox.procore);
    }

    for (const type of FAULT_TYPES)
      run.injected[type] = sandbox.workday.faults.injected[type] + sandbox.procore.faults.injected[type];
    sandbox.workday.faults.rates = FAULT_PROFILES.none;
    sandbox.procore.faults.rates = FAULT_PROFILES.none;
    t += 60 * 60_000;
    for (let c = 0; c < 4; c++) {
      const summary = await cycle(false);
      if (summary === undefined) continue;
      const deadLettered = [...ledgerOutcomes(statePath).values()].filter((s) => s === 'deadLettered').length;
      if (deadLettered > 0) {
        rt = open();
        try {
          const replay = await runReplay(rt, { status: 'deadLettered' }, undefined);
          run.replayedDeadLetters += Object.values(replay.replayed ?? {}).reduce((a, b) => a + b, 0);
        } finally {
          await rt.close();
          rt = undefined;
        }
        continue;
      }
      if (summary.outcomes.pending === 0) break;
      t += 60 * 60_000;
    }

    // 429s beyond the injected throttles: the quota itself ran out.
    run.injected.quota429 = quota429 - sandbox.procore.faults.injected.throttle;
    const oracle = sandbox.firm.oracle();
    run.records = oracle.expectedOutcomes.size;
    run.requests = requests;
    run.leftQueued = queuedMessages(statePath);
    run.verdict = judge(oracle, sandbox.procore.state, ledgerOutcomes(statePath));
  } finally {
    if (rt !== undefined) await (rt as LocalRuntime).close();
    await dispatcher.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
    run.simulatedMs = t - DAY;
    run.ms = Date.now() - started;
  }
  return run;
}
