import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalRuntime, openLocalRuntime, runCycle } from '../cli/runtime/local';
import { loadCustomerConfig } from '../lambdas/config/loader';
import type { RunSummary } from '../lambdas/pipeline/summary';
import { createDispatcher } from '../lambdas/shared/dispatcher';
import { silentLogger } from '../lambdas/shared/logger';
import type { Sandbox } from '../sandbox';
import { startSandbox } from '../sandbox';
import type { Scale } from '../sandbox/seed/scale';
import { type StageMark, stageDurations } from './stats';

/** A fixed day, so generated data and windows do not depend on when the bench runs. */
export const DAY = Date.parse('2026-11-20T12:00:00Z');
/** High enough that the simulated rate limit never shapes the numbers: the budget is computed, not waited for. */
export const NO_RATE_LIMIT = { hourly: 10_000_000, spike: 1_000_000 };

export interface Latency {
  procoreMs: number;
  workdayMs: number;
}

/** What one connector cycle cost, from the simulators' own call logs. */
export interface CycleMeasure {
  polled: number;
  /** Calls to the API host (quota); token requests are not quota and are left out. */
  procoreCalls: number;
  procoreTokenCalls: number;
  procoreWrites: number;
  workdayCalls: number;
  wallMs: number;
  stagesMs: Record<string, number>;
  procoreByRoute: Record<string, number>;
  outcomes: RunSummary['outcomes'];
}

/** The sandbox, one fake clock shared with the connector, and the local runtime over a temp state file. */
export interface ConnectorRig {
  sandbox: Sandbox;
  runtime: LocalRuntime;
  cycle(): Promise<CycleMeasure>;
  close(): Promise<void>;
}

export async function openRig(scale: Scale, latency: Latency, seed = 1): Promise<ConnectorRig> {
  let t = DAY;
  const now = () => t;
  const sandbox = await startSandbox({ scale, seed, now, rateLimit: NO_RATE_LIMIT, latency });
  const dir = mkdtempSync(join(tmpdir(), 'mlc-bench-'));
  const configPath = await sandbox.writeConfig(dir, { retry: { maxAttempts: 6, baseDelaySeconds: 1 } });
  const config = await loadCustomerConfig(configPath);
  const dispatcher = createDispatcher();
  const runtime = openLocalRuntime({
    config,
    statePath: join(dir, 'state.db'),
    cwd: dir,
    env: { ...sandbox.credentials },
    logger: silentLogger,
    now,
    // Retry and park delays move the fake clock: they would not cost wall time in a scheduled deployment either.
    sleep: async (ms) => {
      t += ms;
    },
    dispatcher,
  });
  return {
    sandbox,
    runtime,
    async cycle() {
      t += 5 * 60_000; // Workday's settle lag, as the e2e harness does.
      const procoreLog = sandbox.procore.calls;
      procoreLog.reset();
      const workdayBefore = sandbox.workday.calls.total;
      const marks: StageMark[] = [];
      const start = performance.now();
      marks.push({ stage: 'poll', at: start });
      const summary = await runCycle(runtime, {
        untilIdle: true,
        onProgress: ({ stage }) => marks.push({ stage: stageName(stage), at: performance.now() }),
      });
      const end = performance.now();
      return {
        polled: Object.values(summary.polled ?? {}).reduce((a, b) => a + b, 0),
        procoreCalls: procoreLog.total - tokenCalls(procoreLog.byRoute),
        procoreTokenCalls: tokenCalls(procoreLog.byRoute),
        procoreWrites: procoreLog.writes,
        workdayCalls: sandbox.workday.calls.total - workdayBefore,
        wallMs: Math.round(end - start),
        stagesMs: roundAll(stageDurations(marks, end)),
        procoreByRoute: { ...procoreLog.byRoute },
        outcomes: summary.outcomes,
      };
    },
    async close() {
      await runtime.close();
      await dispatcher.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The runner names stages by queue; the report names them by what runs there.
function stageName(stage: string): string {
  if (stage === 'records') return 'map';
  if (stage === 'writes') return 'write';
  return stage;
}

function roundAll(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v)]));
}

function tokenCalls(byRoute: Record<string, number>): number {
  return Object.entries(byRoute)
    .filter(([route]) => route.includes(' /oauth/'))
    .reduce((sum, [, n]) => sum + n, 0);
}
