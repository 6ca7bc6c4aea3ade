/**
 * Commitment change orders. Their endpoint schemas are not among the copied files, so strict mode does not check
 * these bodies; the simulator accepts `{commitment_change_order: {contract_id, number, title, description, status,
 * origin_id, origin_code, origin_data, line_items: [{id?, contract_line_item_id?, wbs_code_id, amount, description,
 * origin_id?}]}}`.
 */
import { toAmount } from '../../../lambdas/shared/money';
import { pathId, projectFromPath, type RequestContext, wrapped } from '../context';
import { type Json, notFound, type Reply } from '../http';
import { FieldReader } from '../input';
import { commonFilters, Filters, paginate } from '../listing';
import type { Route } from '../router';
import {
  CHANGE_ORDER_STATUSES,
  type ChangeOrder,
  type ChangeOrderLineItem,
  type ProcoreState,
  type Project,
} from '../state';
import { checkOriginFree, costCodeRef, lineItemTypeRef, resolveBudgetCode, wbsCodeRef } from './common';
import { changeOrderAmount } from './totals';

/** A change order as the commitment Show lists it under `change_order_packages`. */
export function changeOrderPackageJson(state: ProcoreState, co: ChangeOrder): Record<string, Json> {
  return {
    id: co.id,
    contract_id: co.contract_id,
    number: co.number,
    title: co.title,
    status: co.status,
    origin_id: co.origin_id,
    origin_code: co.origin_code,
    origin_data: co.origin_data,
    grand_total: toAmount(changeOrderAmount(state, co)),
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

function lineJson(state: ProcoreState, l: ChangeOrderLineItem): Json {
  return {
    id: l.id,
    position: l.position,
    contract_line_item_id: l.contract_line_item_id,
    amount: l.amount,
    description: l.description,
    origin_id: l.origin_id,
    wbs_code: wbsCodeRef(state, l.wbs_code_id),
    cost_code: costCodeRef(state, l.wbs_code_id),
    line_item_type: lineItemTypeRef(state, l.wbs_code_id),
    created_at: l.created_at,
    updated_at: l.updated_at,
  };
}

function changeOrderJson(state: ProcoreState, co: ChangeOrder): Json {
  return {
    ...changeOrderPackageJson(state, co),
    description: co.description,
    line_items: state.changeOrderLineItems(co.id).map((l) => lineJson(state, l)),
  };
}

interface LinePlan {
  existing: ChangeOrderLineItem | undefined;
  fields: Omit<ChangeOrderLineItem, 'id' | 'change_order_id' | 'position' | 'created_at' | 'updated_at'>;
}

function readLines(
  ctx: RequestContext,
  project: Project,
  contractId: number,
  co: ChangeOrder | undefined,
  items: Record<string, unknown>[],
  outer: FieldReader,
): LinePlan[] {
  const plans: LinePlan[] = [];
  items.forEach((item, i) => {
    const r = new FieldReader(item, `line_items[${i}].`);
    const id = r.integer('id');
    const existing = id == null ? undefined : ctx.state.db.changeOrderLineItems.get(id);
    if (id != null && (!existing || existing.change_order_id !== co?.id)) r.add('id', 'Entity with this ID not found');
    const sovId = r.integer('contract_line_item_id') ?? existing?.contract_line_item_id ?? null;
    let wbsCodeId = existing?.wbs_code_id;
    if (sovId !== null && !r.has('wbs_code_id')) {
      const sov = ctx.state.db.commitmentLineItems.get(sovId);
      if (!sov || sov.commitment_id !== contractId) r.add('contract_line_item_id', 'is not a line of this commitment');
      else wbsCodeId = sov.wbs_code_id;
    } else if (!existing || r.has('wbs_code_id')) {
      wbsCodeId = resolveBudgetCode(ctx, project, r, { legacyPair: false })?.id;
    }
    const amount = r.decimal('amount') ?? existing?.amount;
    if (amount == null) r.add('amount', "can't be blank");
    const originId = r.string('origin_id');
    checkOriginFree(r, ctx.state.db.changeOrderLineItems.values(), originId, existing?.id);
    outer.absorb(r.errors);
    if (r.valid && wbsCodeId !== undefined && amount != null) {
      plans.push({
        existing,
        fields: {
          contract_line_item_id: sovId,
          wbs_code_id: wbsCodeId,
          amount: toAmount(amount),
          description: r.string('description') ?? existing?.description ?? null,
          origin_id: originId === undefined ? (existing?.origin_id ?? null) : originId,
        },
      });
    }
  });
  return plans;
}

function write(ctx: RequestContext, project: Project, existing: ChangeOrder | undefined): ChangeOrder {
  const r = new FieldReader(wrapped(ctx, 'commitment_change_order'));
  const contractId = r.integer('contract_id');
  if (existing && contractId != null && contractId !== existing.contract_id) r.add('contract_id', 'cannot be changed');
  const id = existing?.contract_id ?? contractId;
  if (id == null) r.add('contract_id', "can't be blank");
  const contract = id == null ? undefined : ctx.state.db.commitments.get(id);
  if (id != null && (!contract || contract.project_id !== project.id || contract.deleted_at !== null)) {
    r.add('contract_id', 'does not exist in this project');
  }
  const status = r.oneOf('status', CHANGE_ORDER_STATUSES);
  const originId = r.string('origin_id');
  checkOriginFree(r, ctx.state.db.changeOrders.values(), originId, existing?.id);
  const number = r.string('number');
  const siblings = contract ? ctx.state.changeOrders(project.id).filter((co) => co.contract_id === contract.id) : [];
  if (number && siblings.some((co) => co.number === number && co.id !== existing?.id)) {
    r.add('number', 'has already been taken');
  }
  const items = r.objects('line_items');
  if (items && existing?.status === 'approved') r.add('line_items', 'cannot be changed on an approved change order');
  const plans = contract && items ? readLines(ctx, project, contract.id, existing, items, r) : [];
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
    origin_id: null,
    origin_data: null,
    origin_code: null,
    created_at: at,
    updated_at: at,
  };
  if (number) co.number = number;
  if (status) co.status = status;
  for (const key of ['title', 'description', 'origin_data', 'origin_code'] as const) {
    const v = r.string(key);
    if (v !== undefined) co[key] = v;
  }
  if (originId !== undefined) co.origin_id = originId === '' ? null : originId;
  co.updated_at = at;
  ctx.state.db.changeOrders.set(co.id, co);
  for (const plan of plans) {
    if (plan.existing) {
      Object.assign(plan.existing, plan.fields, { updated_at: at });
    } else {
      const line: ChangeOrderLineItem = {
        ...plan.fields,
        id: ctx.state.nextId(),
        change_order_id: co.id,
        position: ctx.state.changeOrderLineItems(co.id).length + 1,
        created_at: at,
        updated_at: at,
      };
      ctx.state.db.changeOrderLineItems.set(line.id, line);
    }
  }
  contract.updated_at = at;
  return co;
}

function findChangeOrder(ctx: RequestContext, project: Project): ChangeOrder {
  const co = ctx.state.db.changeOrders.get(pathId(ctx, 'id', 'Change order'));
  if (!co || co.project_id !== project.id) throw notFound('Change order');
  return co;
}

function list(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const filters = new Filters(ctx.query);
  const contractId = filters.int('contract_id') ?? filters.int('commitment_id');
  const status = filters.value('status');
  const selected = commonFilters(ctx.state.changeOrders(project.id), filters, (co) => co.origin_id).filter(
    (co) => (contractId === undefined || co.contract_id === contractId) && (!status || co.status === status),
  );
  return paginate(ctx, selected, (co) => changeOrderJson(ctx.state, co));
}

function show(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  return { status: 200, body: changeOrderJson(ctx.state, findChangeOrder(ctx, project)) };
}

function create(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  return { status: 201, body: changeOrderJson(ctx.state, write(ctx, project, undefined)) };
}

function update(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const co = findChangeOrder(ctx, project);
  return { status: 200, body: changeOrderJson(ctx.state, write(ctx, project, co)) };
}

const BASE = '/rest/v1.0/projects/{project_id}/commitment_change_orders';

/** Commitment change orders (no schema file: not checked in strict mode). */
export const changeOrderRoutes: Route[] = [
  { method: 'GET', template: BASE, uncatalogued: true, handler: list },
  { method: 'POST', template: BASE, uncatalogued: true, handler: create },
  { method: 'GET', template: `${BASE}/{id}`, uncatalogued: true, handler: show },
  { method: 'PATCH', template: `${BASE}/{id}`, uncatalogued: true, handler: update },
];
