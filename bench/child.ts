/**
 * One initial load at one scale in its own process, so peak RSS of one size does not leak into another.
 * Prints one JSON line per second (so a parent that stops it at a time cap still has the latest numbers)
 * and a final line with `done: true`. Usage: tsx bench/child.ts --scale firm
 */
import { parseArgs } from 'node:util';
import type { Scale } from '../sandbox/seed/scale';
import { openRig } from './connector';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'small' } } });
const scale = values.scale;
if (scale !== 'small' && scale !== 'firm' && scale !== 'enterprise') throw new Error(`--scale: ${scale}`);

const started = performance.now();
const beforeRss = process.resourceUsage().maxRSS;
const rig = await openRig(scale satisfies Scale, { procoreMs: 0, workdayMs: 0 });
const afterSeedRss = process.resourceUsage().maxRSS;
const sample = (done: boolean, polled?: number) => ({
  scale,
  done,
  elapsedMs: Math.round(performance.now() - started),
  // resourceUsage reports kilobytes.
  startRssMb: Math.round(beforeRss / 1024),
  afterSeedRssMb: Math.round(afterSeedRss / 1024),
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  workdayCalls: rig.sandbox.workday.calls.total,
  procoreCalls: rig.sandbox.procore.calls.total,
  ...(polled === undefined ? {} : { polled }),
});
const timer = setInterval(() => console.log(JSON.stringify(sample(false))), 1000);
const cycle = await rig.cycle();
clearInterval(timer);
console.log(JSON.stringify(sample(true, cycle.polled)));
await rig.close();
