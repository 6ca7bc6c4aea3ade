import type { InvoiceAdjustment, PurchaseOrder, Supplier, SupplierInvoice } from '../workday/data';
import { RecordTable, type SnapshotEntry, type Stored, type Version, WorkdayStore } from '../workday/store';

/**
 * A Workday store for the enterprise scale that never holds the generated records.
 *
 * How memory stays flat: the generated records live nowhere; record `i` is rebuilt from the seed each
 * time something reads it. `snapshot()` returns a read-only array view (a Proxy) whose length is the
 * record count and whose element `i` is a small shell around a record that builds itself on first
 * read and is dropped with the shell. Fields the generator computes cheaply (WID, IDs, dates, entry
 * moment) are answered without building the record. What the Workday operation
 * (`sandbox/workday/operation.ts`) does with a snapshot then costs:
 * - no criteria: `slice(start, start + count)` reads one page of shells: O(page size);
 * - criteria: `filter(predicate)` is intercepted and keeps only the matching positions (one number per
 *   match, no record): O(N) small integers; the updated-window and date criteria read only cheap
 *   fields, so no record is built for them;
 * - `map` (the supplier-exists check) is intercepted and stays lazy: O(1);
 * - request references iterate every shell into a lookup map of shells (no records): O(N) small objects.
 * Writes (the scenario's renames, changed POs, new invoices: ~1% of the records) go to the ordinary
 * versioned table this class extends and are laid over the generated records.
 */

/** The generated records a lazy table serves: count, by-index builder, entry moments, WID lookup. */
export interface LazyBase<T> {
  count: number;
  generate(index: number): T;
  enteredAt(index: number): number;
  indexOf(wid: string): number | undefined;
  /** Fields of record `index` that are cheap to compute (dates, ids): criteria read these without building it. */
  peek?(index: number): Partial<T>;
  /** No generated record was entered after this moment (lets snapshots skip per-record visibility checks). */
  latestEnteredAt: number;
}

/** How many records a table has built (a test's proof that a page did not build the rest). */
export interface LazyStats {
  generated: number;
}

/** A read-only array view of `length` elements built on demand by `at`. */
export function lazyArray<E>(length: number, at: (position: number) => E): E[] {
  const indexOf = (key: string | symbol): number | undefined =>
    typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : undefined;
  const target: E[] = [];
  return new Proxy(target, {
    get(t, key, receiver) {
      if (key === 'length') return length;
      const position = indexOf(key);
      if (position !== undefined) return position < length ? at(position) : undefined;
      if (key === 'filter') {
        return (predicate: (value: E, index: number, array: E[]) => unknown) => {
          const kept: number[] = [];
          for (let p = 0; p < length; p++) if (predicate(at(p), p, receiver)) kept.push(p);
          return lazyArray(kept.length, (q) => at(kept[q] ?? -1));
        };
      }
      if (key === 'map') {
        return <U>(fn: (value: E, index: number, array: E[]) => U) => lazyArray(length, (p) => fn(at(p), p, receiver));
      }
      if (key === Symbol.iterator) {
        return function* iterate() {
          for (let p = 0; p < length; p++) yield at(p);
        };
      }
      return Reflect.get(t, key, receiver);
    },
    has(t, key) {
      const position = indexOf(key);
      if (position !== undefined) return position < length;
      return Reflect.has(t, key);
    },
    ownKeys: () => [...Array.from({ length }, (_, p) => String(p)), 'length'],
    getOwnPropertyDescriptor(t, key) {
      if (key === 'length') return { value: length, writable: true, enumerable: false, configurable: false };
      const position = indexOf(key);
      if (position === undefined || position >= length) return Reflect.getOwnPropertyDescriptor(t, key);
      return { value: at(position), writable: false, enumerable: true, configurable: true };
    },
  });
}

