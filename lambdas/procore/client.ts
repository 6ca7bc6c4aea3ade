import { ProcoreError } from '../shared/errors';
import { sleep as realSleep } from '../shared/http';
import { equals } from '../shared/money';
import { TokenManager } from './auth';
import { buildBudgetCodeIndex } from './budget-codes';
import { forgetOnFailure, memo, PROCORE_RETRY, parseResponse, type Runtime } from './context';
import { DirectCosts } from './direct-costs';
import { listAll, listAllV2 } from './pagination';
import {
  billingPeriodSchema,
  changeOrderLineSchema,
  changeOrderSchema,
  commitmentCurrencySchema,
  commitmentDetailSchema,
  commitmentLineSchema,
  commitmentSchema,
  companyCurrencyConfigurationSchema,
  companySchema,
  costCodeSchema,
  costTypeSchema,
  createdChangeOrderLineSchema,
  projectCurrencyConfigurationSchema,
  projectSchema,
  requisitionSchema,
  wbsCodeSchema,
} from './schemas';
import { createOnce, syncBatches } from './sync';
import { Transport } from './transport';
import type {
  BudgetCodeIndex,
  ChangeOrderInput,
  ChangeOrderLineInput,
  ChangeOrderUpdate,
  CommitmentLineSyncItem,
  CommitmentSyncItem,
  DirectCostLineSyncItem,
  DirectCostSyncItem,
  ProcoreBillingPeriod,
  ProcoreChangeOrder,
  ProcoreChangeOrderLine,
  ProcoreClient,
  ProcoreClientDeps,
  ProcoreCommitment,
  ProcoreCommitmentDetail,
  ProcoreCommitmentLine,
  ProcoreCompany,
  ProcoreDirectCost,
  ProcoreDirectCostLineEntity,
  ProcoreProject,
  ProcoreProjectCurrency,
  ProcoreRequisition,
  ProcoreStats,
  ProcoreVendor,
  RequisitionInput,
  SyncOutcome,
  VendorSyncItem,
} from './types';
import { SYNC_BATCH, Vendors } from './vendors';

const DEFAULT_CYCLE_BUDGET_MS = 10 * 60_000;
/** How long a run may reuse budget codes read by an earlier run (a miss or a refusal re-reads sooner). */
const BUDGET_CODES_REUSE_MS = 6 * 60 * 60_000;

/** Creates the Procore client for one customer's company. */
export function createProcoreClient(deps: ProcoreClientDeps): ProcoreClient {
  const stats: ProcoreStats = { calls: 0, reads: 0, writes: 0, retries: 0, clientErrors: 0, throttled: 0 };
  const rt: Runtime = {
    dispatcher: deps.dispatcher,
    logger: deps.logger,
    now: deps.now,
    sleep: deps.sleep ?? realSleep,
    random: deps.random ?? Math.random,
    deadline: deps.deadline ?? (() => undefined),
    retry: deps.retry ?? PROCORE_RETRY,
    stats,
    companyId: deps.config.companyId,
  };
  const auth = new TokenManager(rt, {
    authBaseUrl: deps.config.authBaseUrl,
    secrets: deps.secrets,
    tokens: deps.tokens,
    env: deps.env ?? process.env,
    cycleBudgetMs: deps.cycleBudgetMs ?? DEFAULT_CYCLE_BUDGET_MS,
  });
  return new Client(rt, new Transport(rt, auth, deps.config.apiBaseUrl));
}

class Client implements ProcoreClient {
  private readonly vendorOps: Vendors;
  private readonly directCostOps: DirectCosts;
  private readonly budgetCodeCache = new Map<number, Promise<BudgetCodeIndex>>();
  /** The latest read of each project's budget codes, kept across runs for callers that ask `acrossRuns`. */
  private readonly budgetCodesRead = new Map<number, { index: BudgetCodeIndex; at: number }>();
  private readonly periods = new Map<number, Promise<ProcoreBillingPeriod | undefined>>();
  private readonly commitmentLists = new Map<number, Promise<ProcoreCommitment[]>>();
  private readonly projectCurrencies = new Map<number, Promise<ProcoreProjectCurrency>>();
  private companyCurrency: Promise<string | null> | undefined;

