import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCustomerConfig } from '../../lambdas/config/loader';
import type { ReportRow } from '../../lambdas/pipeline/report';
import { createJsonLogger } from '../../lambdas/shared/logger';
import { add, toAmount } from '../../lambdas/shared/money';
import { compareWithProcore, startSandbox } from '../../sandbox';
import { type CommandHandler, type DemoOptions, EXIT } from '../command';
import { humanOutput, writeJson } from '../io';
import { runReport } from '../operate/report-run';
import { progressLine, styleFor } from '../operate/style';
import { printSummary } from '../output/summary';
import { table } from '../output/table';
import { openLocalRuntime, runCycle } from '../runtime/local';

// The demo lifts Procore's rate limit so it runs in seconds; `npm run bench` reports the real budget.
const DEMO_RATE_LIMIT = { hourly: 1_000_000, spike: 100_000 };

/**
 * `demo`: the seeded firm (15 job sites) synced end to end through the local runtime against the sandbox,
 * then reconciled. Reconciled means Procore holds exactly what a correct sync must produce and every
 * Workday-versus-Procore difference is traced to a record the firm's data quarantines on purpose.
 */
export const demo: CommandHandler<DemoOptions> = async ({ json }, { io }) => {
  const out = humanOutput(io, json);
  const tty = io.isTTY && !json;
  const style = styleFor(tty);
  const progress = progressLine((text) => io.stderr(text), io.isTTY);
  out('Starting the sandbox: a simulated Workday tenant and Procore company of a firm with 15 job sites…\n');
  const sandbox = await startSandbox({ scale: 'firm', seed: 1, rateLimit: DEMO_RATE_LIMIT });
  const dir = mkdtempSync(join(tmpdir(), 'ml-connector-demo-'));
  try {
    const config = await loadCustomerConfig(await sandbox.writeConfig(dir));
    const logger = createJsonLogger('warn', (line) => io.stderr(line));
    const rt = openLocalRuntime({
      config,
      statePath: join(dir, 'demo.db'),
      cwd: dir,
      env: sandbox.credentials,
      logger,
    });
    try {
      out(`Syncing ${config.customerId} (Workday and Procore at ${sandbox.url})…\n`);
      const summary = await runCycle(rt, {
        untilIdle: true,
        onProgress: ({ stage, detail }) => progress.update(`${stage}: ${detail}`),
      });
      progress.done();
      const { report } = await runReport(rt, (text) => progress.update(text));
      progress.done();
      const oracle = sandbox.firm.oracle();
      const differences = compareWithProcore(oracle, sandbox.procore.state);
      const problemKeys = new Set(summary.problems.map((p) => p.key));
      const explained = report.rows.every((row) => row.records.every((key) => problemKeys.has(key)));
      const intended = summary.problems.every((p) => oracle.expectedOutcomes.get(p.key) === p.status);
      const reconciled = differences.length === 0 && explained && intended;
      if (json) {
        writeJson(io, { ...summary, reconciled });
      } else {
        printSummary(out, summary, tty);
        out(`\nReconciliation by Procore project (Workday vs Procore):\n${projectTable(report.rows)}\n\n`);
        out(
          reconciled
            ? `${style.good('✓ reconciled')}: Procore holds exactly what the firm's Workday data calls for; every difference above is a record the firm quarantines on purpose, with the fix in its reason.\n`
            : `${style.bad('✗ not reconciled')}: ${differences.length} Procore objects differ from the expected state.\n`,
        );
      }
      return reconciled ? EXIT.ok : EXIT.notRight;
    } finally {
      await rt.close();
    }
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

function projectTable(rows: readonly ReportRow[]): string {
  const byProject = new Map<string, { wc: string; pc: string; wi: string; pi: string }>();
  for (const row of rows) {
    const key = row.procoreProjectId === null ? '(no project rule)' : String(row.procoreProjectId);
    const sums = byProject.get(key) ?? { wc: '0', pc: '0', wi: '0', pi: '0' };
    byProject.set(key, {
      wc: add(sums.wc, row.workday.committed),
      pc: add(sums.pc, row.procore.committed),
      wi: add(sums.wi, row.workday.invoiced),
      pi: add(sums.pi, row.procore.invoiced),
    });
  }
  return table(
    ['project', 'WD committed', 'PC committed', 'WD invoiced', 'PC invoiced'],
    [...byProject].map(([project, s]) => [project, toAmount(s.wc), toAmount(s.pc), toAmount(s.wi), toAmount(s.pi)]),
    { align: ['left', 'right', 'right', 'right', 'right'] },
  );
}
