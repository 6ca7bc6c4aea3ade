import { add, multiply, toAmount, toBig } from '../../lambdas/shared/money';
import type { PurchaseOrder, ServiceLine, SupplierInvoice } from '../workday/data';
import type { WorkdayStore } from '../workday/store';
import { total } from './amounts';
import type { FirmData } from './data';
import { invoicePlan } from './invoice-plan';
import { billingLine, directLine } from './invoices';
import { addDays, type FirmLayout } from './layout';
import { poPlan } from './purchase-orders';
import { money, pad, Rand, STREAM } from './rng';
import { documentSupplier, supplierKind, supplierLinkAt, supplierNameParts } from './suppliers';

/** One change the scenario made in Workday, named by its record key. */
export interface ScenarioChange {
  kind: 'supplierRenamed' | 'purchaseOrderChanged' | 'purchaseOrderLineAdded' | 'invoiceAdded';
  key: string;
  description: string;
}

/** What the scenario works on: the firm's records, the Workday store, and where to keep earlier PO versions. */
export interface ScenarioContext {
  layout: FirmLayout;
  data: FirmData;
  store: WorkdayStore;
  /** Each PO the scenario changed, as each earlier sync saw it (oldest first): what the oracle diffs. */
  earlierVersions: Map<string, PurchaseOrder[]>;
}

function onePercent(count: number, share = 0.01): number {
  return Math.max(1, Math.round(count * share));
}

function renameSuppliers(ctx: ScenarioContext, rand: Rand, now: number): ScenarioChange[] {
  const { layout, data } = ctx;
  const changes: ScenarioChange[] = [];
  const wanted = onePercent(layout.spec.suppliers);
  for (let step = 0; changes.length < wanted && step < layout.spec.suppliers * 4; step++) {
    const index = rand.int(0, layout.spec.suppliers - 1);
    if (supplierKind(layout, index) !== 'regular' || data.suppliers.isReplaced(index)) continue;
    const { body, suffix } = supplierNameParts(layout, index);
    const supplier = { ...data.suppliers.at(index).record, name: `${body} Holdings ${suffix}` };
    data.suppliers.replace(index, supplier, now);
    ctx.store.suppliers.put(supplier, now);
    changes.push({
      kind: 'supplierRenamed',
      key: `supplier:${supplier.wid}`,
      description: `renamed to ${supplier.name}`,
    });
  }
  return changes;
}

function changeAmount(po: PurchaseOrder, rand: Rand): { po: PurchaseOrder; what: string } {
  const next = structuredClone(po);
  const service = next.serviceLines[0];
  if (service) {
    service.extendedAmount = toAmount(add(service.extendedAmount, money(rand, 250, 9000)));
    return { po: next, what: `service line ${service.lineNumber} now ${service.extendedAmount}` };
  }
  const goods = next.goodsLines[0];
  if (!goods) return { po: next, what: 'no lines' };
  // Doubling the quantity keeps quantity × unit cost in whole cents.
  goods.quantity = toBig(multiply(goods.quantity, '2')).toFixed(3);
  goods.extendedAmount = toAmount(multiply(goods.quantity, goods.unitCost));
  return { po: next, what: `goods line ${goods.lineNumber} now ${goods.quantity} × ${goods.unitCost}` };
}

function addLine(po: PurchaseOrder, rand: Rand): { po: PurchaseOrder; what: string } {
  const next = structuredClone(po);
  const lines = [...next.goodsLines, ...next.serviceLines];
  const model = lines[0];
  if (!model) return { po: next, what: 'no lines' };
  const lineNumber = Math.max(...lines.map((l) => l.lineNumber)) + 1;
  const index = po.purchaseOrderId.split('-').at(-1) ?? '0';
  const line: ServiceLine = {
    wid: rand.wid(),
    lineId: `SOL-${index}-${lineNumber}`,
    lineNumber,
    description: 'Added scope: after-hours work',
    ...(model.spendCategory ? { spendCategory: model.spendCategory } : {}),
    extendedAmount: money(rand, 400, 12_000),
    startDate: po.documentDate,
    endDate: addDays(po.documentDate, 60),
    // Same worktags and spend category as an existing line: the budget code exists in the project.
    worktags: model.worktags,
    splits: [],
  };
  next.serviceLines.push(line);
  return { po: next, what: `line ${lineNumber} added for ${line.extendedAmount}` };
}

/** Puts a changed PO in Workday, keeping the version the last sync saw for the oracle. */
function replacePurchaseOrder(ctx: ScenarioContext, index: number, po: PurchaseOrder, now: number): void {
  const before = ctx.data.purchaseOrders.at(index).record;
  ctx.earlierVersions.set(before.wid, [...(ctx.earlierVersions.get(before.wid) ?? []), before]);
  ctx.data.purchaseOrders.replace(index, po, now);
  ctx.store.purchaseOrders.put(po, now);
}

/** The line `addLine` gave a PO, with a new amount: a change to a line its approved contract never had. */
function changeAddedLine(po: PurchaseOrder, rand: Rand): { po: PurchaseOrder; what: string } {
  const next = structuredClone(po);
  const added = next.serviceLines.at(-1);
  if (!added) return { po: next, what: 'no lines' };
  added.extendedAmount = toAmount(add(added.extendedAmount, money(rand, 100, 2500)));
  return { po: next, what: `added line ${added.lineNumber} now ${added.extendedAmount}` };
}

