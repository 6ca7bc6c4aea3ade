import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalRuntime, openLocalRuntime, runCycle } from '../../cli/runtime/local';
import { loadCustomerConfig } from '../../lambdas/config/loader';
import type { CustomerConfig } from '../../lambdas/config/schema';
import type { RunSummary } from '../../lambdas/pipeline/summary';
import { createDispatcher } from '../../lambdas/shared/dispatcher';
import { createMemoryLogger, type LogFields, type Logger } from '../../lambdas/shared/logger';
import {
  type ConfigOverrides,
  compareWithProcore,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '../../sandbox';

/** A fixed day, so generated data and windows do not depend on when the test runs. */
export const DAY = Date.parse('2026-11-20T12:00:00Z');

/** A settable clock shared by the simulators and the connector; sleeping moves it instead of waiting. */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export interface E2E {
  sandbox: Sandbox;
  clock: TestClock;
  dir: string;
  configPath: string;
  config: CustomerConfig;
  logger: Logger & { entries: LogFields[] };
  runtime: LocalRuntime;
  /** One sync cycle (until idle by default), after letting Workday's settle lag pass. */
  sync(options?: { untilIdle?: boolean }): Promise<RunSummary>;
  /** Closes and reopens the runtime over the same state file: what a restarted process sees. */
  restart(): Promise<void>;
  /** Rewrites the config with overrides and reopens the runtime with it. */
  reconfigure(overrides: ConfigOverrides): Promise<void>;
  /** Differences between Procore and the oracle of the current Workday data (empty: equal). */
  differences(): ReturnType<typeof compareWithProcore>;
  close(): Promise<void>;
}

export interface E2EOptions extends Omit<SandboxOptions, 'now'> {
  config?: ConfigOverrides;
}

/** Starts the sandbox and a local runtime over it, on one fake clock, with short HTTP timeouts. */
export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  let t = DAY;
  const clock: TestClock = {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
  const { config: overrides, ...sandboxOptions } = options;
  const sandbox = await startSandbox({
    scale: 'small',
    rateLimit: { hourly: 1_000_000, spike: 100_000 },
    ...sandboxOptions,
    now: clock.now,
  });
  const dir = mkdtempSync(join(tmpdir(), 'mlc-e2e-'));
  const baseOverrides: ConfigOverrides = { retry: { maxAttempts: 6, baseDelaySeconds: 1 }, ...overrides };
  let configPath = await sandbox.writeConfig(dir, baseOverrides);
  let config = await loadCustomerConfig(configPath);
  const logger = createMemoryLogger();
  const dispatcher = createDispatcher({ headersTimeoutMs: 3_000, bodyTimeoutMs: 3_000, connectTimeoutMs: 3_000 });
  const open = () =>
    openLocalRuntime({
      config,
      statePath: join(dir, 'state.db'),
      cwd: dir,
      env: { ...sandbox.credentials },
      logger,
      now: clock.now,
      sleep: async (ms) => clock.advance(ms),
      dispatcher,
    });
  let runtime = open();
  const e2e: E2E = {
    sandbox,
    clock,
    dir,
    get configPath() {
      return configPath;
    },
    get config() {
      return config;
    },
    logger,
    get runtime() {
      return runtime;
    },
    async sync(syncOptions = {}) {
      clock.advance(5 * 60_000);
      return runCycle(runtime, { untilIdle: syncOptions.untilIdle ?? true });
    },
    async restart() {
      await runtime.close();
      runtime = open();
    },
    async reconfigure(next) {
      configPath = await sandbox.writeConfig(dir, { ...baseOverrides, ...next });
      config = await loadCustomerConfig(configPath);
      await e2e.restart();
    },
    differences: () => compareWithProcore(sandbox.firm.oracle(), sandbox.procore.state),
    async close() {
      await runtime.close();
      await dispatcher.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return e2e;
}

/** Every record polled lands in exactly one outcome bucket. */
export function bucketsAddUp(summary: RunSummary): boolean {
  const polled = Object.values(summary.polled ?? {}).reduce((a, b) => a + b, 0);
  const outcomes = Object.values(summary.outcomes).reduce((a, b) => a + b, 0);
  return polled === outcomes;
}
