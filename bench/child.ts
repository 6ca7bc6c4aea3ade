/**
 * One initial load at one scale in its own process, against the sandbox in another (bench/sandbox-process.ts),
 * so peak RSS is the connector's alone and one size does not leak into another. Prints one JSON line per
 * second (so a parent that stops it at a time cap still has the latest numbers) and a final line with
 * `done: true`. Usage: node --expose-gc --import tsx bench/child.ts --scale firm
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openLocalRuntime, runCycle } from '../cli/runtime/local';
import { loadCustomerConfig } from '../lambdas/config/loader';
import { silentLogger } from '../lambdas/shared/logger';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'small' } } });
const scale = values.scale;
if (scale !== 'small' && scale !== 'firm' && scale !== 'enterprise') throw new Error(`--scale: ${scale}`);

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'mlc-bench-memory-'));
const script = fileURLToPath(new URL('./sandbox-process.ts', import.meta.url));
const server = spawn(process.execPath, ['--import', 'tsx', script, '--scale', scale, '--dir', dir], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const stopServer = () => {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
};
process.once('SIGTERM', () => {
  stopServer();
  process.exit(0);
});
const [line] = (await once(createInterface({ input: server.stdout }), 'line')) as [string];
const { config: configPath, credentials } = JSON.parse(line) as { config: string; credentials: Record<string, string> };

const beforeRss = process.resourceUsage().maxRSS;
const config = await loadCustomerConfig(configPath);
const runtime = openLocalRuntime({ config, cwd: dir, env: credentials, logger: silentLogger });
const afterOpenRss = process.resourceUsage().maxRSS;
// Heap still in use after a full collection: what the connector holds, as opposed to garbage awaiting collection.
let retainedHeapMb = 0;
const retained = () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  retainedHeapMb = Math.max(retainedHeapMb, Math.round(process.memoryUsage().heapUsed / 2 ** 20));
  return retainedHeapMb;
};
const sample = (done: boolean, polled?: number) => ({
  scale,
  done,
  elapsedMs: Math.round(performance.now() - started),
  // resourceUsage reports kilobytes.
  startRssMb: Math.round(beforeRss / 1024),
  afterOpenRssMb: Math.round(afterOpenRss / 1024),
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  retainedHeapMb: retained(),
  workdayCalls: runtime.workday.stats.calls,
  procoreCalls: runtime.procore.stats.calls,
  ...(polled === undefined ? {} : { polled }),
});
const timer = setInterval(() => console.log(JSON.stringify(sample(false))), 1000);
const summary = await runCycle(runtime, { untilIdle: true });
clearInterval(timer);
const polled = Object.values(summary.polled ?? {}).reduce((a, b) => a + b, 0);
console.log(JSON.stringify(sample(true, polled)));
await runtime.close();
stopServer();
