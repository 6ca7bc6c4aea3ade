import { equals, isZero } from '../../lambdas/shared/money';
import type { ProcoreState } from '../procore/state';
import type { Difference, ExpectedChangeOrderLine, ExpectedLine, ExpectedVendor, Oracle } from './oracle-types';

type Resource = Difference['resource'];

/** Procore's vendor name limit; longer supplier names arrive cut at a word with `…`. */
const NAME_LIMIT = 255;

function nameMatches(expected: string, actual: string): boolean {
  if (expected.length <= NAME_LIMIT) return actual === expected;
  if (actual.length > NAME_LIMIT || !actual.endsWith('…')) return false;
  return expected.startsWith(actual.slice(0, -1).trimEnd());
}

function groupByOrigin<T extends { origin_id: string | null }>(items: Iterable<T>): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    if (item.origin_id === null) continue;
    groups.set(item.origin_id, [...(groups.get(item.origin_id) ?? []), item]);
  }
  return groups;
}

/** Collects differences; `one` resolves an origin id to exactly one object or records why not. */
class Differences {
  readonly list: Difference[] = [];

  add(kind: Difference['kind'], resource: Resource, originId: string, detail: Partial<Difference> = {}): void {
    this.list.push({ kind, resource, originId, ...detail });
  }

  field(resource: Resource, originId: string, field: string, expected: string, actual: string, same: boolean): void {
    if (!same) this.add('different', resource, originId, { field, expected, actual });
  }

  one<T>(resource: Resource, originId: string, groups: Map<string, T[]>): T | undefined {
    const found = groups.get(originId) ?? [];
    if (found.length === 0) this.add('missing', resource, originId);
    if (found.length > 1) this.add('duplicate', resource, originId, { actual: String(found.length) });
    return found[0];
  }

  extras(resource: Resource, groups: Map<string, unknown[]>, expected: ReadonlySet<string>): void {
    for (const originId of groups.keys()) if (!expected.has(originId)) this.add('extra', resource, originId);
  }
}

/** `costCode|costType` of a budget code id, from the state's tables. */
function budgetCodeOf(state: ProcoreState, wbsCodeId: number): string {
  const budget = state.db.budgetCodes.get(wbsCodeId);
  const costCode = budget ? state.db.costCodes.get(budget.cost_code_id) : undefined;
  const costType = budget ? state.db.costTypes.get(budget.line_item_type_id) : undefined;
  return `${costCode?.full_code ?? '?'}|${costType?.code ?? '?'}`;
}

function vendorOrigin(state: ProcoreState, vendorId: number | null): string {
  return (vendorId === null ? undefined : state.db.vendors.get(vendorId)?.origin_id) ?? 'none';
}

function compareLines(
  diff: Differences,
  state: ProcoreState,
  resource: 'commitmentLine' | 'directCostLine',
  expected: readonly ExpectedLine[],
  actual: readonly { origin_id: string | null; amount: string; wbs_code_id: number }[],
): void {
  const groups = groupByOrigin(actual);
  for (const line of expected) {
    const found = diff.one(resource, line.originId, groups);
    if (!found) continue;
    diff.field(resource, line.originId, 'amount', line.amount, found.amount, equals(line.amount, found.amount));
    const code = budgetCodeOf(state, found.wbs_code_id);
    const want = `${line.costCode}|${line.costType}`;
    diff.field(resource, line.originId, 'budgetCode', want, code, code === want);
  }
  diff.extras(resource, groups, new Set(expected.map((l) => l.originId)));
}

