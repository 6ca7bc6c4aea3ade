import { buildCli, disposeCli, type Launcher } from './child';
import { CRASH_KINDS, type CrashKind, type CrashRun, crashRun, measureReach, type PhaseReach } from './crash';
import { type FaultRun, faultRun } from './faults';

/** How big a campaign is; `ci` fits a test, `large` takes minutes. */
export interface CampaignSize {
  crashRuns: number;
  /** Kills per crash run before it is let finish (each run draws 1…maxKills). */
  maxKills: number;
  /** Crash runs at once (each a sandbox and one child at a time). */
  concurrency: number;
  /**
   * Every how many crash runs one kills the sync after a change (0: never); the others kill the first sync.
   * CI leaves them out until the change-order fix lands (see campaign/README.md).
   */
  updateEvery: number;
  faultRuns: number;
  /** Of the fault runs, how many use the `firm` scale (about 2,900 records) instead of `small`. */
  firmFaultRuns: number;
  faultCycles: number;
  maxRequestsPerFaultRun: number;
  maxMsPerFaultRun: number;
}

export const SIZES = {
  ci: {
    crashRuns: 3,
    maxKills: 3,
    concurrency: 2,
    updateEvery: 3,
    faultRuns: 3,
    firmFaultRuns: 0,
    faultCycles: 3,
    maxRequestsPerFaultRun: 2_000,
    maxMsPerFaultRun: 15_000,
  },
  large: {
    crashRuns: 60,
    maxKills: 3,
    concurrency: 2,
    updateEvery: 4,
    faultRuns: 30,
    firmFaultRuns: 3,
    faultCycles: 4,
    maxRequestsPerFaultRun: 20_000,
    maxMsPerFaultRun: 120_000,
  },
} as const satisfies Record<string, CampaignSize>;

export interface CampaignOptions {
  size: CampaignSize;
  /** First seed; run i uses seed + i. */
  seed: number;
  launcher: Launcher;
  /** Called after each run, for progress output. */
  onRun?: (line: string) => void;
}

export interface CampaignResult {
  seed: number;
  launcher: Launcher;
  /** A clean sync per kind of kill point (where they can fall), and what its second sync wrote (must be 0). */
  reach: PhaseReach;
  rerunWrites: number;
  crash: {
    runs: number;
    /** Runs whose kills fell on the first full sync, and on the sync after changes. */
    byPhase: Record<'initial' | 'update', number>;
    children: number;
    /** Kill points aimed, hit (the child died there) and missed (its run finished first), by kind. */
    points: Record<CrashKind, { aimed: number; hit: number; routes: string[] }>;
    failedRestarts: number;
    records: number;
  };
  faults: {
    runs: number;
    byAuth: Record<'isu' | 'oauth', number>;
    injected: Record<string, number>;
    cycles: number;
    failedCycles: number;
    replayedDeadLetters: number;
    requests: number;
    records: number;
    simulatedHours: number;
  };
  lost: number;
  duplicated: number;
  wrong: number;
  summariesNotAddingUp: number;
  leftQueued: number;
  /** Runs with any problem, with their seed and first differences. */
  failures: { campaign: 'crash' | 'faults'; seed: number; problems: string[] }[];
  wallMs: number;
  ok: boolean;
}

function problemsOf(run: CrashRun | FaultRun): string[] {
  const problems = [...run.verdict.examples];
  if (!run.summariesAddUp) problems.push('a summary does not add up');
  if (run.leftQueued > 0) problems.push(`${run.leftQueued} messages left queued`);
  if ('failedRestarts' in run) problems.push(...run.failedRestarts.map((f) => `restart failed: ${f}`));
  return problems;
}

