import { equals, sum, toAmount } from '../../../lambdas/shared/money';
import { bodyObject, pathId, projectFromPath, type RequestContext, wrapped } from '../context';
import { invalid, isRecord, type Json, notFound, type Reply, unprocessable } from '../http';
import { FieldReader } from '../input';
import { commonFilters, Filters, inRange, paginate } from '../listing';
import type { Route } from '../router';
import {
  DIRECT_COST_STATUSES,
  DIRECT_COST_TYPES,
  type DirectCost,
  type DirectCostLineItem,
  type ProcoreState,
  type Project,
} from '../state';
import { runSync } from '../sync';
import {
  checkCurrency,
  checkOriginFree,
  checkUom,
  costCodeRef,
  currencyConfiguration,
  lineItemTypeRef,
  lineMoney,
  resolveBudgetCode,
  wbsCodeRef,
} from './common';

type Version = 'v1.0' | 'v1.1';
const ERP_LOCKED = 'The direct cost is synced with ERP (it has an origin_id); its amounts can only change through sync';

function grandTotal(state: ProcoreState, dc: DirectCost): string {
  return toAmount(sum(state.directCostLineItems(dc.id).map((l) => l.amount)));
}

function lineJson(state: ProcoreState, l: DirectCostLineItem): Json {
  const project = state.db.projects.get(l.project_id);
  return {
    id: l.id,
    position: l.position,
    amount: l.amount,
    quantity: l.quantity,
    unit_cost: l.unit_cost,
    uom: l.uom,
    extended_type: l.extended_type,
    extended_amount: l.amount,
    total_amount: l.amount,
    tax_code_id: l.tax_code_id,
    description: l.description,
    ref: l.ref,
    origin_id: l.origin_id,
    origin_data: l.origin_data,
    wbs_code: wbsCodeRef(state, l.wbs_code_id),
    cost_code: costCodeRef(state, l.wbs_code_id),
    line_item_type: lineItemTypeRef(state, l.wbs_code_id),
    holder: { id: l.direct_cost_id, holder_type: 'DirectCost' },
    company: { id: state.company.id, name: state.company.name },
    project: project ? { id: project.id, name: project.name } : null,
    currency_configuration: currencyConfiguration(project, null, null),
    created_at: l.created_at,
    updated_at: l.updated_at,
  };
}

/** A direct cost: the list shape, the v1.0 Show shape, or the v1.1 Show shape (which carries the lines). */
function directCostJson(state: ProcoreState, dc: DirectCost, shape: 'list' | Version): Json {
  const project = state.db.projects.get(dc.project_id);
  const vendor = dc.vendor_id === null ? undefined : state.db.vendors.get(dc.vendor_id);
  const total = grandTotal(state, dc);
  const common: Record<string, Json> = {
    id: dc.id,
    direct_cost_type: dc.direct_cost_type,
    invoice_number: dc.invoice_number,
    description: dc.description,
    direct_cost_date: dc.direct_cost_date,
    received_date: dc.received_date,
    payment_date: dc.payment_date,
    status: dc.status,
    terms: dc.terms,
    grand_total: total,
    vendor_id: vendor?.id ?? null,
    vendor_name: vendor?.name ?? null,
    employee: dc.employee_id === null ? null : { id: dc.employee_id, name: null },
    origin_id: dc.origin_id,
    origin_data: dc.origin_data,
    currency_configuration: currencyConfiguration(project, dc.currency_iso_code, dc.currency_exchange_rate),
    created_at: dc.created_at,
    updated_at: dc.updated_at,
    deleted_at: dc.deleted_at,
  };
  if (shape === 'list') return { ...common, amount: total, vendor: vendor?.name ?? null };
  const lines = state.directCostLineItems(dc.id);
  const show: Record<string, Json> = {
    ...common,
    vendor: vendor ? { id: vendor.id, name: vendor.name } : null,
    line_items_count: lines.length,
    attachments: [],
    attachments_count: 0,
  };
  if (shape === 'v1.0') return show;
  return {
    ...show,
    company: { id: state.company.id, name: state.company.name },
    project: project ? { id: project.id, name: project.name } : null,
    line_items: lines.map((l) => lineJson(state, l)),
  };
}

// ---- headers -----------------------------------------------------------------------------------------

