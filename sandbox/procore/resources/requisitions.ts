import { add, multiply, subtract, sum, toAmount, toBig } from '../../../lambdas/shared/money';
import {
  bodyInt,
  bodyObject,
  pathId,
  projectFromBodyOrQuery,
  projectFromPath,
  projectFromQuery,
  type RequestContext,
  wrapped,
} from '../context';
import { invalid, isRecord, type Json, notFound, paramMissing, type Reply } from '../http';
import { FieldReader } from '../input';
import { commonFilters, Filters, paginate } from '../listing';
import type { Route } from '../router';
import {
  type BillingPeriod,
  type Commitment,
  type ProcoreState,
  type Project,
  REQUISITION_STATUSES,
  type Requisition,
  type RequisitionItem,
} from '../state';
import { checkCurrency, checkOriginFree, currencyConfiguration, findCommitment, wbsCodeRef } from './common';
import { commitmentTotals, itemClaimed, itemRetainage, previousRequisitions, requisitionClaimed } from './totals';

const ITEM_TYPES = ['contract_item', 'contract_detail_item', 'change_order_item'] as const;
const ITEM_STATUSES = ['approved', 'rejected', 'no_action'] as const;
const ITEM_AMOUNTS = [
  'work_completed_this_period',
  'materials_presently_stored',
  'work_completed_retainage_retained_this_period',
  'materials_stored_retainage_currently_retained',
  'work_completed_retainage_released_this_period',
] as const;
const ERP_LOCKED = 'The invoice is not editable because it has been synced with ERP';

// ---- billing periods ---------------------------------------------------------------------------------

function periodJson(p: BillingPeriod): Json {
  return { ...p };
}

function readPeriod(
  ctx: RequestContext,
  project: Project,
  existing: BillingPeriod | undefined,
): Partial<BillingPeriod> {
  const r = new FieldReader(wrapped(ctx, 'billing_period'));
  const patch: Partial<BillingPeriod> = {};
  for (const key of ['start_date', 'end_date', 'due_date'] as const) {
    const v = existing && !r.has(key) ? undefined : r.date(key);
    if (v) patch[key] = v;
    else if (!existing || r.has(key)) {
      if (!r.errors[key]) r.add(key, "can't be blank");
    }
  }
  const status = existing && !r.has('status') ? undefined : r.oneOf('status', ['open', 'closed'] as const);
  if (status) patch.status = status;
  else if (!existing && status === undefined && !r.errors.status) r.add('status', "can't be blank");
  const start = patch.start_date ?? existing?.start_date;
  const end = patch.end_date ?? existing?.end_date;
  if (start && end && start > end) r.add('end_date', 'must be on or after the start date');
  if ((patch.status ?? existing?.status) === 'open') {
    const otherOpen = ctx.state.billingPeriods(project.id).some((p) => p.status === 'open' && p.id !== existing?.id);
    if (otherOpen) r.add('status', 'only one billing period can be open at a time');
  }
  r.throwIfInvalid();
  return patch;
}

function findPeriod(ctx: RequestContext, project: Project): BillingPeriod {
  const p = ctx.state.db.billingPeriods.get(pathId(ctx, 'id', 'Billing period'));
  if (!p || p.project_id !== project.id) throw notFound('Billing period');
  return p;
}

function listPeriods(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const filters = new Filters(ctx.query);
  const status = filters.value('status');
  const periods = commonFilters(ctx.state.billingPeriods(project.id), filters, undefined).filter(
    (p) => !status || p.status === status,
  );
  return paginate(ctx, periods, periodJson);
}

function showPeriod(ctx: RequestContext): Reply {
  return { status: 200, body: periodJson(findPeriod(ctx, projectFromPath(ctx))) };
}

function createPeriod(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const patch = readPeriod(ctx, project, undefined);
  const period = ctx.state.addBillingPeriod(project.id, {
    start_date: patch.start_date ?? '',
    end_date: patch.end_date ?? '',
    due_date: patch.due_date ?? '',
    status: patch.status ?? 'open',
  });
  return { status: 201, body: periodJson(period) };
}

