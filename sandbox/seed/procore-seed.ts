import type { ProcoreState } from '../procore/state';
import { identifiedLines } from '../workday/data';
import type { BudgetCombos } from './budget-combos';
import { COST_CODES, COST_TYPES } from './catalog';
import type { FirmData } from './data';
import { addDays, type FirmLayout } from './layout';
import { nameVariant } from './names';
import { poPlan } from './purchase-orders';
import { supplierEin, supplierKind, supplierNameParts, supplierSlots } from './suppliers';

/** A vendor someone typed into Procore before the connector ran. */
export interface HandTypedVendor {
  id: number;
  name: string;
  originId: string | null;
  /** The EIN on its business register, as typed. */
  taxId: string | null;
  isActive: boolean;
  /** The supplier it was typed for, if any. */
  supplierIndex: number | undefined;
}

/** A commitment someone typed into Procore with a PO's number. */
export interface HandTypedCommitment {
  id: number;
  procoreProjectId: number;
  number: string;
  poIndex: number;
}

/** What seeding Procore created that the oracle needs to know by id. */
export interface LoadedProcore {
  vendors: HandTypedVendor[];
  commitments: HandTypedCommitment[];
  budgetCodes: number;
}

function seedProjects(state: ProcoreState, layout: FirmLayout): void {
  for (const plan of layout.projects) {
    const project = state.addProject({
      name: plan.name,
      project_number: plan.projectNumber,
      // Job sites in the company's currency have no configuration of their own; the CAD project has one.
      ...(plan.currency === state.company.currency_iso_code ? {} : { currency_iso_code: plan.currency }),
      city: plan.city,
      state_code: plan.stateCode,
      country_code: plan.countryCode,
    });
    // Fixed ids, so the config can name projects before Procore exists (as a customer copies them from Procore).
    state.db.projects.delete(project.id);
    project.id = plan.procoreId;
    state.db.projects.set(project.id, project);
  }
}

function seedBudget(state: ProcoreState, layout: FirmLayout, combos: BudgetCombos): number {
  const costTypes = new Map(
    COST_TYPES.map((t) => [t.code, state.addCostType({ name: t.name, code: t.code, base_type: t.baseType }).id]),
  );
  let budgetCodes = 0;
  for (const plan of layout.projects) {
    const codes = new Map<string, number>();
    const divisions = new Map<string, number>();
    for (const c of COST_CODES) {
      let parent = divisions.get(c.division);
      if (parent === undefined) {
        parent = state.addCostCode(plan.procoreId, { code: c.division, name: c.divisionName }).id;
        divisions.set(c.division, parent);
      }
      codes.set(
        `${c.division}-${c.code}`,
        state.addCostCode(plan.procoreId, { code: c.code, name: c.name, parent_id: parent }).id,
      );
    }
    for (const combo of [...(combos.get(plan.procoreId) ?? [])].sort()) {
      const [code = '', type = ''] = combo.split('|');
      const costCodeId = codes.get(code);
      const costTypeId = costTypes.get(type);
      if (costCodeId === undefined || costTypeId === undefined) throw new Error(`no cost code ${code} or type ${type}`);
      state.addBudgetCode(plan.procoreId, costCodeId, costTypeId);
      budgetCodes += 1;
    }
    const monthStart = `${layout.today.slice(0, 8)}01`;
    const previousStart = `${addDays(monthStart, -1).slice(0, 8)}01`;
    const monthEnd = addDays(`${addDays(monthStart, 32).slice(0, 8)}01`, -1);
    state.addBillingPeriod(plan.procoreId, {
      start_date: previousStart,
      end_date: addDays(monthStart, -1),
      due_date: addDays(monthStart, 9),
      status: 'closed',
    });
    state.addBillingPeriod(plan.procoreId, {
      start_date: monthStart,
      end_date: monthEnd,
      due_date: addDays(monthEnd, 10),
      status: 'open',
    });
  }
  return budgetCodes;
}

function register(state: ProcoreState, identifier: string) {
  return { id: state.nextId(), type: 'ein', identifier, verified_at: null, verification_status: 'unverified' };
}

/** The vendors typed in by hand for the special suppliers (and two that match nothing). */
function seedVendors(state: ProcoreState, layout: FirmLayout): HandTypedVendor[] {
  const typed: HandTypedVendor[] = [];
  const add = (
    name: string,
    supplierIndex: number | undefined,
    extra: { taxId?: string; originId?: string; isActive?: boolean } = {},
  ) => {
    const vendor = state.addVendor({
      name,
      is_active: extra.isActive ?? true,
      origin_id: extra.originId ?? null,
      origin_code: extra.originId ? (extra.originId.split(':').at(-1) ?? null) : null,
      business_register: extra.taxId ? register(state, extra.taxId) : null,
    });
    typed.push({
      id: vendor.id,
      name,
      originId: extra.originId ?? null,
      taxId: extra.taxId ?? null,
      isActive: extra.isActive ?? true,
      supplierIndex,
    });
  };
  let variant = 0;
  const slots = supplierSlots(layout);
  for (let i = 0; i < slots.length; i++) {
    const kind = supplierKind(layout, i);
    const { body, suffix, full } = supplierNameParts(layout, i);
    const ein = supplierEin(layout, i);
    if (kind === 'einMatch') add(`${body} - Accounts Payable`, i, { taxId: ein });
    if (kind === 'einMatchUnformatted') add(`${body} (AP remit)`, i, { taxId: ein.replace('-', '') });
    if (kind === 'nameMatch') add(nameVariant(body, suffix, variant++), i);
    if (kind === 'inactiveVendorMatch') add(nameVariant(body, suffix, 0), i, { isActive: false });
    if (kind === 'duplicateVendors') {
      add(nameVariant(body, suffix, 0), i);
      add(nameVariant(body, suffix, 1), i);
    }
    if (kind === 'otherIntegration') add(full, i, { taxId: ein, originId: `vista:V-${10_400 + i}` });
  }
  add('Petty Cash - Field Purchases', undefined);
  add('City Permit Office', undefined, { isActive: false });
  return typed;
}

function seedCommitments(state: ProcoreState, layout: FirmLayout, data: FirmData): HandTypedCommitment[] {
  const plan = poPlan(layout);
  const typed: HandTypedCommitment[] = [];
  for (let i = 0; i < plan.count && typed.length < layout.spec.handTypedCommitments; i++) {
    if (plan.shape(i) !== 'handTyped') continue;
    const po = data.purchaseOrders.generated(i);
    const project = layout.projects.find((p) =>
      identifiedLines(po).some((l) => l.worktags.some((w) => w.id === p.worktag.id)),
    );
    if (!project) continue;
    const commitment = state.addCommitment(project.procoreId, {
      number: po.documentNumber,
      title: `${po.documentNumber} ${po.supplier.name}`,
      status: 'Draft',
    });
    typed.push({ id: commitment.id, procoreProjectId: project.procoreId, number: po.documentNumber, poIndex: i });
  }
  return typed;
}

/** Seeds the Procore company: projects, cost codes and types, budget codes, billing periods, hand-typed records. */
export function seedProcore(
  state: ProcoreState,
  layout: FirmLayout,
  data: FirmData,
  combos: BudgetCombos,
): LoadedProcore {
  seedProjects(state, layout);
  const budgetCodes = seedBudget(state, layout, combos);
  const vendors = seedVendors(state, layout);
  const commitments = seedCommitments(state, layout, data);
  return { vendors, commitments, budgetCodes };
}