function readHeader(
  ctx: RequestContext,
  project: Project,
  r: FieldReader,
  existing: DirectCost | undefined,
): Partial<DirectCost> {
  const patch: Partial<DirectCost> = {};
  for (const key of ['description', 'terms', 'origin_data', 'invoice_number'] as const) {
    const v = r.string(key);
    if (v !== undefined) patch[key] = v === '' ? null : v;
  }
  const originId = r.string('origin_id');
  if (originId !== undefined) patch.origin_id = originId === '' ? null : originId;
  for (const key of ['direct_cost_date', 'received_date', 'payment_date'] as const) {
    const v = r.date(key);
    if (v !== undefined) patch[key] = v;
  }
  const status = r.oneOf('status', DIRECT_COST_STATUSES);
  if (status) patch.status = status;
  const type = r.oneOf('direct_cost_type', DIRECT_COST_TYPES);
  if (existing) {
    if (type && type !== existing.direct_cost_type) r.add('direct_cost_type', 'cannot be changed after create');
  } else if (type) {
    patch.direct_cost_type = type;
  } else if (!r.errors.direct_cost_type) {
    r.add('direct_cost_type', "can't be blank");
  }
  const vendorId = r.integer('vendor_id');
  if (vendorId !== undefined) {
    if (vendorId !== null && !ctx.state.db.vendors.has(vendorId)) r.add('vendor_id', 'does not exist');
    patch.vendor_id = vendorId;
  }
  const employeeId = r.integer('employee_id');
  if (employeeId !== undefined) patch.employee_id = employeeId;
  const currency = checkCurrency(ctx, project, r);
  if (currency !== undefined) patch.currency_iso_code = currency;
  const rate = r.decimal('currency_exchange_rate', true);
  if (rate !== undefined) patch.currency_exchange_rate = rate;
  // Invoice number and vendor are required only for invoices, whatever the schema's `required` says.
  if ((patch.direct_cost_type ?? existing?.direct_cost_type) === 'invoice') {
    const invoice = patch.invoice_number === undefined ? existing?.invoice_number : patch.invoice_number;
    const vendor = patch.vendor_id === undefined ? existing?.vendor_id : patch.vendor_id;
    if (!invoice && !r.errors.invoice_number) r.add('invoice_number', "can't be blank");
    if (vendor == null && !r.errors.vendor_id) r.add('vendor_id', "can't be blank");
  }
  checkOriginFree(r, ctx.state.directCosts(), patch.origin_id, existing?.id);
  return patch;
}

function newDirectCost(ctx: RequestContext, project: Project, patch: Partial<DirectCost>): DirectCost {
  const at = ctx.state.stamp();
  const dc: DirectCost = {
    id: ctx.state.nextId(),
    project_id: project.id,
    direct_cost_type: 'invoice',
    vendor_id: null,
    employee_id: null,
    invoice_number: null,
    description: null,
    direct_cost_date: null,
    received_date: null,
    payment_date: null,
    status: 'draft',
    terms: null,
    origin_id: null,
    origin_data: null,
    currency_iso_code: null,
    currency_exchange_rate: null,
    created_at: at,
    updated_at: at,
    deleted_at: null,
    ...patch,
  };
  ctx.state.db.directCosts.set(dc.id, dc);
  return dc;
}

function findDirectCost(ctx: RequestContext, project: Project, id: number): DirectCost {
  const dc = ctx.state.db.directCosts.get(id);
  if (!dc || dc.project_id !== project.id || dc.deleted_at !== null) throw notFound('Direct cost');
  return dc;
}

// ---- lines -------------------------------------------------------------------------------------------

interface LinePlan {
  existing: DirectCostLineItem | undefined;
  fields: Partial<DirectCostLineItem>;
}

/** Reads one line. v1.1 inline lines take `manual_amount` on a `wbs_code_id` only; v1.0 lines take `amount` (numbers too) and the legacy pair. */
function readLine(
  ctx: RequestContext,
  project: Project,
  r: FieldReader,
  existing: DirectCostLineItem | undefined,
  version: Version,
): Partial<DirectCostLineItem> | undefined {
  const fields: Partial<DirectCostLineItem> = {};
  const v10 = version === 'v1.0';
  if (!existing || r.has('wbs_code_id') || (v10 && (r.has('cost_code_id') || r.has('line_item_type_id')))) {
    const code = resolveBudgetCode(ctx, project, r, { legacyPair: v10 });
    if (code) fields.wbs_code_id = code.id;
  }
  const money = lineMoney(
    r,
    {
      amount: r.decimal(v10 ? 'amount' : 'manual_amount', v10),
      quantity: r.decimal('quantity', v10),
      unit_cost: r.decimal('unit_cost', v10),
    },
    existing,
    false,
  );
  if (money) Object.assign(fields, money);
  for (const key of ['description', 'origin_data', 'ref'] as const) {
    const v = r.string(key);
    if (v !== undefined) fields[key] = v;
  }
  const originId = r.string('origin_id');
  if (originId !== undefined) fields.origin_id = originId === '' ? null : originId;
  const uom = r.string('uom');
  checkUom(ctx, r, uom);
  if (uom !== undefined) fields.uom = uom;
  const tax = r.integer('tax_code_id');
  if (tax !== undefined) fields.tax_code_id = tax;
  r.oneOf('extended_type', ['manual', 'calculated'] as const);
  checkOriginFree(r, ctx.state.db.directCostLineItems.values(), fields.origin_id, existing?.id);
  return r.valid ? fields : undefined;
}

