import type { CostEntry } from '../../lambdas/pipeline/report';
import { type ParsedRecord, worktagId } from '../../lambdas/workday/records';
import type { LocalRuntime } from '../runtime/local';
import { budgetCodeUse, pingProcore } from './ping-procore';
import { type PingReport, passed, type UnmappedWorktag } from './ping-types';
import { pingWorkday } from './ping-workday';

/** Every check of `ping` against the live systems, after the config (already valid when this runs). */
export async function runPing(
  rt: LocalRuntime,
  configPath: string,
  onProgress: (text: string) => void,
): Promise<PingReport> {
  const rules = rt.config.mapping.projects.length;
  const configCheck = passed(
    'config',
    `${configPath} is valid: customer ${rt.config.customerId}, ${rules} project ${rules === 1 ? 'rule' : 'rules'}, Workday auth ${rt.config.workday.auth}`,
  );
  const workday = await pingWorkday(rt, onProgress);
  const labels = labelsOf(workday.recent?.documents ?? []);
  const use =
    workday.recent === undefined ? undefined : budgetCodeUse(workday.recent.entries, (key) => labels.get(key) ?? key);
  const procore = await pingProcore(rt, use, onProgress);
  const checks = [configCheck, ...workday.checks, ...procore];
  return {
    ok: checks.every((c) => c.ok),
    checks,
    unmappedWorktags: unmappedWorktags(workday.recent?.entries ?? [], rt.config.mapping.projects),
  };
}

function labelsOf(documents: readonly ParsedRecord[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const d of documents) {
    const key = `${d.kind}:${d.wid}`;
    if (d.kind === 'purchaseOrder') labels.set(key, `PO ${d.documentNumber}`);
    else if (d.kind === 'invoice') labels.set(key, `invoice ${d.invoiceNumber}`);
    else if (d.kind === 'creditMemo') labels.set(key, `credit memo ${d.invoiceNumber}`);
  }
  return labels;
}

/** Worktags of the types the rules use, on recent lines no rule maps, with how many documents carry them. */
export function unmappedWorktags(
  entries: readonly CostEntry[],
  rules: readonly { worktag: { type: string } }[],
): UnmappedWorktag[] {
  const types = new Set(rules.map((r) => r.worktag.type));
  const seen = new Map<string, { type: string; id: string; keys: Set<string> }>();
  for (const e of entries) {
    for (const w of e.unmatchedWorktags ?? []) {
      // A rule may name any of the worktag's IDs, e.g. the generic Organization_Reference_ID of a cost center.
      for (const type of types) {
        const value = worktagId(w, type);
        if (value === undefined) continue;
        const id = `${type}\u0000${value}`;
        const found = seen.get(id) ?? { type, id: value, keys: new Set<string>() };
        found.keys.add(e.key);
        seen.set(id, found);
      }
    }
  }
  return [...seen.values()]
    .map((w) => ({ type: w.type, id: w.id, documents: w.keys.size }))
    .sort((a, b) => b.documents - a.documents || a.type.localeCompare(b.type) || a.id.localeCompare(b.id));
}
