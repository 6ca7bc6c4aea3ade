import type { InvoiceAdjustment, PurchaseOrder, Supplier, SupplierInvoice } from './data';

/** A record as stored: the data of its visible version plus that version's entry moment (ms). */
export type Stored<T> = T & { readonly enteredAt: number };

/** One entry in a record's history; `record` undefined marks a deletion. */
export interface Version<T> {
  enteredAt: number;
  record: T | undefined;
}

/** What the snapshot at one entry moment holds for a record. */
export interface SnapshotEntry<T> {
  record: Stored<T>;
  /** Entry moments of every version visible at the snapshot moment, oldest first. */
  entries: number[];
}

/** Ways the next data response(s) can be made hostile, for the connector's parser tests. */
export type Corruption = 'entityBomb' | 'doctype' | 'truncate' | 'nonNumericAmount';

/** Versioned records of one kind, keyed by WID; every write is a new version stamped with its entry moment. */
export class RecordTable<T extends { wid: string }> {
  private readonly versions = new Map<string, Version<T>[]>();

  constructor(private readonly clock: () => number) {}

  /** Adds the record, or a new version of it; `enteredAt` defaults to now (pass a past moment to seed history). */
  put(record: T, enteredAt = this.clock()): Stored<T> {
    this.append(record.wid, { enteredAt, record: structuredClone(record) });
    return { ...structuredClone(record), enteredAt };
  }

  /** Writes a new version made from the current one; throws when the record does not exist. */
  update(wid: string, change: Partial<T> | ((current: T) => T), enteredAt = this.clock()): Stored<T> {
    const current = this.versions.get(wid)?.at(-1)?.record;
    if (!current) throw new Error(`no record with WID ${wid}`);
    const base = structuredClone(current);
    return this.put(typeof change === 'function' ? change(base) : { ...base, ...change, wid }, enteredAt);
  }

  /** Records a deletion: the record disappears from snapshots taken at or after `enteredAt`. */
  delete(wid: string, enteredAt = this.clock()): void {
    if (!this.versions.has(wid)) throw new Error(`no record with WID ${wid}`);
    this.append(wid, { enteredAt, record: undefined });
  }

  /** The current version, or undefined when absent or deleted. */
  get(wid: string): Stored<T> | undefined {
    return this.visible(wid, Number.POSITIVE_INFINITY)?.record;
  }

  /** Every current record, ordered by WID. */
  all(): Stored<T>[] {
    return this.snapshot(Number.POSITIVE_INFINITY).map((e) => e.record);
  }

  /** The full version history of one record, oldest first. */
  history(wid: string): readonly Version<T>[] {
    return this.versions.get(wid) ?? [];
  }

  /** Records as they were at `moment` (versions entered after it are invisible), ordered by WID. */
  snapshot(moment: number): SnapshotEntry<T>[] {
    const entries: SnapshotEntry<T>[] = [];
    for (const wid of [...this.versions.keys()].sort()) {
      const entry = this.visible(wid, moment);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  clear(): void {
    this.versions.clear();
  }

  get size(): number {
    return this.all().length;
  }

  private visible(wid: string, moment: number): SnapshotEntry<T> | undefined {
    const history = (this.versions.get(wid) ?? []).filter((v) => v.enteredAt <= moment);
    const latest = history.at(-1);
    if (!latest?.record) return undefined;
    // Entries before a deletion belong to an earlier life of the record and are not its change log.
    const lastDeletion = history.findLastIndex((v) => v.record === undefined);
    return {
      record: { ...structuredClone(latest.record), enteredAt: latest.enteredAt },
      entries: history.slice(lastDeletion + 1).map((v) => v.enteredAt),
    };
  }

  private append(wid: string, version: Version<T>): void {
    const history = this.versions.get(wid) ?? [];
    const at = history.findIndex((v) => v.enteredAt > version.enteredAt);
    if (at === -1) history.push(version);
    else history.splice(at, 0, version);
    this.versions.set(wid, history);
  }
}

/** All Workday data the simulator serves; tests add, edit and delete records between polls. */
export class WorkdayStore {
  private clock: () => number;
  private readonly corruptions: Corruption[] = [];
  readonly suppliers: RecordTable<Supplier>;
  readonly purchaseOrders: RecordTable<PurchaseOrder>;
  readonly invoices: RecordTable<SupplierInvoice>;
  readonly adjustments: RecordTable<InvoiceAdjustment>;

  constructor(now: () => number = Date.now) {
    this.clock = now;
    const clock = () => this.clock();
    this.suppliers = new RecordTable(clock);
    this.purchaseOrders = new RecordTable(clock);
    this.invoices = new RecordTable(clock);
    this.adjustments = new RecordTable(clock);
  }

  /** Replaces the clock that stamps `enteredAt` (the simulator shares its own clock with the store). */
  setClock(now: () => number): void {
    this.clock = now;
  }

  now(): number {
    return this.clock();
  }

  /** Makes the next `count` data responses hostile in the given way. */
  corrupt(kind: Corruption, count = 1): void {
    for (let i = 0; i < count; i++) this.corruptions.push(kind);
  }

  /** Takes the next queued corruption that fits a response (`nonNumericAmount` waits for one with amounts). */
  takeCorruption(hasAmounts: boolean): Corruption | undefined {
    const index = this.corruptions.findIndex((c) => c !== 'nonNumericAmount' || hasAmounts);
    return index === -1 ? undefined : this.corruptions.splice(index, 1)[0];
  }

  get pendingCorruptions(): readonly Corruption[] {
    return this.corruptions;
  }
}
