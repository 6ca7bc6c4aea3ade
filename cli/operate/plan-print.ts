import type { PlannedAction } from '../../lambdas/pipeline/plan';
import { table } from '../output/table';
import type { Style } from './style';

/** The dry-run plan for a person: one row per Procore object, the record's key on its first row only. */
export function printPlan(out: (text: string) => void, planned: readonly PlannedAction[], style: Style): void {
  if (planned.length === 0) {
    out('Plan: nothing to do, Workday has no change to sync.\n\n');
    return;
  }
  let previous: string | undefined;
  const rows = planned.map((a) => {
    const key = a.key === previous ? '' : a.key;
    previous = a.key;
    return [key, a.action, a.resource, a.originId];
  });
  // The reason runs on after the aligned columns: padding a long free text would only widen the table.
  const [header = '', rule = '', ...lines] = table(['record', 'action', 'resource', 'origin id'], rows).split('\n');
  const width = header.length;
  out(`${header.padEnd(width)}  why\n${rule}  ---\n`);
  lines.forEach((line, i) => {
    out(`${line.padEnd(width)}  ${planned[i]?.reason ?? ''}\n`);
  });
  const counts = new Map<string, number>();
  for (const a of planned) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
  const tally = [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
  out(
    `\nPlan: ${counts.has('quarantine') ? style.bad(tally) : tally}. Dry run: nothing was written to Procore or to the state.\n\n`,
  );
}