function compareVendors(diff: Differences, oracle: Oracle, state: ProcoreState): void {
  const groups = groupByOrigin(state.vendors());
  const check = (v: ExpectedVendor) => {
    const found = diff.one('vendor', v.originId, groups);
    if (!found) return;
    if (v.procoreId !== undefined)
      diff.field('vendor', v.originId, 'id', String(v.procoreId), String(found.id), found.id === v.procoreId);
    diff.field('vendor', v.originId, 'name', v.name, found.name, nameMatches(v.name, found.name));
    diff.field(
      'vendor',
      v.originId,
      'is_active',
      String(v.isActive),
      String(found.is_active),
      found.is_active === v.isActive,
    );
    if (v.originCode !== undefined) {
      diff.field(
        'vendor',
        v.originId,
        'origin_code',
        v.originCode,
        String(found.origin_code),
        found.origin_code === v.originCode,
      );
    }
    const directory = projectsOf(state, found.id);
    for (const projectId of v.projectIds) {
      if (!directory.includes(projectId))
        diff.add('missing', 'projectVendor', v.originId, { field: 'project', expected: String(projectId) });
    }
    for (const projectId of directory) {
      if (!v.projectIds.includes(projectId))
        diff.add('extra', 'projectVendor', v.originId, { field: 'project', actual: String(projectId) });
    }
  };
  oracle.vendors.forEach(check);
  const untouched = new Set(oracle.untouchedVendors.map((v) => v.originId).filter((o): o is string => o !== null));
  diff.extras('vendor', groups, new Set([...oracle.vendors.map((v) => v.originId), ...untouched]));
  for (const v of oracle.untouchedVendors) {
    const now = state.db.vendors.get(v.id);
    const label = v.originId ?? `vendor ${v.id} (${v.name})`;
    diff.field(
      'vendor',
      label,
      'origin_id',
      String(v.originId),
      String(now?.origin_id),
      now !== undefined && now.origin_id === v.originId,
    );
  }
}

function projectsOf(state: ProcoreState, vendorId: number): number[] {
  return [...state.db.projectVendors.values()].filter((l) => l.vendor_id === vendorId).map((l) => l.project_id);
}

function compareCommitments(diff: Differences, oracle: Oracle, state: ProcoreState): void {
  const groups = groupByOrigin(state.commitments());
  for (const c of oracle.commitments) {
    const found = diff.one('commitment', c.originId, groups);
    if (!found) continue;
    const f = (field: string, want: string, got: string) =>
      diff.field('commitment', c.originId, field, want, got, want === got);
    if (c.procoreId !== undefined) f('id', String(c.procoreId), String(found.id));
    f('project_id', String(c.procoreProjectId), String(found.project_id));
    f('number', c.number, found.number);
    f('status', c.status, found.status);
    f('vendor', c.vendorOriginId, vendorOrigin(state, found.vendor_id));
    f('accounting_method', 'amount', found.accounting_method);
    compareLines(diff, state, 'commitmentLine', c.lines, state.commitmentLineItems(found.id));
  }
  diff.extras('commitment', groups, new Set(oracle.commitments.map((c) => c.originId)));
}

function changeOrderLineKey(
  state: ProcoreState,
  line: { commitment_line_item_id: number | null; wbs_code_id: number; amount: string },
) {
  const sov =
    line.commitment_line_item_id === null ? undefined : state.db.commitmentLineItems.get(line.commitment_line_item_id);
  return { sov: sov?.origin_id ?? undefined, code: budgetCodeOf(state, line.wbs_code_id), amount: line.amount };
}

// Numbers the connector gives change orders: `<poWID>:<projectId>:co:<n>` (a hand-typed one has another number).
const CONNECTOR_NUMBER = /:co:\d+$/;

/** Change orders by number, each approved on its commitment, with their lines as Procore holds them. */
function compareChangeOrders(diff: Differences, oracle: Oracle, state: ProcoreState): void {
  const groups = new Map<string, ReturnType<ProcoreState['changeOrders']>>();
  for (const co of state.changeOrders()) groups.set(co.number, [...(groups.get(co.number) ?? []), co]);
  for (const co of oracle.changeOrders) {
    const found = diff.one('changeOrder', co.number, groups);
    if (!found) continue;
    const contract = state.db.commitments.get(found.contract_id);
    const got = contract?.origin_id ?? 'none';
    diff.field('changeOrder', co.number, 'contract', co.commitmentOriginId, got, got === co.commitmentOriginId);
    diff.field('changeOrder', co.number, 'status', 'approved', found.status, found.status === 'approved');
    const actual = state.changeOrderLineItems(found.id).map((l) => changeOrderLineKey(state, l));
    const unmatched = [...actual];
    const missing: ExpectedChangeOrderLine[] = [];
    for (const want of co.lines) {
      const at = unmatched.findIndex(
        (a) =>
          a.code === `${want.costCode}|${want.costType}` && equals(a.amount, want.amount) && a.sov === want.sovOriginId,
      );
      if (at === -1) missing.push(want);
      else unmatched.splice(at, 1);
    }
    const show = (lines: readonly { amount: string }[]) => lines.map((l) => JSON.stringify(l)).join('; ');
    if (missing.length > 0 || unmatched.length > 0) {
      diff.add('different', 'changeOrder', co.number, {
        field: 'lines',
        expected: show(missing),
        actual: show(unmatched),
      });
    }
  }
  const expected = new Set(oracle.changeOrders.map((c) => c.number));
  for (const number of groups.keys()) {
    if (!expected.has(number) && CONNECTOR_NUMBER.test(number)) diff.add('extra', 'changeOrder', number);
  }
}