function readInlineLines(
  ctx: RequestContext,
  project: Project,
  dc: DirectCost | undefined,
  outer: FieldReader,
): LinePlan[] {
  const items = outer.objects('line_items');
  if (!items) return [];
  const max = ctx.switches.directCostMaxLines;
  if (items.length > max) {
    outer.add('line_items', `can contain at most ${max} line items per request`);
    return [];
  }
  const plans: LinePlan[] = [];
  items.forEach((item, i) => {
    const r = new FieldReader(item, `line_items[${i}].`);
    const id = r.integer('id');
    const existing = id == null ? undefined : ctx.state.db.directCostLineItems.get(id);
    if (id != null && (!existing || existing.direct_cost_id !== dc?.id)) r.add('id', 'Entity with this ID not found');
    const fields = readLine(ctx, project, r, existing, 'v1.1');
    outer.absorb(r.errors);
    if (fields) plans.push({ existing, fields });
  });
  return plans;
}

function changesAmounts(plans: readonly LinePlan[]): boolean {
  return plans.some(
    (p) => !p.existing || (p.fields.amount !== undefined && !equals(p.fields.amount, p.existing.amount)),
  );
}

function applyLines(ctx: RequestContext, dc: DirectCost, plans: readonly LinePlan[]): void {
  const at = ctx.state.stamp();
  for (const plan of plans) {
    if (plan.existing) Object.assign(plan.existing, plan.fields, { updated_at: at });
    else addLine(ctx, dc, plan.fields);
  }
}

function addLine(ctx: RequestContext, dc: DirectCost, fields: Partial<DirectCostLineItem>): DirectCostLineItem {
  const at = ctx.state.stamp();
  const line: DirectCostLineItem = {
    quantity: null,
    unit_cost: null,
    uom: null,
    extended_type: 'manual',
    description: null,
    tax_code_id: null,
    ref: null,
    origin_id: null,
    origin_data: null,
    amount: '0.00',
    wbs_code_id: 0,
    ...fields,
    id: ctx.state.nextId(),
    direct_cost_id: dc.id,
    project_id: dc.project_id,
    position: ctx.state.directCostLineItems(dc.id).length + 1,
    created_at: at,
    updated_at: at,
  };
  ctx.state.db.directCostLineItems.set(line.id, line);
  return line;
}

function assertAmountsUnlocked(ctx: RequestContext, dc: DirectCost): void {
  if (ctx.switches.originLockedPatchRejected && dc.origin_id !== null) throw invalid('base', ERP_LOCKED);
}

// ---- handlers ----------------------------------------------------------------------------------------

function create(ctx: RequestContext, version: Version): Reply {
  const project = projectFromPath(ctx);
  const r = new FieldReader(wrapped(ctx, version === 'v1.1' ? 'direct_cost' : 'item'));
  const patch = readHeader(ctx, project, r, undefined);
  const plans = version === 'v1.1' ? readInlineLines(ctx, project, undefined, r) : [];
  r.throwIfInvalid();
  const dc = newDirectCost(ctx, project, patch);
  ctx.core.lockDirectCost(ctx, dc.id);
  applyLines(ctx, dc, plans);
  return { status: 201, body: directCostJson(ctx.state, dc, version) };
}

function update(ctx: RequestContext, version: Version): Reply {
  const project = projectFromPath(ctx);
  const dc = findDirectCost(ctx, project, pathId(ctx, 'id', 'Direct cost'));
  ctx.core.lockDirectCost(ctx, dc.id);
  const raw = bodyObject(ctx).direct_cost;
  // The v1.1 update schema does not require the wrapper: a body with only `attachments` is valid.
  const r = new FieldReader(version === 'v1.1' ? (isRecord(raw) ? raw : {}) : wrapped(ctx, 'item'));
  const patch = readHeader(ctx, project, r, dc);
  const plans = version === 'v1.1' ? readInlineLines(ctx, project, dc, r) : [];
  r.throwIfInvalid();
  if (changesAmounts(plans)) assertAmountsUnlocked(ctx, dc);
  Object.assign(dc, patch, { updated_at: ctx.state.stamp() });
  applyLines(ctx, dc, plans);
  return { status: 200, body: directCostJson(ctx.state, dc, version) };
}

