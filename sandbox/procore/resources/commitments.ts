import {
  bodyObject,
  pathId,
  projectFromBody,
  projectFromBodyOrQuery,
  projectFromQuery,
  type RequestContext,
  wrapped,
} from '../context';
import { invalid, type Json, notFound, type Reply } from '../http';
import { FieldReader } from '../input';
import { commonFilters, Filters, paginate } from '../listing';
import type { Route } from '../router';
import {
  type Commitment,
  type CommitmentLineItem,
  LOCKED_COMMITMENT_STATUSES,
  type ProcoreState,
  type Project,
  PURCHASE_ORDER_STATUSES,
} from '../state';
import { runSync } from '../sync';
import { changeOrderPackageJson } from './change-orders';
import {
  checkCurrency,
  checkOriginFree,
  checkUom,
  costCodeRef,
  currencyConfiguration,
  findCommitment,
  lineItemTypeRef,
  lineMoney,
  resolveBudgetCode,
  wbsCodeRef,
} from './common';
import { commitmentTotals } from './totals';

const STRING_FIELDS = [
  'title',
  'description',
  'origin_id',
  'origin_data',
  'origin_code',
  'bill_to_address',
  'ship_to_address',
  'ship_via',
  'payment_terms',
] as const;
const DATE_FIELDS = [
  'contract_date',
  'delivery_date',
  'execution_date',
  'issued_on_date',
  'letter_of_intent_date',
  'approval_letter_date',
  'returned_date',
  'signed_contract_received_date',
] as const;

/** Whether the commitment's vendor and schedule of values are locked (Approved, or Complete for work orders). */
export function isLocked(c: Commitment): boolean {
  return LOCKED_COMMITMENT_STATUSES.includes(c.status);
}

function lockedError(c: Commitment) {
  return invalid('base', `The schedule of values cannot be changed while the commitment is ${c.status}`);
}

/** A commitment line item in the Show shape. */
export function commitmentLineJson(state: ProcoreState, l: CommitmentLineItem): Json {
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
    origin_id: l.origin_id,
    origin_data: l.origin_data,
    wbs_code: wbsCodeRef(state, l.wbs_code_id),
    cost_code: costCodeRef(state, l.wbs_code_id),
    line_item_type: lineItemTypeRef(state, l.wbs_code_id),
    holder: { id: l.commitment_id, holder_type: 'PurchaseOrderContract' },
    company: { id: state.company.id, name: state.company.name },
    project: project ? { id: project.id, name: project.name } : null,
    currency_configuration: currencyConfiguration(project, null, null),
    created_at: l.created_at,
    updated_at: l.updated_at,
  };
}

/** A purchase order contract: the compact list shape, or the Show shape with lines and change orders. */
export function commitmentJson(state: ProcoreState, c: Commitment, full: boolean): Json {
  const project = state.db.projects.get(c.project_id);
  const vendor = c.vendor_id === null ? undefined : state.db.vendors.get(c.vendor_id);
  const totals = commitmentTotals(state, c);
  const base: Record<string, Json> = {
    id: c.id,
    number: c.number,
    title: c.title,
    description: c.description,
    status: c.status,
    executed: c.executed,
    accounting_method: c.accounting_method,
    private: c.private,
    retainage_percent: c.retainage_percent,
    contract_date: c.contract_date,
    delivery_date: c.delivery_date,
    execution_date: c.execution_date,
    issued_on_date: c.issued_on_date,
    letter_of_intent_date: c.letter_of_intent_date,
    approval_letter_date: c.approval_letter_date,
    returned_date: c.returned_date,
    signed_contract_received_date: c.signed_contract_received_date,
    assignee: c.assignee_id === null ? null : { id: c.assignee_id },
    bill_to_address: c.bill_to_address,
    ship_to_address: c.ship_to_address,
    ship_via: c.ship_via,
    payment_terms: c.payment_terms,
    ...totals,
    total_payments: '0.00',
    total_draw_requests_amount: '0.00',
    remaining_balance_outstanding: totals.revised_contract,
    percentage_paid: '0.00',
    requisitions_are_enabled: c.requisitions_are_enabled,
    billing_schedule_of_values_status: 'draft',
    show_line_items_to_non_admins: false,
    vendor: vendor
      ? full
        ? { id: vendor.id, company: vendor.name, origin_id: vendor.origin_id, origin_data: vendor.origin_data }
        : { id: vendor.id, company: vendor.name }
      : null,
    project: project ? { id: project.id, name: project.name } : null,
    origin_id: c.origin_id,
    origin_data: c.origin_data,
    origin_code: c.origin_code,
    currency_configuration: currencyConfiguration(project, c.currency_iso_code, c.currency_exchange_rate),
    created_at: c.created_at,
    updated_at: c.updated_at,
    deleted_at: c.deleted_at,
  };
  if (!full) return base;
  return {
    ...base,
    line_items: state.commitmentLineItems(c.id).map((l) => commitmentLineJson(state, l)),
    change_order_packages: state
      .changeOrders(c.project_id)
      .filter((co) => co.contract_id === c.id)
      .map(changeOrderPackageJson),
    change_order_requests: [],
    potential_change_orders: [],
    payments_issued: [],
    invoice_contacts: [],
    attachments: [],
  };
}

