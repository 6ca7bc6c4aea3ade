import type { RunSummary } from '../../lambdas/pipeline/summary';
import { OUTCOMES } from '../../lambdas/ports';
import { ENTITIES } from '../../lambdas/workday/records';
import { table } from './table';

const SHOWN_PROBLEMS = 20;

/** The human form of a run summary: what was read, where each record ended, and what needs a person. */
export function printSummary(out: (text: string) => void, summary: RunSummary, colour: boolean): void {
  const { polled, replayed } = summary;
  if (polled !== undefined) out(`Read from Workday: ${ENTITIES.map((e) => `${polled[e]} ${e}`).join(', ')}\n`);
  else if (replayed !== undefined) out(`Replayed: ${ENTITIES.map((e) => `${replayed[e]} ${e}`).join(', ')}\n`);
  out(
    `${table(
      ['outcome', 'records'],
      OUTCOMES.map((o) => [o, String(summary.outcomes[o])]),
      { align: ['left', 'right'] },
    )}\n`,
  );
  if (summary.callsNote === undefined) {
    out(`Calls: ${summary.calls.workday} to Workday, ${summary.calls.procore} to Procore\n`);
  } else out(`Calls: ${summary.callsNote}\n`);
  if (summary.problems.length === 0) return;
  const red = (s: string) => (colour ? `\u001b[31m${s}\u001b[0m` : s);
  out(`\n${red(`${summary.problems.length} records need attention:`)}\n`);
  for (const p of summary.problems.slice(0, SHOWN_PROBLEMS))
    out(`  ${p.status.padEnd(12)} ${p.key}\n      ${p.reason}\n`);
  if (summary.problems.length > SHOWN_PROBLEMS) {
    out(`  … and ${summary.problems.length - SHOWN_PROBLEMS} more: run with --json for the full list\n`);
  }
}
