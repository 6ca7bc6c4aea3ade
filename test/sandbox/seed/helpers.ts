import { createProcoreSimulator, type ProcoreSimulator } from '../../../sandbox/procore';
import type { ProcoreState } from '../../../sandbox/procore/state';
import { type Firm, generateFirm, type Oracle, type Scale } from '../../../sandbox/seed';
import { createWorkdaySimulator, type WorkdaySimulator } from '../../../sandbox/workday';

/** The simulated moment every seed test generates its firm for: 2026-06-15, 10:00 in the tenant's zone. */
export const NOW = Date.parse('2026-06-15T17:00:00Z');

/** A firm loaded into fresh simulators (no server: tests read and write the stores directly). */
export interface LoadedFirm {
  firm: Firm;
  workday: WorkdaySimulator;
  procore: ProcoreSimulator;
  clock: { now: number };
}

/** Generates a firm and loads it into new simulators sharing a settable clock. */
export function loadFirm(scale: Scale, seed = 1): LoadedFirm {
  const clock = { now: NOW };
  const now = () => clock.now;
  const firm = generateFirm({ seed, scale, now: NOW });
  const workday = createWorkdaySimulator({
    tenant: firm.layout.tenant,
    isu: { username: 'ISU', password: 'pw' },
    oauth: { clientId: 'c', clientSecret: 's', refreshToken: 'r' },
    now,
  });
  const procore = createProcoreSimulator({
    companyId: firm.layout.companyId,
    clientId: 'c',
    clientSecret: 's',
    now,
    strict: false,
  });
  firm.loadInto(workday, procore);
  return { firm, workday, procore, clock };
}

function budgetCodeId(state: ProcoreState, projectId: number, costCode: string, costType: string): number {
  const found = state.budgetCodes(projectId).find((b) => b.flat_code === `${costCode}.${costType}`);
  if (!found) throw new Error(`no budget code ${costCode}.${costType} in ${projectId}`);
  return found.id;
}

function cut(name: string): string {
  if (name.length <= 255) return name;
  const head = name.slice(0, 254);
  return `${head.slice(0, head.lastIndexOf(' '))}…`;
}

/** Writes what the oracle expects straight into the Procore state: what a perfect sync would leave. */
export function applyOracle(oracle: Oracle, state: ProcoreState): void {
  const at = state.stamp();
  const vendorIds = new Map<string, number>();
  for (const v of oracle.vendors) {
    const fields = {
      name: cut(v.name),
      origin_id: v.originId,
      origin_code: v.originCode ?? null,
      is_active: v.isActive,
    };
    const existing = v.procoreId === undefined ? undefined : state.db.vendors.get(v.procoreId);
    const id = existing ? Object.assign(existing, fields).id : state.addVendor(fields).id;
    vendorIds.set(v.originId, id);
    for (const projectId of v.projectIds) state.addVendorToProject(projectId, id);
  }
  const lineIds = new Map<string, number>();
  for (const c of oracle.commitments) {
    const fields = { origin_id: c.originId, status: c.status, vendor_id: vendorIds.get(c.vendorOriginId) ?? null };
    const existing = c.procoreId === undefined ? undefined : state.db.commitments.get(c.procoreId);
    const commitment = existing
      ? Object.assign(existing, fields)
      : state.addCommitment(c.procoreProjectId, { ...fields, number: c.number });
    for (const line of c.lines) {
      const wbs = budgetCodeId(state, c.procoreProjectId, line.costCode, line.costType);
      lineIds.set(
        line.originId,
        state.addCommitmentLine(commitment, { amount: line.amount, wbs_code_id: wbs, origin_id: line.originId }).id,
      );
    }
  }
  const commitmentOf = (originId: string) => state.commitments().find((c) => c.origin_id === originId);
  for (const co of oracle.changeOrders) {
    const contract = commitmentOf(co.commitmentOriginId);
    if (!contract) throw new Error(`no commitment ${co.commitmentOriginId}`);
    const id = state.nextId();
    state.db.changeOrders.set(id, {
      id,
      project_id: co.procoreProjectId,
      contract_id: contract.id,
      number: co.number,
      title: null,
      description: null,
      status: 'approved',
      created_at: at,
      updated_at: at,
    });
    co.lines.forEach((line, i) => {
      const lineId = state.nextId();
      state.db.changeOrderLineItems.set(lineId, {
        id: lineId,
        change_order_id: id,
        commitment_line_item_id: line.sovOriginId === undefined ? null : (lineIds.get(line.sovOriginId) ?? null),
        wbs_code_id: budgetCodeId(state, co.procoreProjectId, line.costCode, line.costType),
        amount: line.amount,
        quantity: null,
        unit_cost: null,
        extended_type: 'manual',
        description: null,
        position: i + 1,
        created_at: at,
        updated_at: at,
      });
    });
  }
  for (const r of oracle.requisitions) {
    const contract = commitmentOf(r.commitmentOriginId);
    if (!contract) throw new Error(`no commitment ${r.commitmentOriginId}`);
    const id = state.nextId();
    state.db.requisitions.set(id, {
      id,
      project_id: r.procoreProjectId,
      commitment_id: contract.id,
      number: 1,
      period_id: state.billingPeriods(r.procoreProjectId).find((p) => p.status === 'open')?.id ?? 0,
      invoice_number: r.invoiceNumber,
      billing_date: null,
      requisition_start: null,
      requisition_end: null,
      status: 'draft',
      final: false,
      payment_date: null,
      submitted_at: null,
      comment: null,
      origin_id: r.originId,
      origin_data: null,
      created_at: at,
      updated_at: at,
    });
    state.commitmentLineItems(contract.id).forEach((line, i) => {
      const itemId = state.nextId();
      state.db.requisitionItems.set(itemId, {
        id: itemId,
        requisition_id: id,
        item_type: 'contract_item',
        line_item_id: line.id,
        position: i + 1,
        scheduled_value: line.amount,
        work_completed_this_period: (line.origin_id && r.items.get(line.origin_id)) || '0.00',
        work_completed_this_period_quantity: null,
        materials_presently_stored: '0.00',
        work_completed_retainage_retained_this_period: '0.00',
        materials_stored_retainage_currently_retained: '0.00',
        work_completed_retainage_released_this_period: '0.00',
        subcontractor_claimed_amount: null,
        status: 'no_action',
        comment: null,
      });
    });
  }
  for (const d of oracle.directCosts) {
    const id = state.nextId();
    state.db.directCosts.set(id, {
      id,
      project_id: d.procoreProjectId,
      direct_cost_type: 'invoice',
      vendor_id: vendorIds.get(d.vendorOriginId) ?? null,
      employee_id: null,
      invoice_number: d.invoiceNumber,
      description: null,
      direct_cost_date: d.date,
      received_date: null,
      payment_date: null,
      status: 'approved',
      terms: null,
      origin_id: d.originId,
      origin_data: null,
      currency_iso_code: null,
      currency_exchange_rate: null,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    });
    d.lines.forEach((line, i) => {
      const lineId = state.nextId();
      state.db.directCostLineItems.set(lineId, {
        id: lineId,
        direct_cost_id: id,
        project_id: d.procoreProjectId,
        position: i + 1,
        amount: line.amount,
        quantity: null,
        unit_cost: null,
        uom: null,
        extended_type: 'manual',
        description: null,
        wbs_code_id: budgetCodeId(state, d.procoreProjectId, line.costCode, line.costType),
        tax_code_id: null,
        ref: null,
        origin_id: line.originId,
        origin_data: null,
        created_at: at,
        updated_at: at,
      });
    });
  }
}
