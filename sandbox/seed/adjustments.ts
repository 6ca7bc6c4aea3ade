import type { InvoiceAdjustment } from '../workday/data';
import { portion, total } from './amounts';
import { invoicePlan } from './invoice-plan';
import { invoiceAt } from './invoices';
import { addDays, type FirmLayout } from './layout';
import { cachedRef } from './refs';
import { indexedWid, pad, Rand, STREAM, seedFor } from './rng';

/** The invoice credit memo `index` adjusts: the first plain direct invoice at or after a drawn index. */
function adjustedInvoiceIndex(layout: FirmLayout, index: number): number {
  const plan = invoicePlan(layout);
  let candidate = seedFor(layout.seed, STREAM.adjustedInvoice, index) % plan.count;
  for (let step = 0; step < plan.count; step++) {
    if (plan.kind(candidate) === 'direct') return candidate;
    candidate = (candidate + 1) % plan.count;
  }
  throw new Error('no direct invoice to adjust');
}

/**
 * Credit memo 2 is still a draft and 3 was cancelled: their data carries no status, so only the request's
 * status criterion keeps them out of Procore.
 */
function adjustmentStatus(index: number): InvoiceAdjustment['status'] {
  if (index === 2) return { id: 'DRAFT', descriptor: 'Draft' };
  if (index === 3) return { id: 'CANCELED', descriptor: 'Canceled' };
  return { id: 'APPROVED', descriptor: 'Approved' };
}

/** Credit memo `index`: a partial credit of its invoice's first line, in positive amounts (the sign is Increase_Liability's). */
export function adjustmentAt(layout: FirmLayout, index: number): InvoiceAdjustment {
  const rand = Rand.of(layout.seed, STREAM.adjustment, index);
  const wid = indexedWid(layout.seed, STREAM.adjustment, index, rand);
  const invoice = invoiceAt(layout, adjustedInvoiceIndex(layout, index));
  const [line] = invoice.lines;
  if (!line) throw new Error(`invoice ${invoice.invoiceNumber} has no lines`);
  const amount = portion(line.extendedAmount, `0.${pad(rand.int(5, 30), 2)}`);
  const credited = amount === '0.00' ? '1.00' : amount;
  const n = index + 1;
  const later = addDays(invoice.invoiceDate, rand.int(1, 10));
  const date = later < layout.today ? later : addDays(layout.today, -1);
  return {
    wid,
    adjustmentId: `SUPPLIER_INVOICE_ADJUSTMENT-6-${n}`,
    invoiceNumber: `SIA-${pad(n, 6)}`,
    suppliersInvoiceNumber: `CM-${rand.int(100, 9999)}`,
    status: adjustmentStatus(index),
    paymentStatus: { id: 'UNPAID', descriptor: 'Unpaid' },
    company: invoice.company,
    currency: invoice.currency,
    supplier: invoice.supplier,
    adjustmentDate: date,
    dueDate: addDays(date, 30),
    controlTotalAmount: total([credited]),
    // One credit memo raises the liability (a supplier's debit memo): its amounts stay positive in Procore.
    increaseLiability: index === 1,
    adjustmentReason:
      index === 1
        ? cachedRef('Invoice_Adjustment_Reason', 'PRICE_CORRECTION', 'Price Correction')
        : cachedRef('Invoice_Adjustment_Reason', 'DAMAGED_GOODS', 'Damaged Goods'),
    originalInvoice: {
      wid: invoice.wid,
      supplierInvoiceId: invoice.supplierInvoiceId,
      descriptor: `Supplier Invoice: ${invoice.invoiceNumber}`,
    },
    onHold: false,
    memo: `Credit against ${invoice.invoiceNumber}`,
    lines: [
      {
        lineId: `SIAL-${n}-1`,
        lineOrder: '1',
        itemDescription: `Credit: ${line.itemDescription}`,
        ...(line.spendCategory ? { spendCategory: line.spendCategory } : {}),
        extendedAmount: credited,
        worktags: line.worktags,
        splits: [],
      },
    ],
  };
}
