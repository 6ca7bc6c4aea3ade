/**
 * Commitment change orders as Procore publishes them: the v1.0 header (`{change_order: {contract_id, number, title,
 * status, description, …}}`, no `origin_id` and no inline lines) and the v2.0 company-scoped line items, added one
 * per call (`{wbs_code_id, commitment_line_item_id, amount, description, …}`, ids as strings, `{data: …}` answers).
 */
import { toAmount } from '../../../lambdas/shared/money';
import { pathId, projectFromPath, type RequestContext, wrapped } from '../context';
import { badRequest, type Json, notFound, type Reply } from '../http';
import { FieldReader } from '../input';
import { commonFilters, Filters, paginate, paginateV2 } from '../listing';
import type { Route } from '../router';
import {
  type BudgetCode,
  CHANGE_ORDER_STATUSES,
  type ChangeOrder,
  type ChangeOrderLineItem,
  type Commitment,
  type ProcoreState,
  type Project,
} from '../state';
import { lineMoney } from './common';
import { changeOrderAmount } from './totals';

/** A change order as the commitment Show lists it under `change_order_packages`. */
export function changeOrderPackageJson(co: ChangeOrder): Record<string, Json> {
  return {
    id: co.id,
    contract_id: co.contract_id,
    number: co.number,
    title: co.title,
    status: co.status,
    due_date: null,
    invoiced_date: null,
    paid_date: null,
    reviewed_at: null,
    signed_change_order_received_date: null,
    created_at: co.created_at,
    updated_at: co.updated_at,
    deleted_at: null,
  };
}

function changeOrderJson(state: ProcoreState, co: ChangeOrder): Json {
  return {
    ...changeOrderPackageJson(co),
    description: co.description,
    grand_total: toAmount(changeOrderAmount(state, co)),
  };
}

// v2.0 answers carry ids as strings.
function lineJson(state: ProcoreState, l: ChangeOrderLineItem): Json {
  const code = state.db.budgetCodes.get(l.wbs_code_id);
  return {
    id: String(l.id),
    commitment_line_item_id: l.commitment_line_item_id === null ? null : String(l.commitment_line_item_id),
    prime_line_item_id: null,
    description: l.description,
    uom: null,
    quantity: l.quantity === null ? null : Number(l.quantity),
    unit_cost: l.unit_cost,
    amount: l.amount,
    extended_type: l.extended_type,
    wbs_code_id: String(l.wbs_code_id),
    tax_code_id: null,
    position: l.position,
    wbs_code: code ? { id: String(code.id), flat_code: code.flat_code, description: code.description } : null,
  };
}

/** The commitment a change order is for: it must be a live commitment of the project. */
function contractOf(ctx: RequestContext, project: Project, r: FieldReader, id: number | null | undefined) {
  if (id == null) {
    r.add('contract_id', "can't be blank");
    return undefined;
  }
  const contract = ctx.state.db.commitments.get(id);
  if (!contract || contract.project_id !== project.id || contract.deleted_at !== null) {
    r.add('contract_id', 'is not a commitment of this project');
    return undefined;
  }
  return contract;
}

function write(ctx: RequestContext, project: Project, existing: ChangeOrder | undefined): ChangeOrder {
  const r = new FieldReader(wrapped(ctx, 'change_order'));
  const sentContract = r.integer('contract_id');
  if (existing && sentContract != null && sentContract !== existing.contract_id) {
    r.add('contract_id', 'cannot be changed');
  }
  const contract = contractOf(ctx, project, r, existing?.contract_id ?? sentContract);
  const status = r.oneOf('status', CHANGE_ORDER_STATUSES);
  const number = r.string('number');
  const siblings = contract ? ctx.state.changeOrders(project.id).filter((co) => co.contract_id === contract.id) : [];
  // Whether Procore enforces unique numbers per contract is not published; the simulator does.
  if (number && siblings.some((co) => co.number === number && co.id !== existing?.id)) {
    r.add('number', 'has already been taken');
  }
  const title = r.string('title');
  const description = r.string('description');
  r.throwIfInvalid();
  if (!contract) throw notFound('Commitment');

  const at = ctx.state.stamp();
  const co: ChangeOrder = existing ?? {
    id: ctx.state.nextId(),
    project_id: project.id,
    contract_id: contract.id,
    number: number || String(siblings.length + 1),
    title: null,
    description: null,
    status: 'draft',
    created_at: at,
    updated_at: at,
  };
  if (number) co.number = number;
  if (status) co.status = status;
  if (title !== undefined) co.title = title;
  if (description !== undefined) co.description = description;
  co.updated_at = at;
  ctx.state.db.changeOrders.set(co.id, co);
  contract.updated_at = at;
  return co;
}

function findChangeOrder(ctx: RequestContext, project: Project, param: string): ChangeOrder {
  const co = ctx.state.db.changeOrders.get(pathId(ctx, param, 'Change order'));
  if (!co || co.project_id !== project.id) throw notFound('Change order');
  return co;
}