  constructor(
    private readonly rt: Runtime,
    private readonly transport: Transport,
  ) {
    this.vendorOps = new Vendors(rt, transport);
    this.directCostOps = new DirectCosts(rt, transport);
  }

  get stats(): ProcoreStats {
    return this.rt.stats;
  }

  private get companyId(): number {
    return this.rt.companyId;
  }

  clearCaches(): void {
    this.vendorOps.clear();
    this.budgetCodeCache.clear();
    this.periods.clear();
    this.commitmentLists.clear();
    this.projectCurrencies.clear();
    this.companyCurrency = undefined;
  }

  // ---- company and projects ----------------------------------------------------------------------------

  companies(): Promise<ProcoreCompany[]> {
    return listAll(this.transport, { method: 'GET', path: '/rest/v1.0/companies' }, companySchema);
  }

  projects(): Promise<ProcoreProject[]> {
    return listAll(
      this.transport,
      {
        method: 'GET',
        path: '/rest/v1.0/projects',
        query: { company_id: this.companyId, 'filters[by_status]': 'All' },
      },
      projectSchema,
    );
  }

  async project(projectId: number): Promise<ProcoreProject> {
    const what = `GET /rest/v1.0/projects/${projectId}`;
    try {
      const reply = await this.transport.send({
        method: 'GET',
        path: `/rest/v1.0/projects/${projectId}`,
        query: { company_id: this.companyId },
        projectId,
      });
      return parseResponse(projectSchema, reply.body, what, reply.requestId);
    } catch (error) {
      if (!(error instanceof ProcoreError) || (error.status !== 403 && error.status !== 404)) throw error;
      throw new ProcoreError(
        `Procore project ${projectId} is not visible to the app (HTTP ${error.status}): add the app's service account ` +
          `to project ${projectId} (App Management → permitted projects in company ${this.companyId}), or correct ` +
          'procoreProjectId in the mapping',
        {
          status: error.status,
          failure: 'permanent',
          fieldErrors: { ...error.fieldErrors },
          requestId: error.requestId,
        },
        { cause: error },
      );
    }
  }

  // ---- vendors -----------------------------------------------------------------------------------------

  vendors(): Promise<ProcoreVendor[]> {
    return this.vendorOps.all();
  }

  findVendorByOrigin(originId: string): Promise<ProcoreVendor | undefined> {
    return this.vendorOps.findByOrigin(originId);
  }

  refreshVendors(): Promise<void> {
    return this.vendorOps.refresh();
  }

  syncVendors(updates: readonly VendorSyncItem[]): Promise<SyncOutcome<ProcoreVendor>> {
    return this.vendorOps.sync(updates);
  }

  projectVendorIds(projectId: number): Promise<Set<number>> {
    return this.vendorOps.projectVendorIds(projectId);
  }

  addVendorToProject(projectId: number, vendorId: number): Promise<void> {
    return this.vendorOps.addToProject(projectId, vendorId);
  }

  // ---- budget codes ------------------------------------------------------------------------------------

  budgetCodes(projectId: number, options: { acrossRuns?: boolean } = {}): Promise<BudgetCodeIndex> {
    const earlier = this.budgetCodesRead.get(projectId);
    if (
      options.acrossRuns &&
      !this.budgetCodeCache.has(projectId) &&
      earlier !== undefined &&
      this.rt.now() - earlier.at < BUDGET_CODES_REUSE_MS
    ) {
      return Promise.resolve({
        size: earlier.index.size,
        lookup: (costCode: string, costType: string) => earlier.index.lookup(costCode, costType),
        fromEarlierRun: true,
      });
    }
    return memo(this.budgetCodeCache, projectId, async () => {
      const [wbsCodes, costCodes, costTypes] = await Promise.all([
        listAll(
          this.transport,
          {
            method: 'GET',
            path: `/rest/v1.0/projects/${projectId}/work_breakdown_structure/wbs_codes`,
            query: { 'filters[status]': ['active'] },
            projectId,
          },
          wbsCodeSchema,
        ),
        listAll(
          this.transport,
          { method: 'GET', path: '/rest/v1.0/cost_codes', query: { project_id: projectId }, projectId },
          costCodeSchema,
        ),
        listAll(
          this.transport,
          {
            method: 'GET',
            path: '/rest/v1.0/line_item_types',
            query: { company_id: this.companyId, project_id: projectId },
            projectId,
          },
          costTypeSchema,
        ),
      ]);
      const index = buildBudgetCodeIndex(wbsCodes, costCodes, costTypes);
      this.budgetCodesRead.set(projectId, { index, at: this.rt.now() });
      this.rt.logger.debug('procore budget codes indexed', { projectId, budgetCodes: index.size });
      return index;
    });
  }

