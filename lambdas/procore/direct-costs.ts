import * as z from 'zod';
import { defined, parseResponse, type Runtime } from './context';
import { listAll } from './pagination';
import { directCostLineSchema, directCostSchema } from './schemas';
import { createOnce, type SyncMatch, syncBatches, throwSyncErrors } from './sync';
import type { Transport } from './transport';
import type {
  DirectCostInput,
  DirectCostLineInput,
  DirectCostLineSyncItem,
  DirectCostSyncItem,
  ProcoreDirectCost,
  ProcoreDirectCostLine,
  ProcoreDirectCostLineEntity,
  SyncOutcome,
} from './types';
import { SYNC_BATCH } from './vendors';

/** Procore takes at most 100 direct cost lines per request. */
export const DIRECT_COST_LINES_PER_REQUEST = 100;

/** Header fields a direct-cost sync may change on an existing direct cost. */
type HeaderUpdate = { id: number } & Partial<Omit<DirectCostInput, 'line_items' | 'direct_cost_type'>>;

const idOnly = z.object({ id: z.number().int() });

/**
 * Direct costs. The writer upserts them in batches through the header and line-item syncs, which match by
 * origin_id and are how Procore lets an integration change a record its origin_id locks; `create` (the v1.1
 * POST with up to 100 inline lines) and `update` serve single records.
 */
export class DirectCosts {
  constructor(
    private readonly rt: Runtime,
    private readonly transport: Transport,
  ) {}

  async findByOrigin(projectId: number, originId: string): Promise<ProcoreDirectCost | undefined> {
    const found = await listAll(
      this.transport,
      {
        method: 'GET',
        path: `/rest/v1.1/projects/${projectId}/direct_costs`,
        query: { 'filters[origin_id]': originId },
        projectId,
      },
      directCostSchema,
    );
    const hit = found.find((d) => d.origin_id === originId);
    // The list shape has no lines; the v1.1 Show has them, with the ids later updates need.
    return hit ? this.show(projectId, hit.id) : undefined;
  }

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
    return costs.map((d) => ({ ...d, line_items: byCost.get(d.id) ?? d.line_items }));
  }

  async create(projectId: number, body: DirectCostInput): Promise<ProcoreDirectCost> {
    const { line_items: lines, currency_iso_code, currency_exchange_rate, ...header } = body;
    const first = lines.slice(0, DIRECT_COST_LINES_PER_REQUEST);
    const rest = lines.slice(DIRECT_COST_LINES_PER_REQUEST);
    const path = `/rest/v1.1/projects/${projectId}/direct_costs`;
    const created = await createOnce(
      this.rt,
      'direct cost',
      body.origin_id,
      async () => {
        const reply = await this.transport.send({
          method: 'POST',
          path,
          body: { direct_cost: { ...header, line_items: first.map(inlineLine) } },
          projectId,
        });
        return parseResponse(directCostSchema, reply.body, `POST ${path}`, reply.requestId);
      },
      () => this.findByOrigin(projectId, body.origin_id),
    );
    const withCurrency = currency_iso_code !== undefined || currency_exchange_rate !== undefined;
    if (rest.length === 0 && !withCurrency) return created;
    if (rest.length > 0) await this.syncLines(projectId, created.id, rest);
    if (withCurrency) {
      // The v1.1 create schema has no currency fields; the header sync has.
      const currency: HeaderUpdate = { id: created.id };
      if (currency_iso_code !== undefined) currency.currency_iso_code = currency_iso_code;
      if (currency_exchange_rate !== undefined) currency.currency_exchange_rate = currency_exchange_rate;
      await this.syncHeader(projectId, currency);
    }
    return this.show(projectId, created.id);
  }

  async update(projectId: number, id: number, body: DirectCostInput): Promise<ProcoreDirectCost> {
    // direct_cost_type can only be set on create.
    const { line_items: lines, direct_cost_type: _, ...header } = body;
    await this.syncHeader(projectId, { id, ...header });
    if (lines.length > 0) await this.syncLines(projectId, id, lines);
    return this.show(projectId, id);
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

  private async show(projectId: number, id: number): Promise<ProcoreDirectCost> {
    const path = `/rest/v1.1/projects/${projectId}/direct_costs/${id}`;
    const reply = await this.transport.send({ method: 'GET', path, projectId });
    return parseResponse(directCostSchema, reply.body, `GET ${path}`, reply.requestId);
  }

  private async syncHeader(projectId: number, update: HeaderUpdate): Promise<void> {
    const outcome = await syncBatches(
      this.rt,
      this.transport,
      {
        what: `direct cost ${update.id} header sync`,
        path: `/rest/v1.0/projects/${projectId}/direct_costs/sync`,
        projectId,
        body: (batch) => ({ updates: batch }),
        entity: idOnly,
        batchSize: 1,
      },
      [update],
    );
    throwSyncErrors(outcome.errors);
  }

  /** Lines by origin_id (or id) through the line-item sync, 100 per call. */
  private async syncLines(projectId: number, directCostId: number, lines: readonly DirectCostLineInput[]) {
    const outcome = await syncBatches(
      this.rt,
      this.transport,
      {
        what: `direct cost ${directCostId} line item sync`,
        path: `/rest/v1.0/projects/${projectId}/direct_costs/line_items/sync`,
        projectId,
        body: (batch) => ({ updates: batch }),
        entity: idOnly,
        batchSize: DIRECT_COST_LINES_PER_REQUEST,
      },
      lines.map((l) => syncLine(l, directCostId)),
    );
    throwSyncErrors(outcome.errors);
  }
}

function inlineLine(l: DirectCostLineInput): Record<string, unknown> {
  // v1.1 inline lines name the amount `manual_amount`.
  return defined({
    wbs_code_id: l.wbs_code_id,
    manual_amount: l.amount,
    description: l.description,
    origin_id: l.origin_id,
    origin_data: l.origin_data,
  });
}

function syncLine(l: DirectCostLineInput, directCostId: number): SyncMatch & Record<string, unknown> {
  return {
    ...defined({ id: l.id }),
    direct_cost_id: directCostId,
    origin_id: l.origin_id,
    ...defined({
      wbs_code_id: l.wbs_code_id,
      amount: l.amount,
      description: l.description,
      origin_data: l.origin_data,
    }),
  };
}
