import * as z from 'zod';
import { forgetOnFailure, memo, type Runtime } from './context';
import { listAll } from './pagination';
import { vendorSchema } from './schemas';
import { syncBatches } from './sync';
import type { Transport } from './transport';
import type { ProcoreVendor, SyncOutcome, VendorSyncItem } from './types';

/** Procore takes at most 1000 items per sync call. */
export const SYNC_BATCH = 1000;

const idOnly = z.object({ id: z.number().int() });

// A vendor saved while the list was being read may carry an earlier updated_at than the latest one seen.
const REFRESH_OVERLAP_MS = 5 * 60_000;
// The end of the updated_at range: Procore documents `start...end` ranges, not open ones.
const REFRESH_HORIZON_MS = 24 * 60 * 60_000;

/** Company vendors (active and inactive) and project directories, cached per run. */
export class Vendors {
  private index: Promise<Map<number, ProcoreVendor>> | undefined;
  /** Latest `updated_at` (Procore's clock, ms) among the vendors read this run: the next delta starts there. */
  private seenUpTo: number | undefined;
  private inactive: Promise<ProcoreVendor[]> | undefined;
  private readonly directories = new Map<number, Promise<Set<number>>>();

  constructor(
    private readonly rt: Runtime,
    private readonly transport: Transport,
  ) {}

  clear(): void {
    this.index = undefined;
    this.seenUpTo = undefined;
    this.inactive = undefined;
    this.directories.clear();
  }

  async all(): Promise<ProcoreVendor[]> {
    return [...(await this.loadIndex()).values()];
  }

  async findByOrigin(originId: string): Promise<ProcoreVendor | undefined> {
    if (this.index) return (await this.all()).find((v) => v.origin_id === originId);
    const active = await listAll(
      this.transport,
      {
        method: 'GET',
        path: '/rest/v1.0/vendors',
        query: { company_id: this.rt.companyId, 'filters[origin_id]': originId },
      },
      vendorSchema,
    );
    // The inactive list takes no filters; it is read once per run.
    return (
      active.find((v) => v.origin_id === originId) ?? (await this.loadInactive()).find((v) => v.origin_id === originId)
    );
  }

  async sync(updates: readonly VendorSyncItem[]): Promise<SyncOutcome<ProcoreVendor>> {
    const outcome = await syncBatches(
      this.rt,
      this.transport,
      {
        what: 'vendor sync',
        path: '/rest/v1.0/vendors/sync',
        body: (batch) => ({ company_id: this.rt.companyId, updates: batch }),
        entity: vendorSchema,
        batchSize: SYNC_BATCH,
      },
      updates,
    );
    this.remember(outcome.entities);
    return outcome;
  }

  /** Merges the vendors Procore changed since the list was read (the whole list if it was not read yet). */
  async refresh(): Promise<void> {
    if (this.index === undefined || this.seenUpTo === undefined) {
      this.index = undefined;
      await this.loadIndex();
      return;
    }
    const from = new Date(this.seenUpTo - REFRESH_OVERLAP_MS).toISOString();
    const to = new Date(Math.max(this.rt.now(), this.seenUpTo) + REFRESH_HORIZON_MS).toISOString();
    const changed = await listAll(
      this.transport,
      {
        method: 'GET',
        path: '/rest/v1.0/vendors',
        query: { company_id: this.rt.companyId, 'filters[updated_at]': `${from}...${to}` },
      },
      vendorSchema,
    );
    // Only reads move the mark: a vendor typed in before one of our own syncs must still be read next time.
    this.see(changed);
    this.remember(changed);
  }

  projectVendorIds(projectId: number): Promise<Set<number>> {
    return memo(this.directories, projectId, async () => {
      const listed = await listAll(
        this.transport,
        { method: 'GET', path: `/rest/v1.0/projects/${projectId}/vendors`, projectId },
        idOnly,
      );
      return new Set(listed.map((v) => v.id));
    });
  }

  async addToProject(projectId: number, vendorId: number): Promise<void> {
    const known = this.directories.get(projectId);
    const directory = known ? await known : undefined;
    if (directory?.has(vendorId)) return;
    // Adding is safe to repeat, so a lost answer is simply retried.
    await this.transport.send({
      method: 'POST',
      path: `/rest/v1.0/projects/${projectId}/vendors/${vendorId}/actions/add`,
      projectId,
      idempotent: true,
      notFound: 'dependency',
    });
    directory?.add(vendorId);
  }

  private loadIndex(): Promise<Map<number, ProcoreVendor>> {
    this.index ??= forgetOnFailure(
      (async () => {
        const [active, inactive] = await Promise.all([
          listAll(
            this.transport,
            { method: 'GET', path: '/rest/v1.0/vendors', query: { company_id: this.rt.companyId } },
            vendorSchema,
          ),
          this.loadInactive(),
        ]);
        const all = [...active, ...inactive];
        this.see(all);
        return new Map(all.map((v) => [v.id, v]));
      })(),
      () => {
        this.index = undefined;
      },
    );
    return this.index;
  }

  private loadInactive(): Promise<ProcoreVendor[]> {
    this.inactive ??= forgetOnFailure(
      listAll(
        this.transport,
        { method: 'GET', path: `/rest/v1.0/companies/${this.rt.companyId}/vendors/inactive` },
        vendorSchema,
      ),
      () => {
        this.inactive = undefined;
      },
    );
    return this.inactive;
  }

  /** Keeps the run's caches current with what a sync stored. */
  private remember(vendors: readonly ProcoreVendor[]): void {
    if (vendors.length === 0) return;
    if (this.index) {
      this.index = this.index.then((index) => {
        for (const v of vendors) index.set(v.id, v);
        return index;
      });
    }
    if (this.inactive) {
      const changed = new Set(vendors.map((v) => v.id));
      this.inactive = this.inactive.then((list) => [
        ...list.filter((v) => !changed.has(v.id)),
        ...vendors.filter((v) => !v.is_active),
      ]);
    }
  }

  private see(vendors: readonly ProcoreVendor[]): void {
    for (const v of vendors) {
      const at = v.updated_at ? Date.parse(v.updated_at) : Number.NaN;
      if (!Number.isNaN(at) && (this.seenUpTo === undefined || at > this.seenUpTo)) this.seenUpTo = at;
    }
  }
}
