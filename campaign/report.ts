import type { CampaignResult } from './campaign';
import { CRASH_KINDS } from './crash';

const WHAT: Record<string, string> = {
  beforeWrite: 'before a Procore write reaches Procore',
  afterWrite: 'Procore applied a write, answer lost',
  afterLedger: 'after a completed write (next request)',
  midSyncBatch: 'Procore applied a sync batch, answer lost',
  midPage: 'at the Nth Workday page',
  anyMoment: 'N ms after the process started (shown: its last request)',
};

/** The campaign as Markdown tables: what was done, and the figures that must be zero. */
export function formatReport(result: CampaignResult, size: string): string {
  const { crash, faults } = result;
  const lines: string[] = [];
  const row = (...cells: (string | number)[]) => lines.push(`| ${cells.join(' | ')} |`);
  lines.push(`# Crash and fault campaign (${size}, seed ${result.seed}, ${result.launcher} CLI)`, '');
  lines.push(`**${result.ok ? 'PASS' : 'FAIL'}** in ${(result.wallMs / 1000).toFixed(0)} s`, '');
  row('figure', 'value');
  row('---', '---:');
  row(
    'crash runs (SIGKILLed `ml-connector sync` processes, restarted): first sync / sync after changes',
    `${crash.runs} (${crash.byPhase.initial} / ${crash.byPhase.update})`,
  );
  row('child processes started', crash.children);
  row(
    'fault runs (ISU / OAuth with rotating refresh tokens)',
    `${faults.runs} (${faults.byAuth.isu} / ${faults.byAuth.oauth})`,
  );
  row('fault-run sync cycles (failed as a whole)', `${faults.cycles} (${faults.failedCycles})`);
  row('requests in fault runs / simulated hours', `${faults.requests} / ${faults.simulatedHours}`);
  row('records synced (Workday records × runs)', crash.records + faults.records);
  row('dead letters replayed after the faults stopped', faults.replayedDeadLetters);
  row('Procore writes of a second clean sync', result.rerunWrites);
  row('**lost**', result.lost);
  row('**duplicated**', result.duplicated);
  row('wrong (other differences from the oracle)', result.wrong);
  row('restarts that failed', crash.failedRestarts);
  row('summaries not adding up', result.summariesNotAddingUp);
  row('messages left queued', result.leftQueued);
  lines.push('', '## Crash points', '');
  row('kind', 'where', 'aimed', 'hit', 'distinct requests hit');
  row('---', '---', '---:', '---:', '---');
  for (const kind of CRASH_KINDS) {
    const p = crash.points[kind];
    row(kind, WHAT[kind] ?? '', p.aimed, p.hit, p.routes.map((r) => `\`${r}\``).join(', '));
  }
  lines.push('', '## Faults injected', '');
  row('fault', 'count');
  row('---', '---:');
  for (const [type, n] of Object.entries(faults.injected)) row(type, n);
  if (result.failures.length > 0) {
    lines.push('', '## Failures', '');
    for (const f of result.failures) lines.push(`- ${f.campaign} seed ${f.seed}: ${f.problems.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