function list(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const filters = new Filters(ctx.query);
  const contractId = filters.int('contract_id');
  const status = filters.value('status');
  const selected = commonFilters(ctx.state.changeOrders(project.id), filters, undefined).filter(
    (co) => (contractId === undefined || co.contract_id === contractId) && (!status || co.status === status),
  );
  return paginate(ctx, selected, (co) => changeOrderJson(ctx.state, co));
}

function show(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  return { status: 200, body: changeOrderJson(ctx.state, findChangeOrder(ctx, project, 'id')) };
}

function create(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  return { status: 201, body: changeOrderJson(ctx.state, write(ctx, project, undefined)) };
}

function update(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const co = findChangeOrder(ctx, project, 'id');
  return { status: 200, body: changeOrderJson(ctx.state, write(ctx, project, co)) };
}

/** A v2.0 id field: a string of digits, as the published schema types every id. */
function v2Id(r: FieldReader, key: string): number | undefined {
  const v = r.data[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && /^\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  r.add(key, typeof v === 'string' ? 'is not an id' : 'must be a string');
  return undefined;
}

/** `wbs_code_id` (required): an active budget code of the project. */
function budgetCode(ctx: RequestContext, project: Project, r: FieldReader): BudgetCode | undefined {
  const id = v2Id(r, 'wbs_code_id');
  if (id === undefined) {
    if (!r.has('wbs_code_id')) r.add('wbs_code_id', "can't be blank");
    return undefined;
  }
  const code = ctx.state.db.budgetCodes.get(id);
  if (!code || code.project_id !== project.id) r.add('wbs_code_id', 'is not a budget code of this project');
  else if (code.status !== 'active') r.add('wbs_code_id', 'is inactive');
  return code;
}

function sovLine(ctx: RequestContext, r: FieldReader, contract: Commitment): number | null {
  const id = v2Id(r, 'commitment_line_item_id');
  if (id === undefined) return null;
  const line = ctx.state.db.commitmentLineItems.get(id);
  if (!line || line.commitment_id !== contract.id) r.add('commitment_line_item_id', 'is not a line of this commitment');
  return id;
}

/** `POST /rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/{id}/line_items`. */
function addLine(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const co = findChangeOrder(ctx, project, 'commitment_change_order_id');
  const contract = ctx.state.db.commitments.get(co.contract_id);
  if (!contract) throw notFound('Commitment');
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object');
  }
  const r = new FieldReader(body as Record<string, unknown>);
  if (co.status === 'approved' && ctx.switches.approvedChangeOrderLocksLines) {
    r.add('base', 'Line items cannot be added to an approved change order');
  }
  const code = budgetCode(ctx, project, r);
  const sovId = sovLine(ctx, r, contract);
  const unitBased = contract.accounting_method === 'unit';
  const sent = { amount: r.decimal('amount'), quantity: r.decimal('quantity'), unit_cost: r.decimal('unit_cost') };
  if (!unitBased) {
    if (!r.has('amount') || r.data.amount === null) r.add('amount', "can't be blank");
    for (const key of ['quantity', 'unit_cost', 'uom'] as const) {
      if (r.has(key)) r.add(key, 'is only accepted on unit quantity SOVs');
    }
  }
  const money = lineMoney(r, sent, undefined, unitBased);
  const description = r.string('description');
  // v2.0 publishes 400 (not 422) for a request it refuses.
  if (!r.valid || !code || !money) throw badRequest(r.errors);

  const at = ctx.state.stamp();
  const line: ChangeOrderLineItem = {
    id: ctx.state.nextId(),
    change_order_id: co.id,
    commitment_line_item_id: sovId,
    wbs_code_id: code.id,
    amount: money.amount,
    quantity: money.quantity,
    unit_cost: money.unit_cost,
    extended_type: money.extended_type,
    description: description ?? null,
    position: ctx.state.changeOrderLineItems(co.id).length + 1,
    created_at: at,
    updated_at: at,
  };
  ctx.state.db.changeOrderLineItems.set(line.id, line);
  co.updated_at = at;
  return { status: 200, body: { data: lineJson(ctx.state, line) } };
}

function listLines(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const co = findChangeOrder(ctx, project, 'commitment_change_order_id');
  return paginateV2(ctx, ctx.state.changeOrderLineItems(co.id), (l) => lineJson(ctx.state, l));
}

const BASE = '/rest/v1.0/projects/{project_id}/commitment_change_orders';
const LINES =
  '/rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/{commitment_change_order_id}/line_items';

/** Commitment change orders: the v1.0 header operations and the v2.0 line items. */
export const changeOrderRoutes: Route[] = [
  { method: 'GET', template: BASE, handler: list },
  { method: 'POST', template: BASE, handler: create },
  { method: 'GET', template: `${BASE}/{id}`, handler: show },
  { method: 'PATCH', template: `${BASE}/{id}`, handler: update },
  { method: 'GET', template: LINES, handler: listLines },
  { method: 'POST', template: LINES, handler: addLine },
];
