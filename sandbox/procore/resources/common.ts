import { multiply, toAmount, toBig } from '../../../lambdas/shared/money';
import type { RequestContext } from '../context';
import { type Json, notFound } from '../http';
import type { FieldReader } from '../input';
import { usesMulticurrency } from '../options';
import type { BudgetCode, Commitment, ProcoreState, Project } from '../state';

/** Adds "has already been taken" when another record of the same type in the company holds `originId`. */
export function checkOriginFree<T extends { id: number; origin_id: string | null }>(
  r: FieldReader,
  records: Iterable<T>,
  originId: string | null | undefined,
  selfId?: number,
): void {
  if (!originId) return;
  for (const record of records) {
    if (record.origin_id === originId && record.id !== selfId) {
      r.add('origin_id', 'has already been taken');
      return;
    }
  }
}

/** Adds an error when `uom` is not on the company's list of units of measure. */
export function checkUom(ctx: RequestContext, r: FieldReader, uom: string | null | undefined): void {
  if (!uom) return;
  const wanted = uom.toUpperCase();
  for (const u of ctx.state.db.uoms.values()) if (u.name.toUpperCase() === wanted) return;
  r.add('uom', 'is not on the company list of units of measure');
}

/**
 * The budget code a financial line item names: `wbs_code_id` (which wins when both are sent), or the legacy
 * `cost_code_id` + `line_item_type_id` pair, which must already be a budget code of the project unless the
 * `createBudgetCodeFromLegacyPair` switch is on.
 */
export function resolveBudgetCode(
  ctx: RequestContext,
  project: Project,
  r: FieldReader,
  options: { legacyPair: boolean },
): BudgetCode | undefined {
  const wbsCodeId = r.integer('wbs_code_id');
  if (wbsCodeId !== undefined && wbsCodeId !== null) {
    const code = ctx.state.db.budgetCodes.get(wbsCodeId);
    if (!code || code.project_id !== project.id) {
      r.add('wbs_code_id', 'does not exist in this project');
      return undefined;
    }
    if (code.status !== 'active') r.add('wbs_code_id', 'is inactive');
    return code;
  }
  const costCodeId = options.legacyPair ? r.integer('cost_code_id') : undefined;
  const costTypeId = options.legacyPair ? r.integer('line_item_type_id') : undefined;
  if (costCodeId == null && costTypeId == null) {
    r.add('wbs_code_id', "can't be blank");
    return undefined;
  }
  const costCode = costCodeId == null ? undefined : ctx.state.db.costCodes.get(costCodeId);
  const costType = costTypeId == null ? undefined : ctx.state.db.costTypes.get(costTypeId);
  if (!costCode || costCode.project_id !== project.id) r.add('cost_code_id', 'does not exist in this project');
  if (!costType) r.add('line_item_type_id', 'does not exist in this company');
  if (!costCode || costCode.project_id !== project.id || !costType) return undefined;
  const existing = ctx.state.findBudgetCode(project.id, costCode.id, costType.id);
  if (existing) return existing;
  if (ctx.switches.createBudgetCodeFromLegacyPair) {
    return ctx.state.addBudgetCode(project.id, costCode.id, costType.id);
  }
  r.add('base', `No budget code ${costCode.full_code}.${costType.code} exists in this project; create it first`);
  return undefined;
}

/** Amount, quantity and unit cost of a line: unit-priced lines are `calculated` (quantity × unit cost, to the cent). */
export interface LineMoney {
  amount: string;
  quantity: string | null;
  unit_cost: string | null;
  extended_type: 'manual' | 'calculated';
}

