/**
 * `npm run campaign`: the crash campaign (SIGKILLed sync processes) and the fault campaign (seeded fault
 * mixes), judged against the oracle; prints a table and writes campaign/results/latest.{json,md}.
 *
 *   npm run campaign -- [--size large|ci] [--seed N] [--launcher bundle|bin]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCampaign, SIZES } from './campaign';
import { formatReport } from './report';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'large' },
    seed: { type: 'string', default: '1' },
    launcher: { type: 'string', default: 'bundle' },
  },
});
const size = values.size === 'ci' ? 'ci' : 'large';
const launcher = values.launcher === 'bin' ? 'bin' : 'bundle';
const seed = Number.parseInt(values.seed ?? '1', 10) || 1;

const result = await runCampaign({
  size: SIZES[size],
  seed,
  launcher,
  onRun: (line) => process.stderr.write(`${line}\n`),
});
const report = formatReport(result, size);
const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ size, ...result }, null, 2)}\n`);
// In the repository's JSON style, so `npm run lint` passes over a fresh result (best effort).
spawnSync(
  process.execPath,
  [
    join(dir, '..', '..', 'node_modules', '@biomejs', 'biome', 'bin', 'biome'),
    'format',
    '--write',
    join(dir, 'latest.json'),
  ],
  { stdio: 'ignore' },
);
writeFileSync(join(dir, 'latest.md'), report);
process.stdout.write(report);
process.exitCode = result.ok ? 0 : 1;
