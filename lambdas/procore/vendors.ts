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

/** Company vendors (active and inactive) and project directories, cached per run. */
export class Vendors {
  private index: Promise<Map<number, ProcoreVendor>> | undefined;
  private inactive: Promise<ProcoreVendor[]> | undefined;
  private readonly directories = new Map<number, Promise<Set<number>>>();

  constructor(
    private readonly rt: Runtime,
    private readonly transport: Transport,
  ) {}

  clear(): void {
    this.index = undefined;
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
        return new Map([...active, ...inactive].map((v) => [v.id, v]));
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
}