/** Works out a line's money from what was sent; `amount` wins over quantity × unit cost unless the contract is unit-based. */
export function lineMoney(
  r: FieldReader,
  sent: {
    amount: string | null | undefined;
    quantity: string | null | undefined;
    unit_cost: string | null | undefined;
  },
  previous: LineMoney | undefined,
  unitBased: boolean,
): LineMoney | undefined {
  const quantity = sent.quantity === undefined ? (previous?.quantity ?? null) : sent.quantity;
  const unitCost = sent.unit_cost === undefined ? (previous?.unit_cost ?? null) : sent.unit_cost;
  if (unitBased) {
    if (quantity === null) r.add('quantity', "can't be blank");
    if (unitCost === null) r.add('unit_cost', "can't be blank");
    if (quantity === null || unitCost === null) return undefined;
    return {
      amount: roundCents(multiply(quantity, unitCost)),
      quantity,
      unit_cost: unitCost,
      extended_type: 'calculated',
    };
  }
  if (sent.amount !== undefined && sent.amount !== null) {
    return { amount: toAmount(sent.amount), quantity, unit_cost: unitCost, extended_type: 'manual' };
  }
  if (sent.quantity != null && sent.unit_cost != null) {
    return {
      amount: roundCents(multiply(sent.quantity, sent.unit_cost)),
      quantity,
      unit_cost: unitCost,
      extended_type: 'calculated',
    };
  }
  if (previous) return { ...previous, quantity, unit_cost: unitCost };
  return { amount: '0.00', quantity, unit_cost: unitCost, extended_type: 'manual' };
}

function roundCents(value: string): string {
  return toBig(value).toFixed(2);
}

/** `wbs_code{id,flat_code,description}` as line items carry it. */
export function wbsCodeRef(state: ProcoreState, id: number): Json {
  const code = state.db.budgetCodes.get(id);
  return code ? { id: code.id, flat_code: code.flat_code, description: code.description } : null;
}

/** `cost_code{…}` as line items carry it. */
export function costCodeRef(state: ProcoreState, budgetCodeId: number): Json {
  const code = state.db.budgetCodes.get(budgetCodeId);
  const costCode = code ? state.db.costCodes.get(code.cost_code_id) : undefined;
  return costCode
    ? {
        id: costCode.id,
        name: costCode.name,
        full_code: costCode.full_code,
        origin_id: costCode.origin_id,
        origin_data: costCode.origin_data,
      }
    : null;
}

/** `line_item_type{id,name,code,base_type,origin_id,origin_data}` as line items carry it. */
export function lineItemTypeRef(state: ProcoreState, budgetCodeId: number): Json {
  const code = state.db.budgetCodes.get(budgetCodeId);
  const type = code ? state.db.costTypes.get(code.line_item_type_id) : undefined;
  return type
    ? {
        id: type.id,
        name: type.name,
        code: type.code,
        base_type: type.base_type,
        origin_id: type.origin_id,
        origin_data: type.origin_data,
      }
    : null;
}

/** `currency_configuration` for a document in a project. */
export function currencyConfiguration(project: Project | undefined, isoCode: string | null, rate: string | null): Json {
  const base = project?.currency_iso_code ?? 'USD';
  return { currency_iso_code: isoCode ?? base, currency_exchange_rate: rate ?? '1.0', base_currency_iso_code: base };
}

/** The commitment `id` in a project (deleted ones are not found). */
export function findCommitment(ctx: RequestContext, project: Project, id: number): Commitment {
  const c = ctx.state.db.commitments.get(id);
  if (!c || c.project_id !== project.id || c.deleted_at !== null) throw notFound('Commitment');
  return c;
}

/** Adds an error when a document's currency differs from the project's and multicurrency is off. */
export function checkCurrency(ctx: RequestContext, project: Project, r: FieldReader): string | null | undefined {
  const code = r.string('currency_iso_code');
  if (!code) return code;
  if (!/^[A-Z]{3}$/.test(code)) {
    r.add('currency_iso_code', 'is not a valid ISO 4217 currency code');
    return undefined;
  }
  if (code !== project.currency_iso_code && !usesMulticurrency(ctx.switches, project.id)) {
    r.add(
      'currency_iso_code',
      `must be the project currency (${project.currency_iso_code}); multicurrency is not enabled`,
    );
    return undefined;
  }
  return code;
}