  forgetBudgetCodes(projectId: number): void {
    this.budgetCodeCache.delete(projectId);
    this.budgetCodesRead.delete(projectId);
  }

  // ---- commitments -------------------------------------------------------------------------------------

  async findCommitment(projectId: number, originId: string): Promise<ProcoreCommitment | undefined> {
    const found = await listAll(
      this.transport,
      {
        method: 'GET',
        path: '/rest/v1.0/purchase_order_contracts',
        query: { project_id: projectId, 'filters[origin_id]': originId },
        projectId,
      },
      commitmentSchema,
    );
    return found.find((c) => c.origin_id === originId);
  }

  commitments(projectId: number): Promise<ProcoreCommitment[]> {
    return memo(this.commitmentLists, projectId, () =>
      listAll(
        this.transport,
        { method: 'GET', path: '/rest/v1.0/purchase_order_contracts', query: { project_id: projectId }, projectId },
        commitmentSchema,
      ),
    );
  }

  async commitment(projectId: number, id: number): Promise<ProcoreCommitmentDetail> {
    const path = `/rest/v1.0/purchase_order_contracts/${id}`;
    const reply = await this.transport.send({ method: 'GET', path, query: { project_id: projectId }, projectId });
    return parseResponse(commitmentDetailSchema, reply.body, `GET ${path}`, reply.requestId);
  }

  syncCommitments(projectId: number, updates: readonly CommitmentSyncItem[]): Promise<SyncOutcome<ProcoreCommitment>> {
    return syncBatches(
      this.rt,
      this.transport,
      {
        what: 'purchase order contract sync',
        path: '/rest/v1.0/purchase_order_contracts/sync',
        projectId,
        body: (batch) => ({ project_id: projectId, updates: batch }),
        entity: commitmentSchema,
        batchSize: SYNC_BATCH,
      },
      updates,
    );
  }

  syncCommitmentLines(
    projectId: number,
    commitmentId: number,
    updates: readonly CommitmentLineSyncItem[],
  ): Promise<SyncOutcome<ProcoreCommitmentLine>> {
    return syncBatches(
      this.rt,
      this.transport,
      {
        what: `line item sync of purchase order contract ${commitmentId}`,
        path: `/rest/v1.0/purchase_order_contracts/${commitmentId}/line_items/sync`,
        query: { project_id: projectId },
        projectId,
        notFound: 'dependency',
        body: (batch) => ({ updates: batch }),
        entity: commitmentLineSchema,
        batchSize: SYNC_BATCH,
      },
      updates,
    );
  }

  async deleteCommitmentLine(projectId: number, commitmentId: number, lineId: number): Promise<void> {
    try {
      await this.transport.send({
        method: 'DELETE',
        path: `/rest/v1.0/purchase_order_contracts/${commitmentId}/line_items/${lineId}`,
        query: { project_id: projectId },
        projectId,
      });
    } catch (error) {
      // A retried delete whose first answer was lost finds nothing: the line is gone either way.
      if (!(error instanceof ProcoreError) || error.status !== 404) throw error;
      this.rt.logger.debug('procore commitment line already gone', { projectId, commitmentId, lineId });
    }
  }

  changeOrders(projectId: number, commitmentId?: number): Promise<ProcoreChangeOrder[]> {
    return listAll(
      this.transport,
      {
        method: 'GET',
        path: `/rest/v1.0/projects/${projectId}/commitment_change_orders`,
        query: { 'filters[contract_id]': commitmentId },
        projectId,
      },
      changeOrderSchema,
    );
  }

