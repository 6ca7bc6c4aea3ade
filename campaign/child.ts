import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** How the child CLI is started: the shipped launcher (tsx compiles on start) or one esbuild bundle of it. */
export type Launcher = 'bundle' | 'bin';

/**
 * Bundles `bin/ml-connector.ts` once into `node_modules/.cache` (so `better-sqlite3` resolves from the
 * checkout): the same code as the launcher, starting in 0.5 s instead of 1.6 s.
 */
export async function buildCli(launcher: Launcher): Promise<string[]> {
  if (launcher === 'bin') return [join(ROOT, 'bin', 'ml-connector.js')];
  const outfile = join(ROOT, 'node_modules', '.cache', 'ml-connector-campaign', `cli-${process.pid}.mjs`);
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'bin', 'ml-connector.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile,
    logLevel: 'silent',
    // CommonJS dependencies inside an ESM bundle call require().
    banner: {
      js: "import { createRequire as __mlcRequire } from 'node:module'; const require = __mlcRequire(import.meta.url);",
    },
  });
  return [outfile];
}

/** Removes a bundle `buildCli` made (the launcher is left alone). */
export function disposeCli(cli: readonly string[]): void {
  const [file] = cli;
  if (file?.includes(join('.cache', 'ml-connector-campaign'))) rmSync(file, { force: true });
}

/** What one `ml-connector sync` child left behind. */
export interface ChildExit {
  pid: number;
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last few kilobytes of stderr. */
  stderr: string;
  ms: number;
}

/** A running child: its process (for a synchronous SIGKILL) and its exit. */
export interface RunningChild {
  process: ChildProcess;
  exited: Promise<ChildExit>;
}

/** Starts `ml-connector sync --until-idle --json` as a real process over a state file in `dir`. */
export function spawnSync(
  cli: readonly string[],
  options: { configPath: string; statePath: string; dir: string; env: Record<string, string> },
): RunningChild {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [...cli, 'sync', '--until-idle', '--json', '--config', options.configPath, '--state', options.statePath],
    { cwd: options.dir, env: { ...options.env, PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exited = new Promise<ChildExit>((done, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) =>
      done({ pid: child.pid ?? 0, code, signal, stdout, stderr, ms: Date.now() - started }),
    );
  });
  return { process: child, exited };
}
