import type { GoodsLine, InvoiceLine, PurchaseOrder, ServiceLine, SupplierInvoice } from '../workday/data';
import { portion, pricedQuantity, randomShare, splitInTwo, total } from './amounts';
import { type CostCodeEntry, LINE_COST_CODES, SPEND_CATEGORIES } from './catalog';
import { type InvoiceKind, invoicePlan, isPoBacked } from './invoice-plan';
import { addDays, type FirmLayout, type ProjectPlan } from './layout';
import { lineWorktags, pickTwo, purchaseOrderAt } from './purchase-orders';
import { cachedRef } from './refs';
import { indexedWid, money, pad, Rand, STREAM, seedFor } from './rng';
import { documentSupplier, supplierLinkAt } from './suppliers';

/** A supplier invoice line not tied to a PO, in `project` (or split across `projects`). */
export function directLine(
  layout: FirmLayout,
  rand: Rand,
  lineId: string,
  lineOrder: number,
  projects: readonly ProjectPlan[],
  options: { split?: boolean; withCostCode?: boolean } = {},
): InvoiceLine {
  const [project, second] = projects;
  if (!project) throw new Error('an invoice line needs a project');
  const goods = rand.chance(0.5);
  const entry: CostCodeEntry = rand.pick(
    LINE_COST_CODES.filter((c) => (goods ? c.goods.length : c.services.length) > 0),
  );
  const category = rand.pick(SPEND_CATEGORIES.filter((c) => c.goods === goods));
  const priced = goods ? pricedQuantity(rand) : undefined;
  const amount = priced?.extendedAmount ?? money(rand, 150, 24_000);
  const split = options.split === true && second !== undefined;
  const worktags = split
    ? []
    : lineWorktags(layout, project, entry, rand, { withCostCode: options.withCostCode !== false });
  const line: InvoiceLine = {
    lineId,
    lineOrder: String(lineOrder),
    itemDescription: goods ? rand.pick(entry.goods)[0] : rand.pick(entry.services),
    spendCategory: cachedRef('Spend_Category_ID', category.id, category.descriptor),
    ...(priced ? { quantity: priced.quantity, unitCost: priced.unitCost } : {}),
    extendedAmount: amount,
    worktags,
    splits: [],
  };
  if (split) {
    const [a, b] = splitInTwo(amount, randomShare(rand));
    line.splits = [
      {
        wid: rand.wid(),
        splitId: `${lineId}-S1`,
        extendedAmount: a,
        worktags: lineWorktags(layout, project, entry, rand),
      },
      {
        wid: rand.wid(),
        splitId: `${lineId}-S2`,
        extendedAmount: b,
        worktags: lineWorktags(layout, second, entry, rand),
      },
    ];
  }
  return line;
}

/** The invoice line billing one PO line: goods in full, services in full or in part. */
export function billingLine(
  po: PurchaseOrder,
  line: GoodsLine | ServiceLine,
  lineId: string,
  order: number,
  rand: Rand,
): InvoiceLine {
  const goods = 'itemDescription' in line;
  const partial = !goods && rand.chance(0.5);
  const amount = partial ? portion(line.extendedAmount, randomShare(rand)) : line.extendedAmount;
  const billed: InvoiceLine = {
    lineId,
    lineOrder: String(order),
    itemDescription: goods ? line.itemDescription : line.description,
    purchaseOrderLine: {
      wid: line.wid,
      lineId: line.lineId,
      purchaseOrderWid: po.wid,
      documentNumber: po.documentNumber,
      lineNumber: line.lineNumber,
    },
    ...(line.spendCategory ? { spendCategory: line.spendCategory } : {}),
    ...(goods ? { quantity: line.quantity, unitCost: line.unitCost } : {}),
    extendedAmount: amount,
    worktags: line.worktags,
    splits: [],
  };
  return billed;
}

function usdProjects(layout: FirmLayout): ProjectPlan[] {
  return layout.projects.filter((p) => p.currency === 'USD');
}