function updatePeriod(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const period = findPeriod(ctx, project);
  Object.assign(period, readPeriod(ctx, project, period), { updated_at: ctx.state.stamp() });
  return { status: 200, body: periodJson(period) };
}

function deletePeriod(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const period = findPeriod(ctx, project);
  if (ctx.state.requisitions(project.id).some((r) => r.period_id === period.id)) {
    throw invalid('base', 'A billing period with subcontractor invoices cannot be deleted');
  }
  ctx.state.db.billingPeriods.delete(period.id);
  return { status: 200 };
}

// ---- requisitions ------------------------------------------------------------------------------------

function previousWork(state: ProcoreState, r: Requisition, lineItemId: number): string {
  return sum(
    previousRequisitions(state, r).flatMap((p) =>
      state
        .requisitionItems(p.id)
        .filter((i) => i.line_item_id === lineItemId)
        .map((i) => i.work_completed_this_period),
    ),
  );
}

function percent(part: string, whole: string): string {
  if (toBig(whole).eq(toBig('0'))) return '0.00';
  return toBig(multiply(part, '100')).div(toBig(whole)).toFixed(2);
}

function itemJson(state: ProcoreState, r: Requisition, item: RequisitionItem): Json {
  const line = state.db.commitmentLineItems.get(item.line_item_id);
  const budgetCode = line ? state.db.budgetCodes.get(line.wbs_code_id) : undefined;
  const previous = previousWork(state, r, item.line_item_id);
  const total = add(add(previous, item.work_completed_this_period), item.materials_presently_stored);
  const project = state.db.projects.get(r.project_id);
  return {
    id: item.id,
    item_type: item.item_type,
    line_item_id: item.line_item_id,
    position: item.position,
    cost_code_id: budgetCode?.cost_code_id ?? null,
    wbs_code: line ? wbsCodeRef(state, line.wbs_code_id) : null,
    description_of_work: line?.description ?? null,
    accounting_method: 'amount',
    scheduled_value: item.scheduled_value,
    work_completed_from_previous_application: toAmount(previous),
    work_completed_this_period: item.work_completed_this_period,
    work_completed_this_period_quantity: item.work_completed_this_period_quantity,
    materials_presently_stored: item.materials_presently_stored,
    total_completed_and_stored_to_date: toAmount(total),
    total_completed_and_stored_to_date_percent: percent(total, item.scheduled_value),
    work_completed_retainage_retained_this_period: item.work_completed_retainage_retained_this_period,
    materials_stored_retainage_currently_retained: item.materials_stored_retainage_currently_retained,
    work_completed_retainage_released_this_period: item.work_completed_retainage_released_this_period,
    subcontractor_claimed_amount: item.subcontractor_claimed_amount,
    status: item.status,
    comment: item.comment,
    currency_configuration: currencyConfiguration(project, null, null),
  };
}

function summaryJson(state: ProcoreState, r: Requisition, c: Commitment | undefined): Record<string, string> {
  const totals = c ? commitmentTotals(state, c) : undefined;
  const previous = previousRequisitions(state, r);
  const items = state.requisitionItems(r.id);
  const previousItems = previous.flatMap((p) => state.requisitionItems(p.id));
  const completed = sum([...items, ...previousItems].map(itemClaimed));
  const retainage = sum([...items, ...previousItems].map(itemRetainage));
  const earned = subtract(completed, retainage);
  const lessPrevious = sum(previousItems.map((i) => subtract(itemClaimed(i), itemRetainage(i))));
  const contractSum = totals?.revised_contract ?? '0';
  return {
    original_contract_sum: totals?.grand_total ?? '0.00',
    net_change_by_change_orders: totals?.approved_change_orders ?? '0.00',
    contract_sum_to_date: toAmount(contractSum),
    total_completed_and_stored_to_date: toAmount(completed),
    total_retainage: toAmount(retainage),
    completed_work_retainage_amount: toAmount(sum(items.map((i) => i.work_completed_retainage_retained_this_period))),
    stored_materials_retainage_amount: toAmount(sum(items.map((i) => i.materials_stored_retainage_currently_retained))),
    total_earned_less_retainage: toAmount(earned),
    less_previous_certificates_for_payment: toAmount(lessPrevious),
    current_payment_due: toAmount(subtract(earned, lessPrevious)),
    balance_to_finish_including_retainage: toAmount(subtract(contractSum, earned)),
  };
}

