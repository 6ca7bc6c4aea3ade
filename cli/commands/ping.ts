import { type CommandHandler, EXIT, type PingOptions } from '../command';
import { writeJson } from '../io';
import { runPing } from '../operate/ping-run';
import type { PingReport } from '../operate/ping-types';
import { withSession } from '../operate/session';
import { progressLine, type Style, styleFor } from '../operate/style';
import { table } from '../output/table';

/** `ping`: config, credentials, read permissions, projects, budget codes and billing periods, one line per check. */
export const ping: CommandHandler<PingOptions> = async (options, { io }) =>
  withSession(options.target, io, options.json, async ({ rt, out, tty }) => {
    const progress = progressLine((text) => io.stderr(text), tty);
    const report = await runPing(rt, options.target.config, (text) => progress.update(text));
    progress.done();
    if (options.json) writeJson(io, report);
    else printPing(out, report, rt.config.workday.invoiceLookbackDays, styleFor(tty));
    return report.ok ? EXIT.ok : EXIT.notRight;
  });

function printPing(out: (text: string) => void, report: PingReport, lookbackDays: number, style: Style): void {
  const lines = table(
    ['', 'check', 'result'],
    report.checks.map((c) => [style.mark(c.ok), c.name, c.detail]),
  ).split('\n');
  // The header rows of the table add nothing to a list of checks.
  const indent = ' '.repeat((lines[2] ?? '').indexOf(report.checks[0]?.detail ?? '\u0000'));
  report.checks.forEach((check, i) => {
    out(`${lines[i + 2] ?? ''}\n`);
    if (check.fix !== null) out(`${indent}${style.bad('→')} ${check.fix}\n`);
  });
  const failures = report.checks.filter((c) => !c.ok).length;
  out(
    failures === 0
      ? `\n${style.good('All checks passed.')}\n`
      : `\n${style.bad(`${failures} of ${report.checks.length} checks failed.`)}\n`,
  );
  if (report.unmappedWorktags.length === 0) return;
  out(
    `\nWorktags on lines of the last ${lookbackDays} days that no project rule maps (those lines would be quarantined):\n`,
  );
  out(
    `${table(
      ['type', 'id', 'documents'],
      report.unmappedWorktags.map((w) => [w.type, w.id, String(w.documents)]),
      { align: ['left', 'left', 'right'] },
    )}\n`,
  );
  out(
    'Add a rule for each to mapping.projects ({ "worktag": { "type": …, "id": … }, "procoreProjectId": … }) before the first sync.\n',
  );
}