function readContract(
  ctx: RequestContext,
  project: Project,
  data: Record<string, unknown>,
  existing: Commitment | undefined,
): Partial<Commitment> {
  const r = new FieldReader(data);
  const patch: Partial<Commitment> = {};
  for (const key of STRING_FIELDS) {
    const v = r.string(key);
    if (v !== undefined) patch[key] = v === '' ? null : v;
  }
  for (const key of DATE_FIELDS) {
    const v = r.date(key);
    if (v !== undefined) patch[key] = v;
  }
  const number = r.string('number');
  if (number) patch.number = number;
  const status = r.oneOf('status', PURCHASE_ORDER_STATUSES);
  if (status) patch.status = status;
  const method = r.oneOf('accounting_method', ['amount', 'unit'] as const);
  if (method) patch.accounting_method = method;
  const executed = r.boolean('executed');
  if (executed !== undefined) patch.executed = executed;
  const isPrivate = r.boolean('private');
  if (isPrivate !== undefined) patch.private = isPrivate;
  const retainage = r.decimal('retainage_percent');
  if (retainage !== undefined) patch.retainage_percent = retainage;
  const assignee = r.integer('assignee_id');
  if (assignee !== undefined) patch.assignee_id = assignee;
  const currency = checkCurrency(ctx, project, r);
  if (currency !== undefined) patch.currency_iso_code = currency;
  const rate = r.decimal('currency_exchange_rate', true);
  if (rate !== undefined) patch.currency_exchange_rate = rate;

  const vendorId = r.integer('vendor_id');
  if (vendorId !== undefined) {
    if (existing && isLocked(existing) && vendorId !== existing.vendor_id) {
      r.add('vendor_id', `cannot be changed while the commitment is ${existing.status}`);
    } else if (vendorId !== null) {
      const vendor = ctx.state.db.vendors.get(vendorId);
      if (!vendor) r.add('vendor', 'does not exist');
      else if (ctx.switches.vendorMustBeInProjectDirectory && !ctx.state.inProjectDirectory(project.id, vendorId)) {
        r.add(
          'vendor',
          'is not in the project directory; add it with POST …/projects/{id}/vendors/{vendor_id}/actions/add',
        );
      }
    }
    patch.vendor_id = vendorId;
  }
  if (patch.number !== undefined) {
    const clash = ctx.state.commitments(project.id).some((c) => c.number === patch.number && c.id !== existing?.id);
    if (clash) r.add('number', 'has already been taken');
  }
  checkOriginFree(r, ctx.state.commitments(), patch.origin_id, existing?.id);
  r.throwIfInvalid();
  return patch;
}

function createContract(ctx: RequestContext, project: Project, data: Record<string, unknown>): Commitment {
  const patch = readContract(ctx, project, data, undefined);
  const c = ctx.state.addCommitment(project.id);
  Object.assign(c, patch);
  return c;
}

function updateContract(
  ctx: RequestContext,
  project: Project,
  c: Commitment,
  data: Record<string, unknown>,
): Commitment {
  const patch = readContract(ctx, project, data, c);
  Object.assign(c, patch, { updated_at: ctx.state.stamp() });
  return c;
}

function listContracts(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const filters = new Filters(ctx.query);
  const deleted = filters.includeDeleted();
  const status = filters.value('status');
  const all = ctx.state
    .commitments(project.id, deleted !== undefined)
    .filter((c) => (deleted === 'only' ? c.deleted_at !== null : true) && (!status || c.status === status));
  const full = ctx.query.get('view') === 'extended';
  return paginate(
    ctx,
    commonFilters(all, filters, (c) => c.origin_id),
    (c) => commitmentJson(ctx.state, c, full),
  );
}

function showContract(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  return { status: 200, body: commitmentJson(ctx.state, findCommitment(ctx, project, pathId(ctx, 'id')), true) };
}

