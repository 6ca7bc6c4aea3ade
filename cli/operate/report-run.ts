import { rawHash } from '../../lambdas/mapping';
import { EARLIEST } from '../../lambdas/pipeline/poll';
import { type Report, readWorkdayCosts, reconcile } from '../../lambdas/pipeline/report';
import type { SyncLedger } from '../../lambdas/ports';
import type { ParsedRecord } from '../../lambdas/workday/records';
import type { LocalRuntime } from '../runtime/local';

/** What a reconciliation reads: both systems through the connector's clients, and the ledger to explain differences. */
export type ReportSource = Pick<LocalRuntime, 'config' | 'now' | 'workday' | 'procore' | 'ledger'>;

import { candidatePairs, readProjectCosts } from './procore-costs';

/** The reconciliation, and for each record a difference is traced to, why in words. */
export interface ReportRun {
  report: Report;
  explanations: Map<string, string>;
}

/**
 * Reads the documents in scope fresh from Workday (from `syncFrom`) and what Procore holds in every mapped
 * project, reconciles them, and explains each traced record from the ledger.
 */
export async function runReport(rt: ReportSource, onProgress: (text: string) => void): Promise<ReportRun> {
  const { config } = rt;
  rt.procore.clearCaches();
  const to = new Date(rt.now()).toISOString().slice(0, 10);
  const { entries, documents } = await readWorkdayCosts(
    rt,
    { from: config.syncFrom ?? EARLIEST, to },
    (entity, page, total) => onProgress(`Workday: ${entity} page ${page}/${total}`),
  );
  const creditMemos = new Set(documents.flatMap((d) => (d.kind === 'creditMemo' ? [d.wid] : [])));
  const { costCodes, costTypes, charges } = config.mapping;
  const pairs = candidatePairs(entries, {
    costCodes: [...Object.values(costCodes.map), costCodes.default, charges.costCode].filter(
      (c): c is string => c !== null,
    ),
    costTypes: [...Object.values(costTypes.bySpendCategory), costTypes.default, charges.costType],
  });
  const context = {
    billingKey: (wid: string) => (creditMemos.has(wid) ? `creditMemo:${wid}` : `invoice:${wid}`),
    candidatePairs: pairs,
  };
  const procore = [];
  for (const projectId of new Set(config.mapping.projects.map((r) => r.procoreProjectId))) {
    onProgress(`Procore: project ${projectId}`);
    procore.push(...(await readProjectCosts(rt.procore, projectId, context)));
  }
  const report = reconcile(entries, procore);
  const traced = new Set(report.rows.filter((r) => r.costType !== null).flatMap((r) => r.records));
  return { report, explanations: await explain(rt.ledger, traced, documents) };
}

async function explain(
  ledger: SyncLedger,
  keys: ReadonlySet<string>,
  documents: readonly ParsedRecord[],
): Promise<Map<string, string>> {
  const byKey = new Map(documents.map((d) => [`${d.kind}:${d.wid}`, d]));
  const explanations = new Map<string, string>();
  for (const key of keys) {
    if (key.startsWith('procore:')) {
      explanations.set(key, 'in Procore only: not written by the connector (typed by hand, or another integration)');
      continue;
    }
    const entry = await ledger.get(key);
    const document = byKey.get(key);
    let why: string;
    if (entry === undefined) why = 'never synced: run `ml-connector sync`';
    else if (entry.status === 'quarantined') why = `quarantined: ${entry.reason ?? 'see `ml-connector status`'}`;
    else if (entry.status === 'deadLettered')
      why = `dead-lettered: ${entry.reason ?? ''} (\`ml-connector replay --key ${key}\`)`;
    else if (entry.status === 'pending') why = `not synced yet: ${entry.reason ?? 'waiting for its turn'}`;
    else if (document !== undefined && rawHash(document) !== entry.rawHash) {
      why = 'changed in Workday since the last sync: run `ml-connector sync`';
    } else if (document === undefined) why = 'no longer in scope in Workday (status or date), but still in Procore';
    else why = 'changed in Procore by hand since the connector wrote it';
    explanations.set(key, why);
  }
  return explanations;
}
