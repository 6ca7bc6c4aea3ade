import type { CostEntry, Measure, ProcoreCost } from '../../lambdas/pipeline/report';
import type { BudgetCodeIndex, ProcoreClient } from '../../lambdas/procore/types';
import type { Decimal } from '../../lambdas/shared/money';

/** The Procore reads the report makes; never a write. */
export type ReportProcore = Pick<
  ProcoreClient,
  'budgetCodes' | 'commitments' | 'commitment' | 'changeOrders' | 'changeOrderLines' | 'requisitions' | 'directCosts'
>;

const WID = /^[0-9a-f]{32}$/;

/** What the reader needs to name records and budget codes. */
export interface CostContext {
  /** Record key of an invoice or credit memo WID (`invoice:` unless Workday says it is a credit memo). */
  billingKey(wid: string): string;
  /** Cost code × cost type pairs worth resolving back from `wbs_code_id` (Procore has no reverse lookup). */
  candidatePairs: readonly (readonly [string, string])[];
}

function widOf(originId: string | null | undefined): string | undefined {
  const first = originId?.split(':')[0];
  return first !== undefined && WID.test(first) ? first : undefined;
}

/** `wbs_code_id` → cost code × cost type, over the candidate pairs; an unknown id keeps its number. */
function reverseIndex(
  index: BudgetCodeIndex,
  pairs: CostContext['candidatePairs'],
): (id: number | null) => [string, string] {
  const byId = new Map<number, [string, string]>();
  for (const [code, type] of pairs) {
    const id = index.lookup(code, type);
    if (id !== undefined && !byId.has(id)) byId.set(id, [code, type]);
  }
  return (id) => (id === null ? ['(no budget code)', '?'] : (byId.get(id) ?? [`(budget code ${id})`, '?']));
}

/**
 * Procore's committed (SOV lines plus approved change orders) and invoiced (requisition items plus
 * invoice direct costs) amounts of one project, each attributed to the Workday record behind its origin_id.
 */
export async function readProjectCosts(
  procore: ReportProcore,
  projectId: number,
  context: CostContext,
): Promise<ProcoreCost[]> {
  const pairOf = reverseIndex(await procore.budgetCodes(projectId), context.candidatePairs);
  const costs: ProcoreCost[] = [];
  const add = (key: string, measure: Measure, wbs: number | null, amount: Decimal) => {
    const [costCode, costType] = pairOf(wbs);
    costs.push({ key, measure, procoreProjectId: projectId, costCode, costType, amount });
  };
  const sovWbs = new Map<number, number | null>();
  const commitmentKeys = new Map<number, string>();
  for (const summary of await procore.commitments(projectId)) {
    const detail = await procore.commitment(projectId, summary.id);
    const ownWid = widOf(detail.origin_id);
    const key = ownWid === undefined ? `procore:commitment:${detail.id}` : `purchaseOrder:${ownWid}`;
    commitmentKeys.set(detail.id, key);
    for (const line of detail.line_items) {
      sovWbs.set(line.id, line.wbs_code_id);
      const lineWid = widOf(line.origin_id);
      add(lineWid === undefined ? key : `purchaseOrder:${lineWid}`, 'committed', line.wbs_code_id, line.amount);
    }
  }
  for (const co of await procore.changeOrders(projectId)) {
    if (co.status?.toLowerCase() !== 'approved') continue;
    // The connector's change orders carry `<poWID>:<projectId>:co:<n>` as their number (they have no origin_id).
    const wid = widOf(co.number);
    const owner = co.contract_id === null ? undefined : commitmentKeys.get(co.contract_id);
    const key = wid === undefined ? (owner ?? `procore:changeOrder:${co.id}`) : `purchaseOrder:${wid}`;
    for (const line of await procore.changeOrderLines(projectId, co.id)) {
      const wbs =
        line.wbs_code_id ??
        (line.commitment_line_item_id === null ? null : (sovWbs.get(line.commitment_line_item_id) ?? null));
      add(key, 'committed', wbs, line.amount);
    }
  }
  for (const requisition of await procore.requisitions(projectId)) {
    const wid = widOf(requisition.origin_id);
    const key = wid === undefined ? `procore:requisition:${requisition.id}` : context.billingKey(wid);
    for (const item of requisition.items) {
      const wbs = item.line_item_id === null ? null : (sovWbs.get(item.line_item_id) ?? null);
      add(key, 'invoiced', wbs, item.work_completed_this_period);
    }
  }
  for (const cost of await procore.directCosts(projectId)) {
    // Expenses and payroll typed into Procore are not Workday supplier invoices.
    if (cost.direct_cost_type !== null && cost.direct_cost_type !== 'invoice') continue;
    const ownWid = widOf(cost.origin_id);
    const key = ownWid === undefined ? `procore:directCost:${cost.id}` : context.billingKey(ownWid);
    for (const line of cost.line_items) {
      const lineWid = widOf(line.origin_id);
      add(lineWid === undefined ? key : context.billingKey(lineWid), 'invoiced', line.wbs_code_id, line.amount);
    }
  }
  return costs;
}

/** Every cost code × cost type the Workday side uses or the mapping names, to resolve Procore's budget codes. */
export function candidatePairs(
  entries: readonly CostEntry[],
  mapping: { costCodes: string[]; costTypes: string[] },
): [string, string][] {
  const codes = new Set(mapping.costCodes);
  const types = new Set(mapping.costTypes);
  for (const e of entries) {
    if (e.costCode !== null) codes.add(e.costCode);
    if (e.costType !== null) types.add(e.costType);
  }
  return [...codes].flatMap((code) => [...types].map((type): [string, string] => [code, type]));
}
