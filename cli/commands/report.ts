import type { Report, ReportRow } from '../../lambdas/pipeline/report';
import { toAmount } from '../../lambdas/shared/money';
import { type CommandHandler, EXIT, type ReportOptions } from '../command';
import { writeJson } from '../io';
import { deployedConfig, withAwsClients, withAwsSession } from '../operate/aws-session';
import { type ReportSource, runReport } from '../operate/report-run';
import { withSession } from '../operate/session';
import { progressLine, type Style, styleFor } from '../operate/style';
import { table } from '../output/table';

/** `report`: Workday against Procore per project, cost code and cost type; exit 1 when anything differs. */
export const report: CommandHandler<ReportOptions> = async (options, { io }) => {
  const { target, json } = options;
  const reconcile = async (source: ReportSource, out: (text: string) => void, tty: boolean) => {
    const progress = progressLine((text) => io.stderr(text), tty);
    const { report: result, explanations } = await runReport(source, (text) => progress.update(text));
    progress.done();
    if (json) writeJson(io, result);
    else printReport(out, result, explanations, styleFor(tty));
    return result.reconciled ? EXIT.ok : EXIT.notRight;
  };
  if (target.kind === 'aws') {
    const config = await deployedConfig(target.customerId, io);
    return withAwsSession(target, io, json, (aws) =>
      withAwsClients(aws, config, io, (source) => reconcile(source, aws.out, aws.tty)),
    );
  }
  return withSession(target, io, json, ({ rt, out, tty }) => reconcile(rt, out, tty));
};

const project = (r: ReportRow) => (r.procoreProjectId === null ? '(no project rule)' : String(r.procoreProjectId));
const code = (r: ReportRow) => r.costCode ?? '(no cost code)';

function printReport(
  out: (text: string) => void,
  report: Report,
  explanations: Map<string, string>,
  style: Style,
): void {
  const rows = report.rows.filter((r) => r.costType !== null);
  const flag = (r: ReportRow) => (r.records.length > 0 ? '≠' : '');
  out(
    `${table(
      [
        'project',
        'cost code',
        'type',
        'WD committed',
        'PC committed',
        'Δ committed',
        'WD invoiced',
        'PC invoiced',
        'Δ invoiced',
        '',
      ],
      rows.map((r) => [
        project(r),
        code(r),
        r.costType ?? '',
        r.workday.committed,
        r.procore.committed,
        r.difference.committed,
        r.workday.invoiced,
        r.procore.invoiced,
        r.difference.invoiced,
        flag(r),
      ]),
      { align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] },
    )}\n`,
  );
  out(
    'WD: Workday (read now, documents in scope); PC: Procore (SOV and approved change orders; requisitions and direct costs).\n',
  );
  const leftOut = report.rows.filter((r) => r.costType === null);
  if (leftOut.length > 0) {
    out('\nCharges left out of Procore by mapping.charges.costCode = null (not counted as differences):\n');
    for (const r of leftOut) {
      out(
        `  project ${project(r)}: committed ${toAmount(r.workday.committed)}, invoiced ${toAmount(r.workday.invoiced)} (${r.records.length} documents)\n`,
      );
    }
  }
  const differing = rows.filter((r) => r.records.length > 0);
  if (differing.length === 0) {
    out(`\n${style.good(`Reconciled: ${rows.length} rows agree.`)}\n`);
    return;
  }
  out(`\n${style.bad(`${differing.length} of ${rows.length} rows differ`)}, traced to records:\n`);
  for (const r of differing) {
    out(
      `  ${project(r)}  ${code(r)} × ${r.costType ?? ''}: Δ committed ${r.difference.committed}, Δ invoiced ${r.difference.invoiced}\n`,
    );
    for (const key of r.records) out(`      ${key}  ${explanations.get(key) ?? ''}\n`);
  }
}
