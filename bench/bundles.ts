/**
 * Builds the Lambda handlers exactly as the CDK app does (lib/bundle.ts) and measures each bundle's size and
 * how long a fresh Node process takes to import it (the cold-start share that the bundle itself controls).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleHandlers, HANDLERS, type HandlerName } from '../lib/bundle';
import { median, round } from './stats';

const IMPORT_RUNS = 5;

export interface BundleMeasure {
  handler: string;
  bytes: number;
  sourceMapBytes: number;
  /** Median over fresh processes, milliseconds. */
  importMs: number;
  importRunsMs: number[];
  /** The module threw at import (its message); size is still reported. */
  importError?: string;
  /** The largest contributors to the bundle (npm package, or `(own code)`), bytes in the output. */
  top: { source: string; bytes: number }[];
}

// What the handlers read at import: every variable any of them validates, with harmless values.
function handlerEnv(root: string): Record<string, string> {
  const queue = 'https://sqs.us-east-1.amazonaws.com/123456789012/bench';
  return {
    PATH: process.env.PATH ?? '',
    CUSTOMER_CONFIG: resolve(root, 'examples/customers/acme-builders.json'),
    AWS_REGION: 'us-east-1',
    AUDIT_TABLE: 'bench-audit',
    PAYLOAD_BUCKET: 'bench-payloads',
    STATE_TABLE: 'bench-state',
    RECORDS_QUEUE_URL: queue,
    WRITES_QUEUE_URL: queue,
    WORKDAY_SECRET_ID: 'bench-workday',
    PROCORE_SECRET_ID: 'bench-procore',
    TOKEN_KEY_ID: 'bench-key',
    POWERTOOLS_SERVICE_NAME: 'ml-connector-bench',
    POWERTOOLS_METRICS_NAMESPACE: 'bench',
  };
}

export async function measureBundles(
  root: string,
  handlers: readonly HandlerName[] = HANDLERS,
): Promise<BundleMeasure[]> {
  const out = mkdtempSync(join(tmpdir(), 'mlc-bundles-'));
  try {
    const { dirs, metafile } = bundleHandlers(out);
    return handlers.map((handler) => {
      const file = join(dirs[handler], 'index.mjs');
      const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(`${handler}/index.mjs`))?.[1];
      return {
        handler,
        bytes: statSync(file).size,
        sourceMapBytes: statSync(`${file}.map`).size,
        ...importTimes(file, handlerEnv(root)),
        top: topSources(Object.entries(output?.inputs ?? {})),
      };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function importTimes(
  file: string,
  env: Record<string, string>,
): Pick<BundleMeasure, 'importMs' | 'importRunsMs' | 'importError'> {
  const script = `const t=performance.now();try{await import(${JSON.stringify(pathToFileURL(file).href)});console.log(JSON.stringify({ms:performance.now()-t}))}catch(e){console.log(JSON.stringify({ms:performance.now()-t,error:String(e&&e.message||e).slice(0,200)}))}`;
  const runs: number[] = [];
  let importError: string | undefined;
  for (let i = 0; i < IMPORT_RUNS; i++) {
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const parsed: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || !('ms' in parsed) || typeof parsed.ms !== 'number') {
      throw new Error(`import probe of ${file} printed ${stdout}`);
    }
    runs.push(round(parsed.ms, 1));
    if ('error' in parsed && typeof parsed.error === 'string') importError = parsed.error;
  }
  return { importMs: round(median(runs), 1), importRunsMs: runs, ...(importError ? { importError } : {}) };
}

/** Output bytes grouped by npm package (scope included), everything outside node_modules as `(own code)`. */
export function topSources(inputs: readonly [string, { bytesInOutput: number }][], limit = 5) {
  const bytes = new Map<string, number>();
  for (const [path, { bytesInOutput }] of inputs) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const source = m?.[1] ?? '(own code)';
    bytes.set(source, (bytes.get(source) ?? 0) + bytesInOutput);
  }
  return [...bytes.entries()]
    .map(([source, n]) => ({ source, bytes: n }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, limit);
}