  changeOrderLines(projectId: number, changeOrderId: number): Promise<ProcoreChangeOrderLine[]> {
    return listAllV2(
      this.transport,
      { method: 'GET', path: this.changeOrderLinesPath(projectId, changeOrderId), projectId },
      changeOrderLineSchema,
    );
  }

  createChangeOrder(projectId: number, body: ChangeOrderInput): Promise<ProcoreChangeOrder> {
    const path = `/rest/v1.0/projects/${projectId}/commitment_change_orders`;
    return createOnce(
      this.rt,
      'commitment change order',
      body.number,
      async () => {
        const reply = await this.transport.send({
          method: 'POST',
          path,
          body: { change_order: body },
          projectId,
        });
        return parseResponse(changeOrderSchema, reply.body, `POST ${path}`, reply.requestId);
      },
      // Change orders carry no origin_id: the connector's are known by their number on the commitment.
      async () => (await this.changeOrders(projectId, body.contract_id)).find((co) => co.number === body.number),
      'number',
    );
  }

  async updateChangeOrder(
    projectId: number,
    changeOrderId: number,
    body: ChangeOrderUpdate,
  ): Promise<ProcoreChangeOrder> {
    const path = `/rest/v1.0/projects/${projectId}/commitment_change_orders/${changeOrderId}`;
    const reply = await this.transport.send({ method: 'PATCH', path, body: { change_order: body }, projectId });
    return parseResponse(changeOrderSchema, reply.body, `PATCH ${path}`, reply.requestId);
  }

  addChangeOrderLine(
    projectId: number,
    changeOrderId: number,
    body: ChangeOrderLineInput,
  ): Promise<ProcoreChangeOrderLine> {
    const path = this.changeOrderLinesPath(projectId, changeOrderId);
    const same = (line: ProcoreChangeOrderLine) =>
      String(line.wbs_code_id) === body.wbs_code_id &&
      (line.commitment_line_item_id === null ? undefined : String(line.commitment_line_item_id)) ===
        body.commitment_line_item_id &&
      equals(line.amount, body.amount) &&
      // Compared trimmed: Procore may strip the whitespace a description was sent with.
      (line.description ?? '').trim() === (body.description ?? '').trim();
    return createOnce(
      this.rt,
      `line of commitment change order ${changeOrderId}`,
      `${body.description ?? ''} ${body.amount} on wbs_code ${body.wbs_code_id}`,
      async () => {
        const reply = await this.transport.send({ method: 'POST', path, body, projectId });
        return parseResponse(createdChangeOrderLineSchema, reply.body, `POST ${path}`, reply.requestId);
      },
      // Lines carry no origin_id: after a lost answer the same line among the change order's is the one sent.
      async () => (await this.changeOrderLines(projectId, changeOrderId)).find(same),
    );
  }

  private changeOrderLinesPath(projectId: number, changeOrderId: number): string {
    return `/rest/v2.0/companies/${this.companyId}/projects/${projectId}/commitment_change_orders/${changeOrderId}/line_items`;
  }

  // ---- billing periods and requisitions ----------------------------------------------------------------

  openBillingPeriod(projectId: number): Promise<ProcoreBillingPeriod | undefined> {
    return memo(this.periods, projectId, async () => {
      const open = await listAll(
        this.transport,
        {
          method: 'GET',
          path: `/rest/v1.0/projects/${projectId}/billing_periods`,
          query: { 'filters[status]': 'open' },
          projectId,
        },
        billingPeriodSchema,
      );
      // Procore allows one open period; should there be more, the latest is the one invoices go to.
      return open.filter((p) => p.status === 'open').sort((a, b) => (b.position ?? 0) - (a.position ?? 0))[0];
    });
  }

  async findRequisition(projectId: number, originId: string): Promise<ProcoreRequisition | undefined> {
    const found = await listAll(
      this.transport,
      {
        method: 'GET',
        path: '/rest/v1.1/requisitions',
        query: { project_id: projectId, 'filters[origin_id]': originId, view: 'extended' },
        projectId,
      },
      requisitionSchema,
    );
    return found.find((r) => r.origin_id === originId);
  }

