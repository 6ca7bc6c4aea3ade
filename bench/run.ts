/**
 * `npm run bench [-- --quick] [--scale small,firm] [--latency procore=80,workday=400]`
 * Quick: small scale at zero latency plus the bundles (well under a minute). Full: small and firm at zero
 * latency, firm at the realistic latency, peak RSS per size in child processes (enterprise capped), bundles.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Scale } from '../sandbox/seed/scale';
import { measureBundles } from './bundles';
import type { Latency } from './connector';
import { type BenchResults, type MemoryMeasure, renderMarkdown } from './report';
import { runScenario, type ScenarioResult } from './scenarios';
import { parseLatency, round } from './stats';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ZERO: Latency = { procoreMs: 0, workdayMs: 0 };

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scale: { type: 'string' },
    latency: { type: 'string', default: 'procore=80,workday=400' },
    'baseline-cap-s': { type: 'string', default: '60' },
    'memory-cap-s': { type: 'string', default: '90' },
  },
});

function scalesOf(spec: string | undefined, fallback: Scale[]): Scale[] {
  if (spec === undefined) return fallback;
  return spec.split(',').map((s) => {
    if (s === 'small' || s === 'firm' || s === 'enterprise') return s;
    throw new Error(`--scale: unknown scale "${s}" (small, firm, enterprise)`);
  });
}

const quick = values.quick;
const realistic = parseLatency(values.latency);
const baselineCapMs = Number(values['baseline-cap-s']) * 1000;
const memoryCapMs = Number(values['memory-cap-s']) * 1000;
const scales = scalesOf(values.scale, quick ? ['small'] : ['small', 'firm']);

const started = performance.now();
const plan: [Scale, Latency][] = scales.map((s) => [s, ZERO]);
if (!quick) {
  // Realistic latency only on the largest scale asked for: it is what turns call counts into hours.
  const largest = scales.at(-1);
  if (largest !== undefined) plan.push([largest, realistic]);
}

const scenarios: ScenarioResult[] = [];
for (const [scale, latency] of plan) {
  console.error(`bench: ${scale} at procore ${latency.procoreMs} ms / workday ${latency.workdayMs} ms…`);
  scenarios.push(await runScenario(scale, latency, baselineCapMs));
}

const memory: MemoryMeasure[] = [];
if (!quick) {
  for (const scale of [...new Set<Scale>([...scales, 'enterprise'])]) {
    console.error(`bench: peak RSS at ${scale} (cap ${memoryCapMs / 1000} s)…`);
    memory.push(await measureMemory(scale, memoryCapMs));
  }
}

console.error('bench: bundles…');
const bundles = await measureBundles(root);

const warnings: string[] = [];
for (const s of scenarios) {
  if (s.noChange.procoreCalls !== 0) {
    warnings.push(
      `${s.scale}: the nothing-changed cycle made ${s.noChange.procoreCalls} Procore calls (target 0): ${JSON.stringify(s.noChange.procoreByRoute)}`,
    );
  }
  const unmatched = Object.keys(s.initial.procoreByRoute).filter((r) => r.includes('(unmatched)'));
  if (unmatched.length > 0) warnings.push(`${s.scale}: the connector called unmatched routes: ${unmatched.join(', ')}`);
}

const cpu = cpus()[0];
const results: BenchResults = {
  machine: {
    cpu: cpu?.model ?? 'unknown',
    cores: cpus().length,
    totalMemoryGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  },
  mode: quick ? 'quick' : 'full',
  durationMs: Math.round(performance.now() - started),
  scenarios,
  memory,
  bundles,
  warnings,
};
const markdown = renderMarkdown(results);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(root, 'bench/results/latest.md'), `${markdown}\n`);
console.log(markdown);
if (warnings.length > 0) process.exitCode = 1;

/** Runs bench/child.ts for one scale and keeps its last JSON line; stops it at the cap. */
function measureMemory(scale: Scale, capMs: number): Promise<MemoryMeasure> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(root, 'bench/child.ts'), '--scale', scale],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let last: Omit<MemoryMeasure, 'capped'> | undefined;
    let buffer = '';
    let capped = false;
    const timer = setTimeout(() => {
      capped = true;
      child.kill('SIGTERM');
    }, capMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.trim().startsWith('{')) last = JSON.parse(line);
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      if (last === undefined) reject(new Error(`bench/child.ts --scale ${scale} printed nothing`));
      else resolve({ ...last, capped });
    });
  });
}
