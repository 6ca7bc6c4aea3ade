/** Pure arithmetic of the benchmark, kept apart so it can be unit-tested. */

/** Calls per 1,000 records; undefined when nothing was polled (a ratio of zero records means nothing). */
export function per1000(calls: number, records: number): number | undefined {
  if (records <= 0) return undefined;
  return round((calls / records) * 1000, 1);
}

/** Hours of Procore quota `calls` need at `perHour` requests an hour. */
export function budgetHours(calls: number, perHour: number): number {
  return round(calls / perHour, 2);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  const lower = sorted[mid - 1] ?? upper;
  return sorted.length % 2 === 1 ? upper : (lower + upper) / 2;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `a / b`, rounded; undefined when `b` is zero. */
export function ratio(a: number, b: number): number | undefined {
  return b === 0 ? undefined : round(a / b, 2);
}

/** One progress mark: the stage that starts at `at` (epoch ms). */
export interface StageMark {
  stage: string;
  at: number;
}

/**
 * Wall time per stage from progress marks: each interval between marks belongs to the stage of the mark
 * that opened it, and the last one runs to `end`. Marks must be in time order.
 */
export function stageDurations(marks: readonly StageMark[], end: number): Record<string, number> {
  const out: Record<string, number> = {};
  marks.forEach((mark, i) => {
    const next = marks[i + 1]?.at ?? end;
    out[mark.stage] = (out[mark.stage] ?? 0) + Math.max(0, next - mark.at);
  });
  return out;
}

/** Parses `procore=80,workday=400` into milliseconds per call; unknown keys are an error. */
export function parseLatency(spec: string): { procoreMs: number; workdayMs: number } {
  const out = { procoreMs: 0, workdayMs: 0 };
  for (const part of spec.split(',').filter((p) => p.trim() !== '')) {
    const [key, value] = part.split('=').map((s) => s.trim());
    const ms = Number(value);
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`--latency: bad value in "${part}"`);
    if (key === 'procore') out.procoreMs = ms;
    else if (key === 'workday') out.workdayMs = ms;
    else throw new Error(`--latency: unknown system "${key}" (procore, workday)`);
  }
  return out;
}