  requisitions(projectId: number, commitmentId?: number): Promise<ProcoreRequisition[]> {
    return listAll(
      this.transport,
      {
        method: 'GET',
        path: '/rest/v1.1/requisitions',
        query: { project_id: projectId, 'filters[commitment_id]': commitmentId, view: 'extended' },
        projectId,
      },
      requisitionSchema,
    );
  }

  createRequisition(projectId: number, commitmentId: number, body: RequisitionInput): Promise<ProcoreRequisition> {
    const path = '/rest/v1.1/requisitions';
    return createOnce(
      this.rt,
      'requisition',
      body.origin_id,
      async () => {
        const reply = await this.transport.send({
          method: 'POST',
          path,
          query: { view: 'extended' },
          body: { project_id: projectId, commitment_id: commitmentId, requisition: body },
          projectId,
          notFound: 'dependency',
        });
        return parseResponse(requisitionSchema, reply.body, `POST ${path}`, reply.requestId);
      },
      () => this.findRequisition(projectId, body.origin_id),
      'origin_id',
    );
  }

  // ---- currency ----------------------------------------------------------------------------------------

  projectCurrency(projectId: number): Promise<ProcoreProjectCurrency> {
    return memo(this.projectCurrencies, projectId, async () => {
      const path = `/rest/v1.0/companies/${this.companyId}/projects/${projectId}/currency_configuration`;
      const reply = await this.transport.send({ method: 'GET', path, projectId });
      const own = parseResponse(projectCurrencyConfigurationSchema, reply.body, `GET ${path}`, reply.requestId);
      const multicurrency_enabled = own.multicurrency_enabled === true;
      if (own.currency_iso_code !== null) {
        return {
          project_id: projectId,
          currency_iso_code: own.currency_iso_code,
          configured_on: 'project',
          multicurrency_enabled,
        };
      }
      // A project without a configuration of its own keeps its documents in the company's currency.
      const company = await this.companyCurrencyCode();
      return {
        project_id: projectId,
        currency_iso_code: company,
        configured_on: company === null ? null : 'company',
        multicurrency_enabled,
      };
    });
  }

  private companyCurrencyCode(): Promise<string | null> {
    this.companyCurrency ??= forgetOnFailure(
      (async () => {
        const path = `/rest/v1.0/companies/${this.companyId}/currency_configuration`;
        const reply = await this.transport.send({ method: 'GET', path });
        return parseResponse(companyCurrencyConfigurationSchema, reply.body, `GET ${path}`, reply.requestId)
          .currency_iso_code;
      })(),
      () => {
        this.companyCurrency = undefined;
      },
    );
    return this.companyCurrency;
  }

  async setCommitmentCurrency(
    projectId: number,
    commitmentId: number,
    currencyIsoCode: string,
  ): Promise<string | null> {
    const path = `/rest/v1.0/purchase_order_contracts/${commitmentId}`;
    const reply = await this.transport.send({
      method: 'PATCH',
      path,
      body: { project_id: projectId, purchase_order_contract: { currency_iso_code: currencyIsoCode } },
      projectId,
    });
    return parseResponse(commitmentCurrencySchema, reply.body, `PATCH ${path}`, reply.requestId);
  }

  async commitmentCurrency(projectId: number, commitmentId: number): Promise<string | null> {
    const path = `/rest/v1.0/purchase_order_contracts/${commitmentId}`;
    const reply = await this.transport.send({ method: 'GET', path, query: { project_id: projectId }, projectId });
    return parseResponse(commitmentCurrencySchema, reply.body, `GET ${path}`, reply.requestId);
  }

  // ---- direct costs ------------------------------------------------------------------------------------

  directCosts(projectId: number): Promise<ProcoreDirectCost[]> {
    return this.directCostOps.list(projectId);
  }

  syncDirectCosts(projectId: number, updates: readonly DirectCostSyncItem[]): Promise<SyncOutcome<ProcoreDirectCost>> {
    return this.directCostOps.syncHeaders(projectId, updates);
  }

  syncDirectCostLines(
    projectId: number,
    updates: readonly DirectCostLineSyncItem[],
  ): Promise<SyncOutcome<ProcoreDirectCostLineEntity>> {
    return this.directCostOps.syncLineItems(projectId, updates);
  }
}