function isLatest(state: ProcoreState, r: Requisition): boolean {
  return !state.requisitions(r.project_id).some((o) => o.commitment_id === r.commitment_id && o.number > r.number);
}

function requisitionJson(state: ProcoreState, r: Requisition, withItems: boolean): Json {
  const c = state.db.commitments.get(r.commitment_id);
  const vendor = c?.vendor_id == null ? undefined : state.db.vendors.get(c.vendor_id);
  const project = state.db.projects.get(r.project_id);
  const previous = previousRequisitions(state, r);
  const summary = summaryJson(state, r, c);
  const body: Record<string, Json> = {
    id: r.id,
    project_id: r.project_id,
    commitment_id: r.commitment_id,
    commitment_type: c?.type ?? null,
    contract_name: c?.title ?? null,
    number: r.number,
    period_id: r.period_id,
    invoice_number: r.invoice_number,
    billing_date: r.billing_date,
    requisition_start: r.requisition_start,
    requisition_end: r.requisition_end,
    payment_date: r.payment_date,
    submitted_at: r.submitted_at,
    status: r.status,
    erp_status: r.origin_id === null ? 'not_ready' : 'synced',
    final: r.final,
    vendor_id: vendor?.id ?? null,
    vendor_name: vendor?.name ?? null,
    percent_complete: percent(summary.total_completed_and_stored_to_date ?? '0', summary.contract_sum_to_date ?? '0'),
    total_claimed_amount: toAmount(requisitionClaimed(state, r)),
    deletable: isLatest(state, r) && r.origin_id === null,
    previous_requisition_id: previous.at(-1)?.id ?? null,
    origin_id: r.origin_id,
    origin_data: r.origin_data,
    summary,
    currency_configuration: currencyConfiguration(project, c?.currency_iso_code ?? null, null),
    attachments: [],
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
  if (withItems) body.items = state.requisitionItems(r.id).map((i) => itemJson(state, r, i));
  return body;
}

function withItems(ctx: RequestContext, version: 'v1.0' | 'v1.1'): boolean {
  const view = ctx.query.get('view');
  return version === 'v1.1' && (ctx.method === 'POST' || view === 'extended' || view === 'items');
}

type ItemValues = Partial<
  Pick<
    RequisitionItem,
    | (typeof ITEM_AMOUNTS)[number]
    | 'work_completed_this_period_quantity'
    | 'subcontractor_claimed_amount'
    | 'status'
    | 'comment'
  >
>;

/** Reads one requisition item's values; only contract items are simulated. */
function readItem(r: FieldReader): ItemValues {
  const values: ItemValues = {};
  const type = r.oneOf('item_type', ITEM_TYPES);
  if (type === undefined && !r.errors.item_type && !r.has('item_type')) r.add('item_type', "can't be blank");
  if (type && type !== 'contract_item') r.add('item_type', `${type} items are not supported by the simulator`);
  for (const key of ITEM_AMOUNTS) {
    const v = r.decimal(key);
    if (v != null) values[key] = toAmount(v);
  }
  const quantity = r.decimal('work_completed_this_period_quantity');
  if (quantity !== undefined) values.work_completed_this_period_quantity = quantity;
  const claimed = r.decimal('subcontractor_claimed_amount');
  if (claimed !== undefined) values.subcontractor_claimed_amount = claimed === null ? null : toAmount(claimed);
  const status = r.oneOf('status', ITEM_STATUSES);
  if (status) values.status = status;
  const comment = r.string('comment');
  if (comment !== undefined) values.comment = comment;
  return values;
}

function defaultRetainage(c: Commitment, work: string): string {
  if (!c.retainage_percent) return '0.00';
  return toBig(multiply(work, c.retainage_percent)).div(toBig('100')).toFixed(2);
}

interface HeaderPatch {
  fields: Partial<Requisition>;
  items: Map<number, ItemValues>;
}

/** Reads the `requisition` object of a create or update; `items` are keyed by SOV line (create) or item id (update). */
function readHeader(
  ctx: RequestContext,
  project: Project,
  c: Commitment,
  data: Record<string, unknown>,
  existing: Requisition | undefined,
): HeaderPatch {
  const r = new FieldReader(data);
  const fields: Partial<Requisition> = {};
  const periodId = r.integer('period_id');
  if (periodId != null) {
    const period = ctx.state.db.billingPeriods.get(periodId);
    if (!period || period.project_id !== project.id) r.add('period_id', 'does not exist in this project');
    else fields.period_id = periodId;
  } else if (!existing) {
    const open = ctx.state.billingPeriods(project.id).find((p) => p.status === 'open');
    if (ctx.switches.requisitionPeriodDefaultsToOpen && open) fields.period_id = open.id;
    else r.add('period_id', "can't be blank");
  }
  for (const key of ['requisition_start', 'requisition_end', 'billing_date', 'payment_date'] as const) {
    const v = r.date(key);
    if (v !== undefined) fields[key] = v;
  }
  for (const key of ['invoice_number', 'submitted_at', 'comment', 'origin_data'] as const) {
    const v = r.string(key);
    if (v !== undefined) fields[key] = v;
  }
  const originId = r.string('origin_id');
  if (originId !== undefined) fields.origin_id = originId === '' ? null : originId;
  const status = r.oneOf('status', REQUISITION_STATUSES);
  if (status) fields.status = status;
  const final = r.boolean('final');
  if (final !== undefined) fields.final = final;
  checkOriginFree(r, ctx.state.db.requisitions.values(), fields.origin_id, existing?.id);
  // The published bodies have no currency (strict mode refuses the field); lenient, it is checked like elsewhere.
  checkCurrency(ctx, project, r);

  const items = new Map<number, ItemValues>();
  (r.objects('items') ?? []).forEach((item, i) => {
    const ir = new FieldReader(item, `items[${i}].`);
    const values = readItem(ir);
    if (existing) {
      const id = ir.integer('id');
      const target = id == null ? undefined : ctx.state.db.requisitionItems.get(id);
      if (!target || target.requisition_id !== existing.id) ir.add('id', 'is not an item of this requisition');
      else items.set(target.id, values);
    } else {
      const lineId = ir.integer('line_item_id');
      const line = lineId == null ? undefined : ctx.state.db.commitmentLineItems.get(lineId);
      if (!line || line.commitment_id !== c.id) ir.add('line_item_id', 'is not a line item of this commitment');
      else items.set(line.id, values);
    }
    r.absorb(ir.errors);
  });
  r.throwIfInvalid();
  return { fields, items };
}

function findRequisition(ctx: RequestContext, project: Project, id: number): Requisition {
  const r = ctx.state.db.requisitions.get(id);
  if (!r || r.project_id !== project.id) throw notFound('Requisition');
  return r;
}

function assertEditable(ctx: RequestContext, r: Requisition): void {
  // Procore locks subcontractor invoices that carry an origin_id ("synced with ERP").
  if (ctx.switches.originLockedPatchRejected && r.origin_id !== null) throw invalid('base', ERP_LOCKED);
}

function createRequisition(ctx: RequestContext, version: 'v1.0' | 'v1.1'): Reply {
  const project = projectFromBodyOrQuery(ctx);
  const commitmentId = bodyInt(ctx, 'commitment_id');
  if (commitmentId === undefined) throw paramMissing('commitment_id');
  const c = findCommitment(ctx, project, commitmentId);
  const data = bodyObject(ctx).requisition;
  const { fields, items } = readHeader(ctx, project, c, isRecord(data) ? data : {}, undefined);
  const lines = ctx.state.commitmentLineItems(c.id);
  if (lines.length === 0) {
    throw invalid(
      'base',
      'Subcontractor invoices need a commitment with schedule of values line items; this one has none',
    );
  }
  if (!c.requisitions_are_enabled) {
    throw invalid('base', 'Invoicing is not enabled on this commitment (requisitions_are_enabled is false)');
  }
  const periodId = fields.period_id ?? 0;
  const existing = ctx.state.requisitions(project.id).filter((r) => r.commitment_id === c.id);
  if (ctx.switches.oneRequisitionPerCommitmentPerPeriod && existing.some((r) => r.period_id === periodId)) {
    throw invalid('base', 'This commitment already has a subcontractor invoice in this billing period');
  }
  const at = ctx.state.stamp();
  const requisition: Requisition = {
    id: ctx.state.nextId(),
    project_id: project.id,
    commitment_id: c.id,
    number: Math.max(0, ...existing.map((r) => r.number)) + 1,
    period_id: periodId,
    invoice_number: null,
    billing_date: null,
    requisition_start: null,
    requisition_end: null,
    status: 'draft',
    final: false,
    payment_date: null,
    submitted_at: null,
    comment: null,
    origin_id: null,
    origin_data: null,
    created_at: at,
    updated_at: at,
    ...fields,
  };
  ctx.state.db.requisitions.set(requisition.id, requisition);
  // Procore materialises one contract item per schedule-of-values line.
  lines.forEach((line, i) => {
    const values = items.get(line.id) ?? {};
    const work = values.work_completed_this_period ?? '0.00';
    const item: RequisitionItem = {
      id: ctx.state.nextId(),
      requisition_id: requisition.id,
      item_type: 'contract_item',
      line_item_id: line.id,
      position: i + 1,
      scheduled_value: line.amount,
      work_completed_this_period: work,
      work_completed_this_period_quantity: null,
      materials_presently_stored: '0.00',
      work_completed_retainage_retained_this_period: defaultRetainage(c, work),
      materials_stored_retainage_currently_retained: '0.00',
      work_completed_retainage_released_this_period: '0.00',
      subcontractor_claimed_amount: null,
      status: 'no_action',
      comment: null,
      ...values,
    };
    ctx.state.db.requisitionItems.set(item.id, item);
  });
  return { status: 201, body: requisitionJson(ctx.state, requisition, withItems(ctx, version)) };
}

function updateRequisition(ctx: RequestContext, version: 'v1.0' | 'v1.1'): Reply {
  const project = projectFromBodyOrQuery(ctx);
  const r = findRequisition(ctx, project, pathId(ctx, 'id', 'Requisition'));
  const commitmentId = bodyInt(ctx, 'commitment_id');
  if (commitmentId !== undefined && commitmentId !== r.commitment_id) {
    throw invalid('commitment_id', 'does not match the requisition');
  }
  assertEditable(ctx, r);
  const c = findCommitment(ctx, project, r.commitment_id);
  const data = bodyObject(ctx).requisition;
  const { fields, items } = readHeader(ctx, project, c, isRecord(data) ? data : {}, r);
  if (
    fields.period_id !== undefined &&
    fields.period_id !== r.period_id &&
    ctx.switches.oneRequisitionPerCommitmentPerPeriod &&
    ctx.state.requisitions(project.id).some((o) => o.commitment_id === c.id && o.period_id === fields.period_id)
  ) {
    throw invalid('base', 'This commitment already has a subcontractor invoice in this billing period');
  }
  Object.assign(r, fields, { updated_at: ctx.state.stamp() });
  for (const [id, values] of items) {
    const item = ctx.state.db.requisitionItems.get(id);
    if (item) Object.assign(item, values);
  }
  return { status: 200, body: requisitionJson(ctx.state, r, withItems(ctx, version)) };
}

function deleteRequisition(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const r = findRequisition(ctx, project, pathId(ctx, 'id', 'Requisition'));
  assertEditable(ctx, r);
  if (!isLatest(ctx.state, r))
    throw invalid('base', 'Only the latest subcontractor invoice of a commitment can be deleted');
  for (const item of ctx.state.requisitionItems(r.id)) ctx.state.db.requisitionItems.delete(item.id);
  ctx.state.db.requisitions.delete(r.id);
  return { status: 200 };
}

function bulkItemUpdate(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const r = findRequisition(ctx, project, pathId(ctx, 'requisition_id', 'Requisition'));
  const list = bodyObject(ctx).requisition_items;
  if (!Array.isArray(list)) throw paramMissing('requisition_items');
  assertEditable(ctx, r);
  const outer = new FieldReader({});
  const planned: [RequisitionItem, ItemValues][] = [];
  list.forEach((raw, i) => {
    const ir = new FieldReader(isRecord(raw) ? raw : {}, `requisition_items[${i}].`);
    const values = readItem(ir);
    const id = ir.integer('id');
    const item = id == null ? undefined : ctx.state.db.requisitionItems.get(id);
    if (!item || item.requisition_id !== r.id) ir.add('id', 'is not an item of this requisition');
    else planned.push([item, values]);
    outer.absorb(ir.errors);
  });
  outer.throwIfInvalid();
  for (const [item, values] of planned) Object.assign(item, values);
  r.updated_at = ctx.state.stamp();
  return { status: 200 };
}

function listRequisitions(ctx: RequestContext, version: 'v1.0' | 'v1.1'): Reply {
  const project = projectFromQuery(ctx);
  const filters = new Filters(ctx.query);
  const commitmentId = filters.int('commitment_id');
  const periodId = filters.int('period_id');
  const status = filters.value('status');
  const isLast = filters.value('is_last') === 'true';
  const selected = commonFilters(ctx.state.requisitions(project.id), filters, (r) => r.origin_id).filter(
    (r) =>
      (commitmentId === undefined || r.commitment_id === commitmentId) &&
      (periodId === undefined || r.period_id === periodId) &&
      (!status || r.status === status) &&
      (!isLast || isLatest(ctx.state, r)),
  );
  return paginate(ctx, selected, (r) => requisitionJson(ctx.state, r, withItems(ctx, version)));
}

function showRequisition(ctx: RequestContext, version: 'v1.0' | 'v1.1'): Reply {
  const project = projectFromQuery(ctx);
  const r = findRequisition(ctx, project, pathId(ctx, 'id', 'Requisition'));
  return { status: 200, body: requisitionJson(ctx.state, r, withItems(ctx, version)) };
}

function listContractItems(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const r = findRequisition(ctx, project, pathId(ctx, 'requisition_id', 'Requisition'));
  return paginate(ctx, ctx.state.requisitionItems(r.id), (i) => itemJson(ctx.state, r, i));
}

const requisitionVersionRoutes = (v: 'v1.0' | 'v1.1'): Route[] => [
  { method: 'GET', template: `/rest/${v}/requisitions`, handler: (ctx) => listRequisitions(ctx, v) },
  {
    method: 'POST',
    template: `/rest/${v}/requisitions`,
    handler: (ctx) => createRequisition(ctx, v),
  },
  { method: 'GET', template: `/rest/${v}/requisitions/{id}`, handler: (ctx) => showRequisition(ctx, v) },
  {
    method: 'PATCH',
    template: `/rest/${v}/requisitions/{id}`,
    handler: (ctx) => updateRequisition(ctx, v),
  },
  { method: 'DELETE', template: `/rest/${v}/requisitions/{id}`, handler: deleteRequisition },
];

const PERIODS = '/rest/v1.0/projects/{project_id}/billing_periods';

/** Billing periods and requisitions (the UI's subcontractor invoices). */
export const requisitionRoutes: Route[] = [
  { method: 'GET', template: PERIODS, handler: listPeriods },
  {
    method: 'POST',
    template: PERIODS,
    handler: createPeriod,
  },
  { method: 'GET', template: `${PERIODS}/{id}`, handler: showPeriod },
  {
    method: 'PATCH',
    template: `${PERIODS}/{id}`,
    handler: updatePeriod,
  },
  { method: 'DELETE', template: `${PERIODS}/{id}`, handler: deletePeriod },
  ...requisitionVersionRoutes('v1.0'),
  ...requisitionVersionRoutes('v1.1'),
  {
    method: 'PATCH',
    template: '/rest/v1.0/requisitions/{requisition_id}/bulk_item_update',
    handler: bulkItemUpdate,
  },
  { method: 'GET', template: '/rest/v1.0/requisitions/{requisition_id}/contract_items', handler: listContractItems },
];
