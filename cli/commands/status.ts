import { createSqsQueue } from '../../lambdas/adapters/aws/queue';
import { OUTCOMES } from '../../lambdas/ports';
import { ENTITIES } from '../../lambdas/workday/records';
import { type CommandHandler, EXIT, type StatusOptions } from '../command';
import { writeJson } from '../io';
import { type AwsSession, withAwsSession } from '../operate/aws-session';
import { withSession } from '../operate/session';
import { readStatus, type StatusReport, type StatusSource } from '../operate/status-read';
import { ago, type Style, styleFor } from '../operate/style';
import { table } from '../output/table';

/** `status`: cursors, the last run and its outcome, record counts, dead letters and the oldest unsynced change. */
export const status: CommandHandler<StatusOptions> = async (options, { io }) => {
  const { target, json } = options;
  const show = async (source: StatusSource, where: string, out: (text: string) => void, tty: boolean) => {
    const { status: report, lastSummary } = await readStatus(source);
    if (json) writeJson(io, report);
    else printStatus(out, report, lastSummary, where, Date.now(), styleFor(tty));
    return EXIT.ok;
  };
  if (target.kind === 'aws') {
    return withAwsSession(target, io, json, (aws) =>
      show(awsStatusSource(aws), `stack ${aws.names.stack} in ${aws.region}`, aws.out, aws.tty),
    );
  }
  return withSession(target, io, json, ({ rt, out, tty }) =>
    show(
      {
        customerId: rt.config.customerId,
        cursors: rt.cursors,
        runs: rt.runs,
        ledger: rt.ledger,
        deadLetters: async () => (await rt.records.deadLetters()).length + (await rt.writes.deadLetters()).length,
      },
      `state ${rt.statePath}`,
      out,
      tty,
    ),
  );
};

/** The deployed stack's tables, and its two stage DLQs' depth. */
function awsStatusSource({ customerId, ports, names }: AwsSession): StatusSource {
  const dlqs = [names.recordsDlq, names.writesDlq].map((name) =>
    createSqsQueue({ client: ports.clients.sqs, queue: { name } }),
  );
  return {
    customerId,
    cursors: ports.cursors,
    runs: ports.runs,
    ledger: ports.ledger,
    deadLetters: async () => {
      const depths = await Promise.all(dlqs.map((q) => q.depth()));
      return depths.reduce((sum, d) => sum + d.visible + d.inFlight + d.delayed, 0);
    },
  };
}

function printStatus(
  out: (text: string) => void,
  report: StatusReport,
  lastSummary: unknown,
  where: string,
  now: number,
  style: Style,
): void {
  const when = (iso: string | null, never: string) => (iso === null ? never : `${iso}  (${ago(iso, now)})`);
  out(`Customer ${report.customerId}  (${where})\n\n`);
  out(
    `${table(
      ['entity', 'polled up to'],
      ENTITIES.map((e) => [e, when(report.cursors[e], 'never polled')]),
    )}\n\n`,
  );
  const run = report.lastRun;
  if (run === null) out('Last run: none yet: run `ml-connector sync --config …`\n');
  else {
    const outcome =
      run.exitCode === null ? 'still running, or stopped without finishing' : exitMeaning(run.exitCode, style);
    out(`Last run ${run.runId}: ${when(run.finishedAt, 'not finished')}, ${outcome}${outcomesOf(lastSummary)}\n`);
  }
  out(
    `\n${table(
      ['outcome', 'records'],
      OUTCOMES.map((o) => [o, String(report.counts[o])]),
      { align: ['left', 'right'] },
    )}\n\n`,
  );
  const dead = report.deadLetters;
  out(
    dead === 0
      ? 'Dead letters: none\n'
      : `${style.bad(`Dead letters: ${dead}`)}: run \`ml-connector replay --status deadLettered\` once the cause is fixed\n`,
  );
  out(
    report.oldestUnsyncedChange === null
      ? 'Oldest unsynced change: none, everything polled is settled\n'
      : `Oldest unsynced change: ${when(report.oldestUnsyncedChange, '')}\n`,
  );
}

function exitMeaning(code: number, style: Style): string {
  if (code === 0) return style.good('exit 0 (all done)');
  if (code === 1) return style.bad('exit 1 (records need attention)');
  return style.bad(`exit ${code} (the run failed)`);
}

function outcomesOf(summary: unknown): string {
  if (typeof summary !== 'object' || summary === null || !('outcomes' in summary)) return '';
  const outcomes = summary.outcomes;
  if (typeof outcomes !== 'object' || outcomes === null) return '';
  const parts = Object.entries(outcomes).filter(([, n]) => typeof n === 'number' && n > 0);
  return parts.length === 0 ? '' : `: ${parts.map(([o, n]) => `${n} ${o}`).join(', ')}`;
}
