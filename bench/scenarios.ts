import type { WriteCommand } from '../lambdas/mapping/commands';
import { writeMessageSchema } from '../lambdas/pipeline/write-message';
import type { Scale } from '../sandbox/seed/scale';
import { type BaselineMeasure, runBaseline } from './baseline';
import { type CycleMeasure, type Latency, openRig } from './connector';

/** One scale at one latency: the connector's three cycles and the per-record baseline over the same data. */
export interface ScenarioResult {
  scale: Scale;
  latency: Latency;
  initial: CycleMeasure;
  incremental: CycleMeasure & { changes: number };
  noChange: CycleMeasure;
  baseline: BaselineMeasure;
  /** Write commands the connector mapped in the initial load, by resource: the baseline replays these. */
  commands: Record<string, number>;
}

export async function runScenario(scale: Scale, latency: Latency, baselineCapMs: number): Promise<ScenarioResult> {
  const rig = await openRig(scale, latency);
  const mapped = new Map<string, WriteCommand[]>();
  try {
    // Capture what the mapper hands the writer, keyed by record so a redelivered message counts once.
    const writes = rig.runtime.writes;
    const send = writes.send.bind(writes);
    writes.send = async (bodies, delaySeconds) => {
      for (const body of bodies) {
        const message = writeMessageSchema.safeParse(JSON.parse(body));
        if (message.success) mapped.set(message.data.key, message.data.commands);
      }
      return send(bodies, delaySeconds);
    };
    const initial = await rig.cycle();
    writes.send = send;
    const changes = rig.sandbox.firm.scenario.afterFirstSync(rig.sandbox.workday, rig.sandbox.procore);
    const incremental = { ...(await rig.cycle()), changes: changes.length };
    const noChange = await rig.cycle();
    const commands = [...mapped.values()].flat();
    const baseline = await runBaseline(commands, { scale, latency, capMs: baselineCapMs });
    return { scale, latency, initial, incremental, noChange, baseline, commands: countBy(commands) };
  } finally {
    await rig.close();
  }
}

function countBy(commands: readonly WriteCommand[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of commands) out[c.resource] = (out[c.resource] ?? 0) + 1;
  return out;
}