function directLines(layout: FirmLayout, kind: InvoiceKind, rand: Rand, n: number): InvoiceLine[] {
  const usd = usdProjects(layout);
  const id = (k: number) => `SIL-${n}-${k}`;
  switch (kind) {
    case 'unmappedCostCenter': {
      const line = directLine(layout, rand, id(1), 1, usd);
      const costCode = line.worktags.filter((w) => w.type === 'Custom_Worktag_1_ID');
      return [{ ...line, worktags: [layout.unmappedCostCenter, ...costCode] }];
    }
    case 'directSplit':
      return [directLine(layout, rand, id(1), 1, pickTwo(rand, usd), { split: true })];
    case 'directMultiProject': {
      const [a, second] = pickTwo(rand, usd);
      if (!a) return [];
      const b = second ?? a;
      return [directLine(layout, rand, id(1), 1, [a]), directLine(layout, rand, id(2), 2, [b])];
    }
    default: {
      const pool =
        kind === 'costCenterDirect' && layout.costCenterProjects.length > 0 ? layout.costCenterProjects : usd;
      const project = rand.pick(pool);
      const count = rand.int(1, 3);
      return Array.from({ length: count }, (_, k) =>
        directLine(layout, rand, id(k + 1), k + 1, [project], {
          withCostCode: !(kind === 'directDefaultCostCode' && k === 0),
        }),
      );
    }
  }
}

function billedLines(layout: FirmLayout, pos: readonly PurchaseOrder[], kind: InvoiceKind, rand: Rand, n: number) {
  const lines: InvoiceLine[] = [];
  for (const po of pos) {
    const poLines = [...po.goodsLines, ...po.serviceLines];
    const keep = poLines.filter((_, k) => k === 0 || rand.chance(0.7));
    for (const line of keep) lines.push(billingLine(po, line, `SIL-${n}-${lines.length + 1}`, lines.length + 1, rand));
  }
  if (kind === 'poMixed') {
    const k = lines.length + 1;
    lines.push(directLine(layout, rand, `SIL-${n}-${k}`, k, [rand.pick(usdProjects(layout))]));
  }
  return lines;
}

/** Supplier invoice `index` as Workday holds it. */
export function invoiceAt(layout: FirmLayout, index: number): SupplierInvoice {
  const plan = invoicePlan(layout);
  const rand = Rand.of(layout.seed, STREAM.invoice, index);
  const wid = indexedWid(layout.seed, STREAM.invoice, index, rand);
  const kind = plan.kind(index);
  const n = index + 1;
  const pos = plan.purchaseOrders(index).map((p) => purchaseOrderAt(layout, p));
  const [firstPo] = pos;
  const lines = isPoBacked(kind) ? billedLines(layout, pos, kind, rand, n) : directLines(layout, kind, rand, n);
  const charges = kind === 'directCharges' || kind === 'poCharges';
  const lineTotal = total(lines.map((l) => l.extendedAmount));
  const taxAmount = charges ? portion(lineTotal, '0.0775') : '0.00';
  const freightAmount = charges ? money(rand, 40, 950) : undefined;
  const otherCharges = charges && rand.chance(0.3) ? money(rand, 15, 250) : undefined;
  const date = plan.date(index);
  const supplier =
    firstPo?.supplier ??
    supplierLinkAt(layout, documentSupplier(layout, seedFor(layout.seed, STREAM.invoiceSupplier, index)));
  return {
    wid,
    supplierInvoiceId: `SUPPLIER_INVOICE-6-${n}`,
    invoiceNumber: `SI-${pad(n, 7)}`,
    ...(rand.chance(0.9)
      ? { suppliersInvoiceNumber: `${rand.pick(['INV', 'A', 'B', ''])}${rand.int(1000, 99_999)}` }
      : {}),
    status: kind === 'draft' ? { id: 'DRAFT', descriptor: 'Draft' } : { id: 'APPROVED', descriptor: 'Approved' },
    paymentStatus: { id: 'UNPAID', descriptor: 'Unpaid' },
    company: layout.company,
    currency: 'USD',
    supplier,
    invoiceDate: date,
    dueDate: addDays(date, 30),
    controlAmountTotal: total([
      lineTotal,
      taxAmount,
      ...(freightAmount ? [freightAmount] : []),
      ...(otherCharges ? [otherCharges] : []),
    ]),
    taxAmount,
    ...(freightAmount ? { freightAmount } : {}),
    ...(otherCharges ? { otherCharges } : {}),
    paymentTerms: cachedRef('Payment_Terms_ID', 'NET_30', 'Net 30'),
    onHold: false,
    // A contingent worker's own invoice: Workday names the worker instead of a supplier.
    ...(kind === 'contingentWorker'
      ? { contingentWorker: cachedRef('Contingent_Worker_ID', `CW-${pad(n, 5)}`, 'Dana Reyes (contractor)') }
      : {}),
    ...(firstPo ? { memo: `Billing against ${pos.map((p) => p.documentNumber).join(', ')}` } : {}),
    lines,
  };
}
