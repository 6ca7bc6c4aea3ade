/** The parts of the `sync --json` summary (README, "Commands") the campaign reads. */
export interface SyncSummary {
  runId: string;
  polled?: Record<string, number> | undefined;
  outcomes: Record<'written' | 'unchanged' | 'skipped' | 'quarantined' | 'deadLettered' | 'pending', number>;
  calls: { workday: number; procore: number };
  problems: { key: string; status: string; reason: string }[];
}

/** Every record polled lands in exactly one outcome bucket, and every problem is one of the not-right ones. */
export function summaryAddsUp(summary: Pick<SyncSummary, 'polled' | 'outcomes' | 'problems'>): boolean {
  const polled = Object.values(summary.polled ?? {}).reduce((a, b) => a + b, 0);
  const outcomes = Object.values(summary.outcomes ?? {}).reduce((a, b) => a + b, 0);
  const { quarantined, deadLettered, pending } = summary.outcomes;
  return polled === outcomes && summary.problems.length === quarantined + deadLettered + pending;
}
