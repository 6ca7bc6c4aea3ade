import type { InvoiceAdjustment, PurchaseOrder, Supplier, SupplierInvoice } from '../workday/data';
import { adjustmentAt } from './adjustments';
import { invoicePlan } from './invoice-plan';
import { invoiceAt } from './invoices';
import { enteredOn, type FirmLayout } from './layout';
import { poDate, poNumber, purchaseOrderAt } from './purchase-orders';
import { indexedWid, indexOfWid, Rand, STREAM } from './rng';
import { supplierAt, supplierEnteredAt, supplierLinkAt } from './suppliers';

/** One record of a kind with the moment its current version was entered. */
export interface RecordVersion<T> {
  index: number;
  record: T;
  enteredAt: number;
}

/** How a kind of record is generated: by index, with its entry moment, and found again from its WID. */
export interface RecordGenerator<T extends { wid: string }> {
  count: number;
  stream: number;
  generate(index: number): T;
  enteredAt(index: number): number;
  /** Cheap fields of record `index` (equal to the generated record's; getters are read only when asked). */
  peek?(index: number): Partial<T>;
}

/**
 * The firm's records of one kind: generated ones (by index, memoised unless the scale is lazy), the
 * scenario's replacements of some of them, and records the scenario added.
 */
export class GeneratedRecords<T extends { wid: string }> {
  private readonly memo: (T | undefined)[] | undefined;
  private readonly replaced = new Map<number, { record: T; enteredAt: number }>();
  private readonly added: { record: T; enteredAt: number }[] = [];
  private readonly addedByWid = new Map<string, number>();

  constructor(
    private readonly seed: number,
    readonly generator: RecordGenerator<T>,
    lazy: boolean,
  ) {
    this.memo = lazy ? undefined : [];
  }

  /** Generated records (before any scenario change). */
  get baseCount(): number {
    return this.generator.count;
  }

  /** Generated plus added records. */
  get count(): number {
    return this.generator.count + this.added.length;
  }

  /** The record as generated (scenario changes ignored); only for generated indexes. */
  generated(index: number): T {
    if (!this.memo) return this.generator.generate(index);
    let record = this.memo[index];
    if (!record) {
      record = this.generator.generate(index);
      this.memo[index] = record;
    }
    return record;
  }

  /** The current version of record `index`. */
  at(index: number): RecordVersion<T> {
    if (index >= this.generator.count) {
      const added = this.added[index - this.generator.count];
      if (!added) throw new RangeError(`no record ${index}`);
      return { index, ...added };
    }
    const replaced = this.replaced.get(index);
    if (replaced) return { index, ...replaced };
    return { index, record: this.generated(index), enteredAt: this.generator.enteredAt(index) };
  }

  /** The index of the record with this WID, if there is one. */
  indexOf(wid: string): number | undefined {
    const added = this.addedByWid.get(wid);
    if (added !== undefined) return added;
    const index = indexOfWid(this.seed, this.generator.stream, wid);
    if (index === undefined || index >= this.generator.count) return undefined;
    return this.generated(index).wid === wid ? index : undefined;
  }

  /** Whether the scenario replaced record `index`. */
  isReplaced(index: number): boolean {
    return this.replaced.has(index);
  }

  replace(index: number, record: T, enteredAt: number): void {
    if (index >= this.generator.count) {
      const at = index - this.generator.count;
      if (!this.added[at]) throw new RangeError(`no record ${index}`);
      this.added[at] = { record, enteredAt };
      return;
    }
    this.replaced.set(index, { record, enteredAt });
  }

  add(record: T, enteredAt: number): number {
    this.added.push({ record, enteredAt });
    const index = this.generator.count + this.added.length - 1;
    this.addedByWid.set(record.wid, index);
    return index;
  }

  /** Every current record, in index order. */
  *all(): IterableIterator<RecordVersion<T>> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }
}

/** All Workday records of the firm. */
export interface FirmData {
  suppliers: GeneratedRecords<Supplier>;
  purchaseOrders: GeneratedRecords<PurchaseOrder>;
  invoices: GeneratedRecords<SupplierInvoice>;
  adjustments: GeneratedRecords<InvoiceAdjustment>;
}

/** The WID a document generator gives record `index` (its first draws), without building the record. */
function documentWid(layout: FirmLayout, stream: number, index: number): string {
  return indexedWid(layout.seed, stream, index, Rand.of(layout.seed, stream, index));
}

/** The firm's Workday records for its layout (nothing is generated until asked for). */
export function createFirmData(layout: FirmLayout): FirmData {
  const { seed, spec } = layout;
  const plan = invoicePlan(layout);
  return {
    suppliers: new GeneratedRecords(
      seed,
      {
        count: spec.suppliers,
        stream: STREAM.supplier,
        generate: (i) => supplierAt(layout, i),
        enteredAt: (i) => supplierEnteredAt(layout, i),
        peek: (i) => supplierLinkAt(layout, i),
      },
      spec.lazy,
    ),
    purchaseOrders: new GeneratedRecords(
      seed,
      {
        count: spec.purchaseOrders,
        stream: STREAM.purchaseOrder,
        generate: (i) => purchaseOrderAt(layout, i),
        enteredAt: (i) => enteredOn(poDate(layout, i), 3),
        peek: (i) => ({
          get wid() {
            return documentWid(layout, STREAM.purchaseOrder, i);
          },
          documentNumber: poNumber(i),
          get documentDate() {
            return poDate(layout, i);
          },
        }),
      },
      spec.lazy,
    ),
    invoices: new GeneratedRecords(
      seed,
      {
        count: spec.invoices,
        stream: STREAM.invoice,
        generate: (i) => invoiceAt(layout, i),
        enteredAt: (i) => enteredOn(plan.date(i), 6),
        peek: (i) => ({
          get wid() {
            return documentWid(layout, STREAM.invoice, i);
          },
          get invoiceDate() {
            return plan.date(i);
          },
        }),
      },
      spec.lazy,
    ),
    adjustments: new GeneratedRecords(
      seed,
      {
        count: spec.adjustments,
        stream: STREAM.adjustment,
        generate: (i) => adjustmentAt(layout, i),
        enteredAt: (i) => enteredOn(adjustmentAt(layout, i).adjustmentDate, 6),
      },
      spec.lazy,
    ),
  };
}