function compareRequisitions(diff: Differences, oracle: Oracle, state: ProcoreState): void {
  const groups = groupByOrigin(state.requisitions());
  for (const r of oracle.requisitions) {
    const found = diff.one('requisition', r.originId, groups);
    if (!found) continue;
    const commitment = state.db.commitments.get(found.commitment_id)?.origin_id ?? 'none';
    diff.field(
      'requisition',
      r.originId,
      'project_id',
      String(r.procoreProjectId),
      String(found.project_id),
      r.procoreProjectId === found.project_id,
    );
    diff.field(
      'requisition',
      r.originId,
      'commitment',
      r.commitmentOriginId,
      commitment,
      commitment === r.commitmentOriginId,
    );
    diff.field(
      'requisition',
      r.originId,
      'invoice_number',
      r.invoiceNumber,
      String(found.invoice_number),
      found.invoice_number === r.invoiceNumber,
    );
    const seen = new Set<string>();
    for (const item of state.requisitionItems(found.id)) {
      const sov = state.db.commitmentLineItems.get(item.line_item_id)?.origin_id ?? `line ${item.line_item_id}`;
      seen.add(sov);
      const want = r.items.get(sov) ?? '0';
      const got = item.work_completed_this_period;
      diff.field('requisition', r.originId, `items[${sov}]`, want, got, equals(want, got));
    }
    for (const [sov, amount] of r.items) {
      if (!seen.has(sov) && !isZero(amount))
        diff.add('different', 'requisition', r.originId, {
          field: `items[${sov}]`,
          expected: amount,
          actual: 'no item',
        });
    }
  }
  diff.extras('requisition', groups, new Set(oracle.requisitions.map((r) => r.originId)));
}

function compareDirectCosts(diff: Differences, oracle: Oracle, state: ProcoreState): void {
  const groups = groupByOrigin(state.directCosts());
  for (const d of oracle.directCosts) {
    const found = diff.one('directCost', d.originId, groups);
    if (!found) continue;
    const f = (field: string, want: string, got: string) =>
      diff.field('directCost', d.originId, field, want, got, want === got);
    f('project_id', String(d.procoreProjectId), String(found.project_id));
    f('direct_cost_type', 'invoice', found.direct_cost_type);
    f('invoice_number', d.invoiceNumber, String(found.invoice_number));
    f('direct_cost_date', d.date, String(found.direct_cost_date));
    f('vendor', d.vendorOriginId, vendorOrigin(state, found.vendor_id));
    compareLines(diff, state, 'directCostLine', d.lines, state.directCostLineItems(found.id));
  }
  diff.extras('directCost', groups, new Set(oracle.directCosts.map((d) => d.originId)));
}

/**
 * Compares Procore with the oracle by `origin_id`: what is missing, extra (an `origin_id` the oracle does
 * not expect), duplicated, or different (amounts compared as decimals). Empty means equal.
 */
export function compareWithProcore(oracle: Oracle, state: ProcoreState): Difference[] {
  const diff = new Differences();
  compareVendors(diff, oracle, state);
  compareCommitments(diff, oracle, state);
  compareChangeOrders(diff, oracle, state);
  compareRequisitions(diff, oracle, state);
  compareDirectCosts(diff, oracle, state);
  return diff.list;
}