/** The snapshot entry of a history at `moment`, as `RecordTable` computes it. */
function visibleIn<T>(history: readonly Version<T>[], moment: number): SnapshotEntry<T> | undefined {
  const seen = history.filter((v) => v.enteredAt <= moment);
  const latest = seen.at(-1);
  if (!latest?.record) return undefined;
  const lastDeletion = seen.findLastIndex((v) => v.record === undefined);
  return {
    record: { ...structuredClone(latest.record), enteredAt: latest.enteredAt },
    entries: seen.slice(lastDeletion + 1).map((v) => v.enteredAt),
  };
}

/** A versioned table whose records are generated on demand, with ordinary versions laid over them. */
export class LazyRecordTable<T extends { wid: string }> extends RecordTable<T> {
  private base: LazyBase<T> | undefined;
  /** Generated records that have versions in the overlay: index → WID. */
  private readonly overlaid = new Map<number, string>();
  readonly stats: LazyStats = { generated: 0 };

  /** Serves `base`'s records from now on. */
  attach(base: LazyBase<T>): void {
    this.base = base;
  }

  private baseIndex(wid: string): number | undefined {
    return this.base?.indexOf(wid);
  }

  private build(index: number): T {
    if (!this.base) throw new Error('no generated records attached');
    this.stats.generated += 1;
    return this.base.generate(index);
  }

  /** Copies a generated record into the overlay before its first change, so history keeps it. */
  private promote(wid: string): void {
    const index = this.baseIndex(wid);
    if (index === undefined || this.overlaid.has(index) || !this.base) return;
    this.overlaid.set(index, wid);
    super.put(this.build(index), this.base.enteredAt(index));
  }

  override put(record: T, enteredAt?: number): Stored<T> {
    this.promote(record.wid);
    return enteredAt === undefined ? super.put(record) : super.put(record, enteredAt);
  }

  override update(wid: string, change: Partial<T> | ((current: T) => T), enteredAt?: number): Stored<T> {
    this.promote(wid);
    return enteredAt === undefined ? super.update(wid, change) : super.update(wid, change, enteredAt);
  }

  override delete(wid: string, enteredAt?: number): void {
    this.promote(wid);
    if (enteredAt === undefined) super.delete(wid);
    else super.delete(wid, enteredAt);
  }

  override get(wid: string): Stored<T> | undefined {
    const index = this.baseIndex(wid);
    if (index === undefined || this.overlaid.has(index) || !this.base) return super.get(wid);
    return { ...this.build(index), enteredAt: this.base.enteredAt(index) };
  }

  override all(): Stored<T>[] {
    return this.snapshot(Number.POSITIVE_INFINITY).map((e) => e.record);
  }

  override history(wid: string): readonly Version<T>[] {
    const index = this.baseIndex(wid);
    if (index === undefined || this.overlaid.has(index) || !this.base) return super.history(wid);
    return [{ enteredAt: this.base.enteredAt(index), record: this.build(index) }];
  }

  override snapshot(moment: number): SnapshotEntry<T>[] {
    const base = this.base;
    const overlay = super.snapshot(moment);
    if (!base) return overlay;
    const overlaidEntries = new Map<number, SnapshotEntry<T> | undefined>();
    for (const [index, wid] of this.overlaid) overlaidEntries.set(index, visibleIn(super.history(wid), moment));
    const extra = overlay.filter((e) => {
      const index = base.indexOf(e.record.wid);
      return index === undefined || !this.overlaid.has(index);
    });
    const positions = this.visibleBase(base, moment, overlaidEntries);
    const baseLength = positions ? positions.length : base.count;
    const shell = (index: number): SnapshotEntry<T> => ({
      record: this.lazyRecord(base, index),
      get entries() {
        return [base.enteredAt(index)];
      },
    });
    return lazyArray(baseLength + extra.length, (p) => {
      if (p >= baseLength) {
        const added = extra[p - baseLength];
        if (!added) throw new RangeError(`no snapshot entry ${p}`);
        return added;
      }
      const index = positions ? (positions[p] ?? 0) : p;
      return overlaidEntries.get(index) ?? shell(index);
    });
  }