/** Runs `todo` with at most `limit` at once. */
async function pool<T>(count: number, limit: number, todo: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await todo(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

/** The crash campaign, then the fault campaign; every run judged against the oracle. */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const cli = await buildCli(options.launcher);
  try {
    return await campaign(options, cli, started);
  } finally {
    disposeCli(cli);
  }
}

async function campaign(options: CampaignOptions, cli: readonly string[], started: number): Promise<CampaignResult> {
  const { size, seed } = options;
  const { reach, rerunWrites } = await measureReach(cli, seed);

  // Kinds in rotation (every kind gets hit even in a small campaign), kill points drawn by each run's seed.
  let kill = 0;
  const crashRuns = await pool(size.crashRuns, size.concurrency, async (i) => {
    const runSeed = seed + i;
    const kills = 1 + ((runSeed * 31) % size.maxKills);
    const kinds = Array.from({ length: kills }, () => CRASH_KINDS[kill++ % CRASH_KINDS.length] ?? 'beforeWrite');
    // Period 4 against the kinds' period of 3 runs: every kind falls on both phases over 12 runs.
    const phase = size.updateEvery > 0 && i % size.updateEvery === 2 ? 'update' : 'initial';
    const run = await crashRun({ cli, seed: runSeed, kinds, reach, phase });
    const hits = run.crashes.map((c) => `${c.kind}#${c.n}${c.hit ? '' : ' (finished first)'}`).join(', ');
    options.onRun?.(
      `crash  seed ${runSeed} ${run.auth.padEnd(5)} ${phase.padEnd(7)} ${hits}: lost ${run.verdict.lost}, duplicated ${run.verdict.duplicated}, wrong ${run.verdict.wrong} (${(run.ms / 1000).toFixed(1)} s)`,
    );
    return run;
  });

  const faultRuns: FaultRun[] = [];
  for (let i = 0; i < size.faultRuns; i++) {
    const runSeed = seed + 1_000 + i;
    const run = await faultRun({
      seed: runSeed,
      scale: i < size.firmFaultRuns ? 'firm' : 'small',
      cycles: size.faultCycles,
      maxRequests: size.maxRequestsPerFaultRun,
      maxMs: size.maxMsPerFaultRun,
    });
    const injected = Object.values(run.injected).reduce((a, b) => a + b, 0);
    options.onRun?.(
      `faults seed ${runSeed} ${run.auth.padEnd(5)} ${run.scale} ${injected} faults, ${run.requests} requests: lost ${run.verdict.lost}, duplicated ${run.verdict.duplicated}, wrong ${run.verdict.wrong} (${(run.ms / 1000).toFixed(1)} s)`,
    );
    faultRuns.push(run);
  }

  const points = Object.fromEntries(
    CRASH_KINDS.map((k) => [k, { aimed: 0, hit: 0, routes: [] as string[] }]),
  ) as Record<CrashKind, { aimed: number; hit: number; routes: string[] }>;
  for (const crash of crashRuns.flatMap((r) => r.crashes)) {
    const point = points[crash.kind];
    point.aimed += 1;
    if (crash.hit === undefined) continue;
    point.hit += 1;
    if (!point.routes.includes(crash.hit)) point.routes.push(crash.hit);
  }
  const injected: Record<string, number> = {};
  for (const run of faultRuns)
    for (const [type, n] of Object.entries(run.injected)) injected[type] = (injected[type] ?? 0) + n;
  const all: (CrashRun | FaultRun)[] = [...crashRuns, ...faultRuns];
  const sum = (f: (r: CrashRun | FaultRun) => number) => all.reduce((n, r) => n + f(r), 0);
  const failures = [
    ...crashRuns.map((r) => ({ campaign: 'crash' as const, seed: r.seed, problems: problemsOf(r) })),
    ...faultRuns.map((r) => ({ campaign: 'faults' as const, seed: r.seed, problems: problemsOf(r) })),
  ].filter((f) => f.problems.length > 0);
  const result: CampaignResult = {
    seed,
    launcher: options.launcher,
    reach,
    rerunWrites,
    crash: {
      runs: crashRuns.length,
      byPhase: {
        initial: crashRuns.filter((r) => r.phase === 'initial').length,
        update: crashRuns.filter((r) => r.phase === 'update').length,
      },
      children: crashRuns.reduce((n, r) => n + r.children, 0),
      points,
      failedRestarts: crashRuns.reduce((n, r) => n + r.failedRestarts.length, 0),
      records: crashRuns.reduce((n, r) => n + r.records, 0),
    },
    faults: {
      runs: faultRuns.length,
      byAuth: {
        isu: faultRuns.filter((r) => r.auth === 'isu').length,
        oauth: faultRuns.filter((r) => r.auth === 'oauth').length,
      },
      injected,
      cycles: faultRuns.reduce((n, r) => n + r.cycles, 0),
      failedCycles: faultRuns.reduce((n, r) => n + r.failedCycles.length, 0),
      replayedDeadLetters: faultRuns.reduce((n, r) => n + r.replayedDeadLetters, 0),
      requests: faultRuns.reduce((n, r) => n + r.requests, 0),
      records: faultRuns.reduce((n, r) => n + r.records, 0),
      simulatedHours: Number((faultRuns.reduce((n, r) => n + r.simulatedMs, 0) / 3_600_000).toFixed(1)),
    },
    lost: sum((r) => r.verdict.lost),
    duplicated: sum((r) => r.verdict.duplicated),
    wrong: sum((r) => r.verdict.wrong),
    summariesNotAddingUp: all.filter((r) => !r.summariesAddUp).length,
    leftQueued: sum((r) => r.leftQueued),
    failures,
    wallMs: Date.now() - started,
    ok: false,
  };
  result.ok = failures.length === 0 && rerunWrites === 0;
  return result;
}