function postContract(ctx: RequestContext): Reply {
  const project = projectFromBody(ctx);
  const c = createContract(ctx, project, wrapped(ctx, 'purchase_order_contract'));
  return { status: 201, body: commitmentJson(ctx.state, c, true) };
}

function patchContract(ctx: RequestContext): Reply {
  const project = projectFromBody(ctx);
  const c = findCommitment(ctx, project, pathId(ctx, 'id'));
  updateContract(ctx, project, c, wrapped(ctx, 'purchase_order_contract'));
  return { status: 200, body: commitmentJson(ctx.state, c, true) };
}

function deleteContract(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const c = findCommitment(ctx, project, pathId(ctx, 'id'));
  if (isLocked(c)) throw invalid('base', `A commitment that is ${c.status} cannot be deleted`);
  c.deleted_at = ctx.state.stamp();
  c.updated_at = c.deleted_at;
  return { status: 200 };
}

function syncContracts(ctx: RequestContext): Reply {
  const project = projectFromBody(ctx);
  return runSync<Commitment>(ctx, bodyObject(ctx).updates, {
    findById: (id) => ctx.state.commitments(project.id).find((c) => c.id === id),
    findByOriginId: (originId) => ctx.state.commitments(project.id).find((c) => c.origin_id === originId),
    create: (item) => createContract(ctx, project, item),
    update: (c, item) => updateContract(ctx, project, c, item),
    serialize: (c) => commitmentJson(ctx.state, c, true),
  });
}

// ---- schedule of values ------------------------------------------------------------------------------

function readLine(
  ctx: RequestContext,
  project: Project,
  c: Commitment,
  data: Record<string, unknown>,
  existing: CommitmentLineItem | undefined,
): Partial<CommitmentLineItem> {
  const r = new FieldReader(data);
  if (isLocked(c)) throw lockedError(c);
  const patch: Partial<CommitmentLineItem> = {};
  const description = r.string('description');
  if (description !== undefined) patch.description = description;
  const originId = r.string('origin_id');
  if (originId !== undefined) patch.origin_id = originId === '' ? null : originId;
  const originData = r.string('origin_data');
  if (originData !== undefined) patch.origin_data = originData;
  const uom = r.string('uom');
  checkUom(ctx, r, uom);
  if (uom !== undefined) patch.uom = uom;
  const taxCode = r.integer('tax_code_id');
  if (taxCode !== undefined) patch.tax_code_id = taxCode;
  r.oneOf('extended_type', ['manual', 'calculated'] as const);
  const sendsCode = r.has('wbs_code_id') || r.has('cost_code_id') || r.has('line_item_type_id');
  if (!existing || sendsCode) {
    const code = resolveBudgetCode(ctx, project, r, { legacyPair: true });
    if (code) patch.wbs_code_id = code.id;
  }
  const unitBased = c.accounting_method === 'unit';
  if (unitBased && !(uom ?? existing?.uom)) r.add('uom', "can't be blank");
  const money = lineMoney(
    r,
    { amount: r.decimal('amount'), quantity: r.decimal('quantity'), unit_cost: r.decimal('unit_cost') },
    existing,
    unitBased,
  );
  if (money) Object.assign(patch, money);
  checkOriginFree(r, ctx.state.db.commitmentLineItems.values(), patch.origin_id, existing?.id);
  r.throwIfInvalid();
  return patch;
}

function createLine(
  ctx: RequestContext,
  project: Project,
  c: Commitment,
  data: Record<string, unknown>,
): CommitmentLineItem {
  const patch = readLine(ctx, project, c, data, undefined);
  const line = ctx.state.addCommitmentLine(c, {
    ...patch,
    amount: patch.amount ?? '0.00',
    wbs_code_id: patch.wbs_code_id ?? 0,
  });
  touch(ctx, c);
  return line;
}

function updateLine(
  ctx: RequestContext,
  project: Project,
  c: Commitment,
  line: CommitmentLineItem,
  data: Record<string, unknown>,
): CommitmentLineItem {
  const patch = readLine(ctx, project, c, data, line);
  Object.assign(line, patch, { updated_at: ctx.state.stamp() });
  touch(ctx, c);
  return line;
}

function touch(ctx: RequestContext, c: Commitment): void {
  c.updated_at = ctx.state.stamp();
}

function findLine(ctx: RequestContext, c: Commitment): CommitmentLineItem {
  const line = ctx.state.db.commitmentLineItems.get(pathId(ctx, 'id', 'Line item'));
  if (!line || line.commitment_id !== c.id) throw notFound('Line item');
  return line;
}