  /** Record `index` that builds itself on the first read of a field `peek` does not answer. */
  private lazyRecord(base: LazyBase<T>, index: number): Stored<T> {
    let full: Stored<T> | undefined;
    let peeked: Partial<T> | undefined;
    const build = (): Stored<T> => {
      full ??= { ...this.build(index), enteredAt: base.enteredAt(index) };
      return full;
    };
    const cheap = (key: string | symbol): { value: unknown } | undefined => {
      if (full || typeof key !== 'string') return undefined;
      if (key === 'enteredAt') return { value: base.enteredAt(index) };
      peeked ??= base.peek?.(index) ?? {};
      return key in peeked ? { value: Reflect.get(peeked, key) } : undefined;
    };
    return new Proxy({} as Stored<T>, {
      get: (_, key) => {
        const hit = cheap(key);
        return hit ? hit.value : Reflect.get(build(), key);
      },
      has: (_, key) => key in build(),
      ownKeys: () => Reflect.ownKeys(build()),
      getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(build(), key),
    });
  }

  /** Generated indexes visible at `moment`, or undefined when all are (the common case: no list is built). */
  private visibleBase(
    base: LazyBase<T>,
    moment: number,
    overlaid: Map<number, SnapshotEntry<T> | undefined>,
  ): Int32Array | undefined {
    const hidden = [...overlaid].some(([, entry]) => entry === undefined);
    if (moment >= base.latestEnteredAt && !hidden) return undefined;
    const visible: number[] = [];
    for (let i = 0; i < base.count; i++) {
      if (overlaid.has(i) ? overlaid.get(i) !== undefined : base.enteredAt(i) <= moment) visible.push(i);
    }
    return Int32Array.from(visible);
  }

  override clear(): void {
    this.base = undefined;
    this.overlaid.clear();
    super.clear();
  }

  override get size(): number {
    return this.snapshot(Number.POSITIVE_INFINITY).length;
  }
}

/** The generated records of each kind a lazy store serves. */
export interface LazySources {
  suppliers: LazyBase<Supplier>;
  purchaseOrders: LazyBase<PurchaseOrder>;
  invoices: LazyBase<SupplierInvoice>;
  adjustments: LazyBase<InvoiceAdjustment>;
}

/** A `WorkdayStore` whose tables generate their records on demand (see the module comment). */
export class LazyWorkdayStore extends WorkdayStore {
  declare readonly suppliers: LazyRecordTable<Supplier>;
  declare readonly purchaseOrders: LazyRecordTable<PurchaseOrder>;
  declare readonly invoices: LazyRecordTable<SupplierInvoice>;
  declare readonly adjustments: LazyRecordTable<InvoiceAdjustment>;

  constructor(now: () => number = Date.now) {
    super(now);
    const clock = () => this.now();
    this.suppliers = new LazyRecordTable<Supplier>(clock);
    this.purchaseOrders = new LazyRecordTable<PurchaseOrder>(clock);
    this.invoices = new LazyRecordTable<SupplierInvoice>(clock);
    this.adjustments = new LazyRecordTable<InvoiceAdjustment>(clock);
  }

  /** Serves these generated records. */
  attach(sources: LazySources): void {
    this.suppliers.attach(sources.suppliers);
    this.purchaseOrders.attach(sources.purchaseOrders);
    this.invoices.attach(sources.invoices);
    this.adjustments.attach(sources.adjustments);
  }

  /** Records built so far, per table (a test's proof that a page did not build the rest). */
  generatedCounts(): Record<'suppliers' | 'purchaseOrders' | 'invoices' | 'adjustments', number> {
    return {
      suppliers: this.suppliers.stats.generated,
      purchaseOrders: this.purchaseOrders.stats.generated,
      invoices: this.invoices.stats.generated,
      adjustments: this.adjustments.stats.generated,
    };
  }
}