function show(ctx: RequestContext, version: Version): Reply {
  const project = projectFromPath(ctx);
  return { status: 200, body: directCostJson(ctx.state, findDirectCost(ctx, project, pathId(ctx, 'id')), version) };
}

function remove(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const dc = findDirectCost(ctx, project, pathId(ctx, 'id', 'Direct cost'));
  ctx.core.lockDirectCost(ctx, dc.id);
  dc.deleted_at = ctx.state.stamp();
  dc.updated_at = dc.deleted_at;
  return { status: 200, body: { id: dc.id } };
}

function list(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const filters = new Filters(ctx.query);
  const invoice = filters.value('invoice_number');
  const paid = filters.range('payment_date');
  const received = filters.range('received_date');
  const selected = commonFilters(ctx.state.directCosts(project.id), filters, (d) => d.origin_id).filter(
    (d) =>
      (invoice === undefined || d.invoice_number === invoice) &&
      (!paid || (d.payment_date !== null && inRange(`${d.payment_date}T12:00:00Z`, paid))) &&
      (!received || (d.received_date !== null && inRange(`${d.received_date}T12:00:00Z`, received))),
  );
  return paginate(ctx, selected, (d) => directCostJson(ctx.state, d, 'list'));
}

function sync(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const write = (data: Record<string, unknown>, existing: DirectCost | undefined) => {
    if (existing) ctx.core.lockDirectCost(ctx, existing.id);
    const r = new FieldReader(data);
    const patch = readHeader(ctx, project, r, existing);
    r.throwIfInvalid();
    if (!existing) return newDirectCost(ctx, project, patch);
    Object.assign(existing, patch, { updated_at: ctx.state.stamp() });
    return existing;
  };
  return runSync<DirectCost>(ctx, bodyObject(ctx).updates, {
    findById: (id) => ctx.state.directCosts(project.id).find((d) => d.id === id),
    findByOriginId: (originId) => ctx.state.directCosts(project.id).find((d) => d.origin_id === originId),
    create: (item) => write(item, undefined),
    update: (dc, item) => write(item, dc),
    serialize: (dc) => directCostJson(ctx.state, dc, 'v1.0'),
  });
}

function projectLines(ctx: RequestContext): DirectCostLineItem[] {
  const project = projectFromPath(ctx);
  const live = new Set(ctx.state.directCosts(project.id).map((d) => d.id));
  return [...ctx.state.db.directCostLineItems.values()]
    .filter((l) => live.has(l.direct_cost_id))
    .sort((a, b) => a.id - b.id);
}

function listAllLines(ctx: RequestContext): Reply {
  const filters = new Filters(ctx.query);
  const dcId = filters.int('direct_cost_id');
  const lines = commonFilters(projectLines(ctx), filters, undefined).filter(
    (l) => dcId === undefined || l.direct_cost_id === dcId,
  );
  return paginate(ctx, lines, (l) => lineJson(ctx.state, l));
}

function syncLines(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const write = (data: Record<string, unknown>, existing: DirectCostLineItem | undefined) => {
    const r = new FieldReader(data);
    const dcId = r.integer('direct_cost_id') ?? existing?.direct_cost_id;
    if (dcId == null) throw unprocessable({ direct_cost_id: ["can't be blank"] });
    if (existing && dcId !== existing.direct_cost_id) throw unprocessable({ direct_cost_id: ['cannot be changed'] });
    const dc = ctx.state.db.directCosts.get(dcId);
    if (!dc || dc.project_id !== project.id || dc.deleted_at !== null) {
      throw unprocessable({ direct_cost_id: ['does not exist in this project'] });
    }
    ctx.core.lockDirectCost(ctx, dc.id);
    const fields = readLine(ctx, project, r, existing, 'v1.0');
    r.throwIfInvalid();
    if (!fields) throw unprocessable(r.errors);
    if (!existing) return addLine(ctx, dc, fields);
    Object.assign(existing, fields, { updated_at: ctx.state.stamp() });
    return existing;
  };
  const lines = () => projectLines(ctx);
  return runSync<DirectCostLineItem>(ctx, bodyObject(ctx).updates, {
    findById: (id) => lines().find((l) => l.id === id),
    findByOriginId: (originId) => lines().find((l) => l.origin_id === originId),
    create: (item) => write(item, undefined),
    update: (line, item) => write(item, line),
    serialize: (l) => lineJson(ctx.state, l),
  });
}