function contractOfPath(ctx: RequestContext, project: Project): Commitment {
  return findCommitment(ctx, project, pathId(ctx, 'purchase_order_contract_id', 'Commitment'));
}

function listLines(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const c = contractOfPath(ctx, project);
  const filters = new Filters(ctx.query);
  const lines = commonFilters(ctx.state.commitmentLineItems(c.id), filters, undefined);
  return paginate(ctx, lines, (l) => commitmentLineJson(ctx.state, l));
}

function showLine(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  return { status: 200, body: commitmentLineJson(ctx.state, findLine(ctx, contractOfPath(ctx, project))) };
}

function postLine(ctx: RequestContext): Reply {
  const project = projectFromBody(ctx);
  const c = contractOfPath(ctx, project);
  return { status: 201, body: commitmentLineJson(ctx.state, createLine(ctx, project, c, wrapped(ctx, 'line_item'))) };
}

function patchLine(ctx: RequestContext): Reply {
  const project = projectFromBodyOrQuery(ctx);
  const c = contractOfPath(ctx, project);
  const line = updateLine(ctx, project, c, findLine(ctx, c), wrapped(ctx, 'line_item'));
  return { status: 200, body: commitmentLineJson(ctx.state, line) };
}

function deleteLine(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const c = contractOfPath(ctx, project);
  const line = findLine(ctx, c);
  if (isLocked(c)) throw lockedError(c);
  ctx.state.db.commitmentLineItems.delete(line.id);
  ctx.state.commitmentLineItems(c.id).forEach((l, i) => {
    l.position = i + 1;
  });
  touch(ctx, c);
  return { status: 200 };
}

function syncLines(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const c = contractOfPath(ctx, project);
  return runSync<CommitmentLineItem>(ctx, bodyObject(ctx).updates, {
    findById: (id) => ctx.state.commitmentLineItems(c.id).find((l) => l.id === id),
    findByOriginId: (originId) => ctx.state.commitmentLineItems(c.id).find((l) => l.origin_id === originId),
    create: (item) => createLine(ctx, project, c, item),
    update: (line, item) => updateLine(ctx, project, c, line, item),
    serialize: (l) => commitmentLineJson(ctx.state, l),
  });
}

// ---- generic commitments view ------------------------------------------------------------------------

function genericJson(state: ProcoreState, c: Commitment): Json {
  const vendor = c.vendor_id === null ? undefined : state.db.vendors.get(c.vendor_id);
  return {
    id: c.id,
    title: c.title,
    number: c.number,
    status: c.status,
    description: c.description,
    executed: c.executed,
    delivery_date: c.delivery_date,
    private: c.private,
    vendor: vendor ? { id: vendor.id, name: vendor.name } : null,
    created_at: c.created_at,
  };
}

function listCommitments(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  return paginate(ctx, ctx.state.commitments(project.id), (c) => genericJson(ctx.state, c));
}

function showCommitment(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  return { status: 200, body: genericJson(ctx.state, findCommitment(ctx, project, pathId(ctx, 'id'))) };
}

const PO = '/rest/v1.0/purchase_order_contracts';
const PO_LINES = `${PO}/{purchase_order_contract_id}/line_items`;

/** Purchase order contracts, their schedule of values, and the generic commitments view. */
export const commitmentRoutes: Route[] = [
  { method: 'GET', template: PO, handler: listContracts },
  { method: 'POST', template: PO, handler: postContract },
  {
    method: 'PATCH',
    template: `${PO}/sync`,
    handler: syncContracts,
  },
  { method: 'GET', template: `${PO}/{id}`, handler: showContract },
  {
    method: 'PATCH',
    template: `${PO}/{id}`,
    handler: patchContract,
  },
  { method: 'DELETE', template: `${PO}/{id}`, handler: deleteContract },
  { method: 'GET', template: PO_LINES, handler: listLines },
  {
    method: 'POST',
    template: PO_LINES,
    handler: postLine,
  },
  {
    method: 'PATCH',
    template: `${PO_LINES}/sync`,
    handler: syncLines,
  },
  { method: 'GET', template: `${PO_LINES}/{id}`, handler: showLine },
  {
    method: 'PATCH',
    template: `${PO_LINES}/{id}`,
    handler: patchLine,
  },
  { method: 'DELETE', template: `${PO_LINES}/{id}`, handler: deleteLine },
  { method: 'GET', template: '/rest/v1.0/commitments', handler: listCommitments },
  { method: 'GET', template: '/rest/v1.0/commitments/{id}', handler: showCommitment },
];
