import type { Runtime } from './context';
import { listAll } from './pagination';
import { directCostLineSchema, directCostSchema } from './schemas';
import { syncBatches } from './sync';
import type { Transport } from './transport';
import type {
  DirectCostLineSyncItem,
  DirectCostSyncItem,
  ProcoreDirectCost,
  ProcoreDirectCostLine,
  ProcoreDirectCostLineEntity,
  SyncOutcome,
} from './types';
import { SYNC_BATCH } from './vendors';

/**
 * Direct costs, upserted in batches through the header and line-item syncs: they match by origin_id, and
 * are how Procore lets an integration change a record its origin_id locks.
 */
export class DirectCosts {
  constructor(
    private readonly rt: Runtime,
    private readonly transport: Transport,
  ) {}

  async list(projectId: number): Promise<ProcoreDirectCost[]> {
    const [costs, lines] = await Promise.all([
      listAll(
        this.transport,
        { method: 'GET', path: `/rest/v1.1/projects/${projectId}/direct_costs`, projectId },
        directCostSchema,
      ),
      listAll(
        this.transport,
        { method: 'GET', path: `/rest/v1.0/projects/${projectId}/direct_costs/line_items`, projectId },
        directCostLineSchema,
      ),
    ]);
    const byCost = new Map<number, ProcoreDirectCostLine[]>();
    for (const { direct_cost_id: costId, ...line } of lines) {
      if (costId === null) continue;
      byCost.set(costId, [...(byCost.get(costId) ?? []), line]);
    }
    return costs.map((d) => ({ ...d, line_items: byCost.get(d.id) ?? [] }));
  }

  /**
   * Headers of many direct costs of one project, 1000 per call. Items match by origin_id, so a call whose
   * answer was lost is sent again without creating twice; a 409 (a concurrent write) is retried by the transport.
   */
  syncHeaders(projectId: number, updates: readonly DirectCostSyncItem[]): Promise<SyncOutcome<ProcoreDirectCost>> {
    return syncBatches(
      this.rt,
      this.transport,
      {
        what: 'direct cost sync',
        path: `/rest/v1.0/projects/${projectId}/direct_costs/sync`,
        projectId,
        body: (batch) => ({ updates: batch }),
        entity: directCostSchema,
        batchSize: SYNC_BATCH,
      },
      updates,
    );
  }

  /** Lines of many direct costs of one project (each names its `direct_cost_id`), 1000 per call, matched by origin_id. */
  syncLineItems(
    projectId: number,
    updates: readonly DirectCostLineSyncItem[],
  ): Promise<SyncOutcome<ProcoreDirectCostLineEntity>> {
    return syncBatches(
      this.rt,
      this.transport,
      {
        what: 'direct cost line item sync',
        path: `/rest/v1.0/projects/${projectId}/direct_costs/line_items/sync`,
        projectId,
        body: (batch) => ({ updates: batch }),
        entity: directCostLineSchema,
        batchSize: SYNC_BATCH,
      },
      updates,
    );
  }
}
