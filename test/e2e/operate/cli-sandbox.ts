import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type ConfigOverrides, type Sandbox, startSandbox } from '../../../sandbox';
import { runCli } from '../../unit/cli/capture-io';

/** What one CLI run left behind. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The small sandbox, a working directory with its config, and `ml-connector` run in-process against both. */
export interface CliSandbox {
  sandbox: Sandbox;
  dir: string;
  config: string;
  /** Runs `ml-connector <args…>` with `--config` appended; env: the sandbox credentials unless given. */
  run(args: readonly string[], options?: { env?: Record<string, string>; stdin?: string }): Promise<CliRun>;
  /** Runs with `--json` and parses the one JSON object stdout must hold. */
  json<T = Record<string, unknown>>(
    args: readonly string[],
    options?: { env?: Record<string, string> },
  ): Promise<{ code: number; body: T; stderr: string }>;
  /** Rewrites the config with overrides laid over the sandbox's (lists replace). */
  reconfigure(overrides: ConfigOverrides): Promise<void>;
  close(): Promise<void>;
}

/** Starts a small sandbox with a one-second retry base, so parked records come back within a test. */
export async function startCliSandbox(seed = 1): Promise<CliSandbox> {
  const sandbox = await startSandbox({ scale: 'small', seed, rateLimit: { hourly: 1_000_000, spike: 100_000 } });
  const dir = mkdtempSync(join(tmpdir(), 'mlc-operate-'));
  const base: ConfigOverrides = { retry: { maxAttempts: 5, baseDelaySeconds: 1 } };
  let config = await sandbox.writeConfig(dir, base);
  const cli: CliSandbox = {
    sandbox,
    dir,
    get config() {
      return config;
    },
    async run(args, options = {}) {
      const stdin = options.stdin ?? '';
      return runCli([...args, '--config', config], {
        io: { env: options.env ?? { ...sandbox.credentials }, cwd: dir, stdin: async () => stdin },
      });
    },
    async json(args, options = {}) {
      const result = await cli.run([...args, '--json'], options);
      return { code: result.code, body: oneJsonObject(result.stdout), stderr: result.stderr };
    },
    async reconfigure(overrides) {
      config = await sandbox.writeConfig(dir, { ...base, ...overrides });
    },
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cli;
}

/** Stdout must be exactly one JSON object and a newline. */
export function oneJsonObject<T>(stdout: string): T {
  expect(stdout.endsWith('}\n')).toBe(true);
  const value: unknown = JSON.parse(stdout);
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as T;
}

/** One sync until idle; again after the parked records' first delay when any are left pending. */
export async function syncSettled(cli: CliSandbox): Promise<{ code: number; body: SyncBody }> {
  let result = await cli.json<SyncBody>(['sync', '--until-idle']);
  if (result.body.outcomes.pending > 0) {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    result = await cli.json<SyncBody>(['sync', '--until-idle']);
  }
  return result;
}

/** The parts of a sync summary the tests read. */
export interface SyncBody {
  runId: string;
  dryRun: boolean;
  polled?: Record<string, number>;
  replayed?: Record<'suppliers' | 'purchaseOrders' | 'invoices' | 'creditMemos', number>;
  outcomes: Record<'written' | 'unchanged' | 'skipped' | 'quarantined' | 'deadLettered' | 'pending', number>;
  problems: { key: string; status: string; reason: string }[];
}