function billedPurchaseOrders(layout: FirmLayout): Set<number> {
  const plan = invoicePlan(layout);
  const billed = new Set<number>();
  for (let i = 0; i < plan.count; i++) for (const p of plan.purchaseOrders(i)) billed.add(p);
  return billed;
}

function changePurchaseOrders(ctx: ScenarioContext, rand: Rand, now: number, reserved: number): ScenarioChange[] {
  const { layout, data } = ctx;
  const billable = [...poPlan(layout).billable].filter((i) => i !== reserved);
  const changes: ScenarioChange[] = [];
  const amounts = onePercent(layout.spec.purchaseOrders, 0.005);
  const additions = onePercent(layout.spec.purchaseOrders, 0.005);
  for (let n = 0; n < amounts + additions && billable.length > 0; n++) {
    const [index] = billable.splice(rand.int(0, billable.length - 1), 1);
    if (index === undefined) break;
    const original = data.purchaseOrders.at(index).record;
    const changed = n < amounts ? changeAmount(original, rand) : addLine(original, rand);
    replacePurchaseOrder(ctx, index, changed.po, now);
    changes.push({
      kind: n < amounts ? 'purchaseOrderChanged' : 'purchaseOrderLineAdded',
      key: `purchaseOrder:${original.wid}`,
      description: `${original.documentNumber}: ${changed.what}`,
    });
  }
  return changes;
}

function newInvoice(ctx: ScenarioContext, rand: Rand, k: number, billing: PurchaseOrder | undefined): SupplierInvoice {
  const { layout } = ctx;
  const n = `N${pad(k + 1, 4)}`;
  const usd = layout.projects.filter((p) => p.currency === 'USD');
  const lines = billing
    ? [...billing.goodsLines, ...billing.serviceLines].map((l, i) =>
        billingLine(billing, l, `SIL-${n}-${i + 1}`, i + 1, rand),
      )
    : [directLine(layout, rand, `SIL-${n}-1`, 1, [rand.pick(usd)])];
  const lineTotal = total(lines.map((l) => l.extendedAmount));
  return {
    wid: rand.wid(),
    supplierInvoiceId: `SUPPLIER_INVOICE-6-${n}`,
    invoiceNumber: `SI-${n}`,
    suppliersInvoiceNumber: `NEW-${rand.int(1000, 9999)}`,
    status: { id: 'APPROVED', descriptor: 'Approved' },
    paymentStatus: { id: 'UNPAID', descriptor: 'Unpaid' },
    company: layout.company,
    currency: 'USD',
    supplier: billing?.supplier ?? supplierLinkAt(layout, documentSupplier(layout, rand.int(0, 1_000_000))),
    // Yesterday (UTC): never a future date in a tenant west of UTC.
    invoiceDate: addDays(layout.today, -1),
    dueDate: addDays(layout.today, 29),
    controlAmountTotal: lineTotal,
    taxAmount: '0.00',
    onHold: false,
    lines,
  };
}

/** About 1% of the records change after the first sync; returns what changed (the firm's data follows). */
export function applyScenario(ctx: ScenarioContext): ScenarioChange[] {
  const { layout, data, store } = ctx;
  const rand = Rand.of(layout.seed, STREAM.scenario, 0);
  const now = store.now();
  const billed = billedPurchaseOrders(layout);
  const unbilled = [...poPlan(layout).billable].find((i) => !billed.has(i)) ?? -1;
  const changes = [...renameSuppliers(ctx, rand, now), ...changePurchaseOrders(ctx, rand, now, unbilled)];
  const invoices = onePercent(layout.spec.invoices);
  for (let k = 0; k < invoices; k++) {
    const billing = k === 0 && unbilled >= 0 ? data.purchaseOrders.at(unbilled).record : undefined;
    const invoice = newInvoice(ctx, rand, k, billing);
    data.invoices.add(invoice, now);
    store.invoices.put(invoice, now);
    const what = billing ? `billing ${billing.documentNumber}` : 'without a PO';
    changes.push({
      kind: 'invoiceAdded',
      key: `invoice:${invoice.wid}`,
      description: `${invoice.invoiceNumber} ${what}`,
    });
  }
  return changes;
}

/**
 * A second round of changes, for a sync after the one that followed `applyScenario`: the first PO whose amount it
 * changed changes that amount again and gains a line, and the line it added to another PO changes, so each of
 * those approved contracts gets a second change order holding only the new difference.
 */
export function applySecondChanges(ctx: ScenarioContext, first: readonly ScenarioChange[]): ScenarioChange[] {
  const rand = Rand.of(ctx.layout.seed, STREAM.scenario, 1);
  const now = ctx.store.now();
  const changes: ScenarioChange[] = [];
  for (const kind of ['purchaseOrderChanged', 'purchaseOrderLineAdded'] as const) {
    const wid = first.find((c) => c.kind === kind)?.key.split(':')[1];
    const index = wid === undefined ? undefined : ctx.data.purchaseOrders.indexOf(wid);
    if (index === undefined) continue;
    const po = ctx.data.purchaseOrders.at(index).record;
    let changed = kind === 'purchaseOrderChanged' ? changeAmount(po, rand) : changeAddedLine(po, rand);
    if (kind === 'purchaseOrderChanged') {
      const grown = addLine(changed.po, rand);
      changed = { po: grown.po, what: `${changed.what}, ${grown.what}` };
    }
    replacePurchaseOrder(ctx, index, changed.po, now);
    changes.push({
      kind: 'purchaseOrderChanged',
      key: `purchaseOrder:${po.wid}`,
      description: `${po.documentNumber}: ${changed.what}`,
    });
  }
  return changes;
}
