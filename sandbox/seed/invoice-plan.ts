import { addDays, type FirmLayout } from './layout';
import { poDate, poPlan } from './purchase-orders';
import { STREAM, unit } from './rng';

/** What a supplier invoice is there to exercise. */
export type InvoiceKind =
  | 'direct'
  | 'directSplit'
  | 'directMultiProject'
  | 'directCharges'
  | 'costCenterDirect'
  | 'directDefaultCostCode'
  | 'po'
  | 'poTwo'
  | 'poMixed'
  | 'poCharges'
  | 'draft'
  | 'preSyncFrom'
  | 'unmappedCostCenter'
  | 'contingentWorker';

const PO_BACKED: ReadonlySet<InvoiceKind> = new Set(['po', 'poTwo', 'poMixed', 'poCharges']);

/** Whether invoices of this kind bill PO lines. */
export function isPoBacked(kind: InvoiceKind): boolean {
  return PO_BACKED.has(kind);
}

const SLOTS: readonly InvoiceKind[] = [
  'direct',
  'directSplit',
  'directMultiProject',
  'directCharges',
  'po',
  'poTwo',
  'poMixed',
  'poCharges',
  'draft',
  'preSyncFrom',
  'unmappedCostCenter',
  'costCenterDirect',
  'directDefaultCostCode',
  'draft',
  'preSyncFrom',
  'contingentWorker',
];

/**
 * Which invoice bills which POs. PO-backed invoice number `j` (its ordinal) bills billable PO `2j`, and
 * for two-PO invoices also `2j + 1`: no PO is billed twice, since Procore takes one requisition per
 * commitment per billing period, and the odd one of a single-PO pair stays unbilled for the scenario.
 */
export interface InvoicePlan {
  count: number;
  kind(index: number): InvoiceKind;
  /** The ordinal of a PO-backed invoice, else -1. */
  ordinal(index: number): number;
  /** The PO indexes invoice `index` bills (empty unless PO-backed). */
  purchaseOrders(index: number): number[];
  /** The invoice date (cheap: what the lazy store orders and filters by). */
  date(index: number): string;
}

function drawDirect(r: number): InvoiceKind {
  if (r < 0.03) return 'draft';
  if (r < 0.035) return 'preSyncFrom';
  if (r < 0.09) return 'directSplit';
  if (r < 0.14) return 'directMultiProject';
  if (r < 0.22) return 'directCharges';
  if (r < 0.3) return 'costCenterDirect';
  if (r < 0.33) return 'directDefaultCostCode';
  return 'direct';
}

function drawPoBacked(r: number): InvoiceKind {
  if (r < 0.6) return 'po';
  if (r < 0.75) return 'poTwo';
  if (r < 0.9) return 'poMixed';
  return 'poCharges';
}

const planCache = new WeakMap<FirmLayout, InvoicePlan>();

/** The invoice plan of the firm (cached per layout). */
export function invoicePlan(layout: FirmLayout): InvoicePlan {
  const cached = planCache.get(layout);
  if (cached) return cached;
  const pos = poPlan(layout);
  const count = layout.spec.invoices;
  const maxOrdinal = Math.floor(pos.billable.length / 2);
  const slotOrdinals = SLOTS.filter(isPoBacked).length;
  const remaining = Math.max(0, maxOrdinal - slotOrdinals);
  const rest = count - SLOTS.length;
  const stride = remaining === 0 ? Number.POSITIVE_INFINITY : Math.max(6, Math.ceil(rest / remaining));

  const ordinal = (i: number): number => {
    if (i < SLOTS.length) {
      const slot = SLOTS[i];
      if (!slot || !isPoBacked(slot)) return -1;
      const n = SLOTS.slice(0, i).filter(isPoBacked).length;
      return n < maxOrdinal ? n : -1;
    }
    const offset = i - SLOTS.length;
    if (offset % stride !== 0) return -1;
    const n = slotOrdinals + offset / stride;
    return n < maxOrdinal ? n : -1;
  };
  const kind = (i: number): InvoiceKind => {
    const slot = SLOTS[i];
    if (slot && !isPoBacked(slot)) return slot;
    if (ordinal(i) >= 0) return slot ?? drawPoBacked(unit(layout.seed, STREAM.invoiceKind, i + 0x40000000));
    return slot ? 'direct' : drawDirect(unit(layout.seed, STREAM.invoiceKind, i));
  };
  const purchaseOrders = (i: number): number[] => {
    const j = ordinal(i);
    if (j < 0) return [];
    const first = pos.billable[2 * j];
    const second = pos.billable[2 * j + 1];
    if (first === undefined) return [];
    return kind(i) === 'poTwo' && second !== undefined ? [first, second] : [first];
  };
  const date = (i: number): string => {
    const k = kind(i);
    const jitter = Math.floor(unit(layout.seed, STREAM.invoiceKind, i + 0x20000000) * 11);
    if (k === 'preSyncFrom') return addDays(layout.syncFrom, -3 - jitter);
    const billed = purchaseOrders(i);
    if (billed.length > 0) {
      const latest =
        billed
          .map((p) => poDate(layout, p))
          .sort()
          .at(-1) ?? layout.today;
      const billedOn = addDays(latest, 2 + jitter);
      return billedOn < layout.today ? billedOn : addDays(layout.today, -1);
    }
    return addDays(layout.today, -100 + Math.floor((i * 98) / Math.max(1, count)));
  };
  const plan: InvoicePlan = { count, kind, ordinal, purchaseOrders, date };
  planCache.set(layout, plan);
  return plan;
}