function lineParent(ctx: RequestContext): { project: Project; dc: DirectCost } {
  const project = projectFromPath(ctx);
  return { project, dc: findDirectCost(ctx, project, pathId(ctx, 'direct_cost_id', 'Direct cost')) };
}

function findLine(ctx: RequestContext, dc: DirectCost): DirectCostLineItem {
  const line = ctx.state.db.directCostLineItems.get(pathId(ctx, 'id', 'Line item'));
  if (!line || line.direct_cost_id !== dc.id) throw notFound('Line item');
  return line;
}

function listLines(ctx: RequestContext): Reply {
  const { dc } = lineParent(ctx);
  return paginate(ctx, ctx.state.directCostLineItems(dc.id), (l) => lineJson(ctx.state, l));
}

function showLine(ctx: RequestContext): Reply {
  const { dc } = lineParent(ctx);
  return { status: 200, body: lineJson(ctx.state, findLine(ctx, dc)) };
}

function postLine(ctx: RequestContext): Reply {
  const { project, dc } = lineParent(ctx);
  ctx.core.lockDirectCost(ctx, dc.id);
  const r = new FieldReader(wrapped(ctx, 'line_item'));
  const fields = readLine(ctx, project, r, undefined, 'v1.0');
  r.throwIfInvalid();
  assertAmountsUnlocked(ctx, dc);
  const line = addLine(ctx, dc, fields ?? {});
  dc.updated_at = ctx.state.stamp();
  return { status: 201, body: lineJson(ctx.state, line) };
}

function patchLine(ctx: RequestContext): Reply {
  const { project, dc } = lineParent(ctx);
  ctx.core.lockDirectCost(ctx, dc.id);
  const line = findLine(ctx, dc);
  const r = new FieldReader(wrapped(ctx, 'line_item'));
  const fields = readLine(ctx, project, r, line, 'v1.0');
  r.throwIfInvalid();
  if (fields?.amount !== undefined && !equals(fields.amount, line.amount)) assertAmountsUnlocked(ctx, dc);
  Object.assign(line, fields, { updated_at: ctx.state.stamp() });
  dc.updated_at = line.updated_at;
  return { status: 200, body: lineJson(ctx.state, line) };
}

function deleteLine(ctx: RequestContext): Reply {
  const { dc } = lineParent(ctx);
  ctx.core.lockDirectCost(ctx, dc.id);
  const line = findLine(ctx, dc);
  assertAmountsUnlocked(ctx, dc);
  ctx.state.db.directCostLineItems.delete(line.id);
  ctx.state.directCostLineItems(dc.id).forEach((l, i) => {
    l.position = i + 1;
  });
  dc.updated_at = ctx.state.stamp();
  return { status: 200 };
}

const V10 = '/rest/v1.0/projects/{project_id}/direct_costs';
const V11 = '/rest/v1.1/projects/{project_id}/direct_costs';
const LINES = `${V10}/{direct_cost_id}/line_items`;

/** Direct costs (v1.0 and v1.1), their line items, and both sync endpoints. */
export const directCostRoutes: Route[] = [
  { method: 'GET', template: V10, handler: list },
  { method: 'GET', template: V11, handler: list },
  {
    method: 'POST',
    template: V10,
    handler: (c) => create(c, 'v1.0'),
  },
  {
    method: 'POST',
    template: V11,
    handler: (c) => create(c, 'v1.1'),
  },
  {
    method: 'PATCH',
    template: `${V10}/sync`,
    handler: sync,
  },
  { method: 'GET', template: `${V10}/line_items`, handler: listAllLines },
  {
    method: 'PATCH',
    template: `${V10}/line_items/sync`,
    handler: syncLines,
  },
  { method: 'GET', template: `${V10}/{id}`, handler: (c) => show(c, 'v1.0') },
  { method: 'GET', template: `${V11}/{id}`, handler: (c) => show(c, 'v1.1') },
  {
    method: 'PATCH',
    template: `${V10}/{id}`,
    handler: (c) => update(c, 'v1.0'),
  },
  {
    method: 'PATCH',
    template: `${V11}/{id}`,
    handler: (c) => update(c, 'v1.1'),
  },
  { method: 'DELETE', template: `${V10}/{id}`, handler: remove },
  { method: 'DELETE', template: `${V11}/{id}`, handler: remove },
  { method: 'GET', template: LINES, handler: listLines },
  {
    method: 'POST',
    template: LINES,
    handler: postLine,
  },
  { method: 'GET', template: `${LINES}/{id}`, handler: showLine },
  {
    method: 'PATCH',
    template: `${LINES}/{id}`,
    handler: patchLine,
  },
  { method: 'DELETE', template: `${LINES}/{id}`, handler: deleteLine },
];
