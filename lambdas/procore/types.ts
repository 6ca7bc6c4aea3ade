import type { CustomerConfig } from '../config/schema';
import type { ProcoreFailureClass } from '../shared/errors';
import type { HttpClientDeps } from '../shared/http';
import type { Decimal } from '../shared/money';

/** What the Procore client needs; a deadline passed turns waits into a transient ProcoreError. Retries default to 5 attempts, 1 s base, 60 s cap. */
export interface ProcoreClientDeps extends HttpClientDeps {
  config: CustomerConfig['procore'];
  /** Requests the caller expects in the coming cycle: a token with less life than this budget (default 10 min) is renewed first. */
  cycleBudgetMs?: number;
}

/** The rate-limit window Procore reported last (the one closest to exhaustion). */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch milliseconds when that window frees up. */
  resetAt: number;
}

/** Procore API quota spent by this client: every HTTP attempt to the API host, retries included (token requests are not API quota). */
export interface ProcoreStats {
  calls: number;
  reads: number;
  writes: number;
  retries: number;
  clientErrors: number;
  throttled: number;
  rateLimit?: RateLimitState;
}

// ---- outputs (Procore's snake_case field names; money as decimal strings) ----------------------------

/** A company the app is installed in. */
export interface ProcoreCompany {
  id: number;
  name: string;
}

/** A project the app may see. */
export interface ProcoreProject {
  id: number;
  name: string;
  project_number: string | null;
  active: boolean;
  origin_id: string | null;
}

/** A company vendor; a tax id on file is kept only as its hash. */
export interface ProcoreVendor {
  id: number;
  name: string;
  is_active: boolean;
  origin_id: string | null;
  origin_code: string | null;
  origin_data: string | null;
  abbreviated_name: string | null;
  trade_name: string | null;
  address: string | null;
  city: string | null;
  zip: string | null;
  state_code: string | null;
  country_code: string | null;
  business_phone: string | null;
  email_address: string | null;
  website: string | null;
  /** Procore's last change (its own clock): what the vendor list's delta reads start from. */
  updated_at?: string | null;
  /** `hashTaxId` of the business register identifier; the identifier itself is never kept. */
  taxIdHash?: string;
  /** The register type (EIN, ABN, …) when a tax id is on file. */
  taxIdType?: string;
}

/** A purchase order contract as lists show it. */
export interface ProcoreCommitment {
  id: number;
  number: string | null;
  title: string | null;
  status: string | null;
  executed: boolean | null;
  origin_id: string | null;
  origin_code: string | null;
  origin_data: string | null;
  vendor_id: number | null;
  grand_total: Decimal | null;
}

/** One schedule-of-values line of a commitment. */
export interface ProcoreCommitmentLine {
  id: number;
  position: number | null;
  origin_id: string | null;
  origin_data: string | null;
  amount: Decimal;
  description: string | null;
  wbs_code_id: number | null;
}

/** A commitment change order as the commitment Show lists it. */
export interface ProcoreChangeOrderSummary {
  id: number;
  number: string | null;
  status: string | null;
}

/** A purchase order contract with its schedule of values and change order totals. */
export interface ProcoreCommitmentDetail extends ProcoreCommitment {
  line_items: ProcoreCommitmentLine[];
  approved_change_orders: Decimal | null;
  pending_change_orders: Decimal | null;
  revised_contract: Decimal | null;
  change_order_packages: ProcoreChangeOrderSummary[];
}

/** One line of a commitment change order, as the v2.0 line item list answers it (its string ids read as numbers). */
export interface ProcoreChangeOrderLine {
  id: number;
  commitment_line_item_id: number | null;
  wbs_code_id: number | null;
  amount: Decimal;
  description: string | null;
}

/** A commitment change order header (v1.0; Procore gives it no `origin_id`, so `number` names it). */
export interface ProcoreChangeOrder {
  id: number;
  contract_id: number | null;
  number: string | null;
  title: string | null;
  status: string | null;
  grand_total: Decimal | null;
}

/** A billing period of a project. */
export interface ProcoreBillingPeriod {
  id: number;
  start_date: string | null;
  end_date: string | null;
  due_date: string | null;
  status: string | null;
  position: number | null;
}

/** One item of a requisition: what it bills on one schedule-of-values line. */
export interface ProcoreRequisitionItem {
  id: number;
  item_type: string | null;
  line_item_id: number | null;
  scheduled_value: Decimal | null;
  work_completed_this_period: Decimal;
}

/** A requisition (the UI's subcontractor invoice). */
export interface ProcoreRequisition {
  id: number;
  number: number | null;
  commitment_id: number | null;
  period_id: number | null;
  vendor_id: number | null;
  invoice_number: string | null;
  billing_date: string | null;
  requisition_start: string | null;
  requisition_end: string | null;
  status: string | null;
  origin_id: string | null;
  origin_data: string | null;
  total_claimed_amount: Decimal | null;
  items: ProcoreRequisitionItem[];
}

/** One line of a direct cost. */
export interface ProcoreDirectCostLine {
  id: number;
  position: number | null;
  origin_id: string | null;
  amount: Decimal;
  description: string | null;
  wbs_code_id: number | null;
}

/** A direct cost, with its lines when the endpoint carries them. */
export interface ProcoreDirectCost {
  id: number;
  direct_cost_type: string | null;
  invoice_number: string | null;
  status: string | null;
  vendor_id: number | null;
  description: string | null;
  direct_cost_date: string | null;
  received_date: string | null;
  payment_date: string | null;
  origin_id: string | null;
  origin_data: string | null;
  grand_total: Decimal | null;
  line_items: ProcoreDirectCostLine[];
}

// ---- currency ----------------------------------------------------------------------------------------

/** The currency Procore gives a project's financial documents: the project's own configuration, else the company's. */
export interface ProcoreProjectCurrency {
  project_id: number;
  /** ISO 4217; null when neither the project nor the company has a currency configuration. */
  currency_iso_code: string | null;
  /** Whose configuration the code comes from. */
  configured_on: 'project' | 'company' | null;
  /** The project takes financial documents in other currencies than its own. */
  multicurrency_enabled: boolean;
}

/** Budget codes of one project, found by cost code full code and cost type code. */
export interface BudgetCodeIndex {
  /** The `wbs_code_id` of the active budget code for a cost code (`full_code`, e.g. `03-300`) and cost type (`code`, e.g. `M`). */
  lookup(costCodeFullCode: string, costTypeCode: string): number | undefined;
  readonly size: number;
  /** True when read in an earlier run (asked for with `acrossRuns`): a miss or a refused code calls for a fresh read. */
  readonly fromEarlierRun?: boolean;
}

// ---- inputs (request bodies exactly as Procore's endpoint schemas name them) -------------------------

/** How a sync item is matched: by `origin_id` (upsert), or by `id` (update; with `origin_id` it rewrites the origin id). */
export type SyncKey = { id: number; origin_id?: string } | { id?: undefined; origin_id: string };

/** Vendor fields of `PATCH /rest/v1.0/vendors/sync`. */
export type VendorSyncItem = SyncKey & {
  name?: string;
  abbreviated_name?: string;
  trade_name?: string;
  address?: string;
  city?: string;
  zip?: string;
  state_code?: string;
  country_code?: string;
  business_phone?: string;
  mobile_phone?: string;
  fax_number?: string;
  email_address?: string;
  website?: string;
  is_active?: boolean;
  notes?: string;
  license_number?: string;
  origin_code?: string;
  origin_data?: string;
  business_register_attributes?: { type: string; identifier: string };
};

/** Purchase order contract fields of `PATCH /rest/v1.0/purchase_order_contracts/sync` (its schema has no currency fields). */
export type CommitmentSyncItem = SyncKey & {
  number?: string;
  title?: string;
  description?: string;
  status?: 'Draft' | 'Processing' | 'Submitted' | 'Partially Received' | 'Received' | 'Approved' | 'Closed';
  executed?: boolean;
  vendor_id?: number;
  accounting_method?: 'amount' | 'unit';
  retainage_percent?: Decimal;
  private?: boolean;
  contract_date?: string;
  delivery_date?: string;
  execution_date?: string;
  issued_on_date?: string;
  payment_terms?: string;
  bill_to_address?: string;
  ship_to_address?: string;
  ship_via?: string;
  origin_code?: string;
  origin_data?: string;
};

/** Line fields of `PATCH …/purchase_order_contracts/{id}/line_items/sync`. */
export type CommitmentLineSyncItem = SyncKey & {
  amount?: Decimal;
  description?: string;
  wbs_code_id?: number;
  quantity?: Decimal;
  unit_cost?: Decimal;
  uom?: string;
  extended_type?: 'manual' | 'calculated';
  tax_code_id?: number;
  origin_data?: string;
};

/** Commitment change order statuses (the list filter's values). */
export type ChangeOrderStatus =
  | 'draft'
  | 'pricing'
  | 'not_pricing'
  | 'pending'
  | 'revised'
  | 'proceeding'
  | 'not_proceeding'
  | 'pending_billable'
  | 'no_charge'
  | 'approved'
  | 'rejected'
  | 'void';

/** The `change_order` object of `POST /rest/v1.0/projects/{project_id}/commitment_change_orders`. */
export interface ChangeOrderInput {
  contract_id: number;
  number: string;
  title?: string;
  status?: ChangeOrderStatus;
  description?: string;
}

/** The `change_order` object of `PATCH /rest/v1.0/projects/{project_id}/commitment_change_orders/{id}`. */
export interface ChangeOrderUpdate {
  status?: ChangeOrderStatus;
  title?: string;
  description?: string;
}

/** The body of `POST /rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/{id}/line_items` (ids are strings). */
export interface ChangeOrderLineInput {
  wbs_code_id: string;
  commitment_line_item_id?: string;
  amount: Decimal;
  description?: string;
}

/** One inline item of a v1.1 requisition create. */
export interface RequisitionItemInput {
  item_type: 'contract_item';
  line_item_id: number;
  work_completed_this_period: Decimal;
  materials_presently_stored?: Decimal;
  comment?: string;
}

/** The `requisition` object of `POST /rest/v1.1/requisitions`. */
export interface RequisitionInput {
  period_id: number;
  origin_id: string;
  origin_data?: string;
  invoice_number?: string;
  billing_date?: string;
  requisition_start?: string;
  requisition_end?: string;
  status?:
    | 'draft'
    | 'under_review'
    | 'revise_and_resubmit'
    | 'approved'
    | 'approved_as_noted'
    | 'pending_owner_approval';
  final?: boolean;
  payment_date?: string;
  items: RequisitionItemInput[];
}

/** Header fields of `PATCH /rest/v1.0/projects/{project_id}/direct_costs/sync`; `origin_id` is the idempotency key. */
export type DirectCostSyncItem = SyncKey & {
  /** Only on create. */
  direct_cost_type?: 'invoice' | 'expense' | 'payroll';
  origin_data?: string;
  vendor_id?: number;
  invoice_number?: string;
  description?: string;
  direct_cost_date?: string;
  received_date?: string;
  payment_date?: string;
  status?: 'draft' | 'pending' | 'revise_and_resubmit' | 'approved';
  terms?: string;
  employee_id?: number;
  /** Only with multicurrency. */
  currency_iso_code?: string;
  currency_exchange_rate?: Decimal;
};

/** Line fields of `PATCH /rest/v1.0/projects/{project_id}/direct_costs/line_items/sync`: lines of any direct costs of the project. */
export type DirectCostLineSyncItem = SyncKey & {
  /** Required on create. */
  direct_cost_id?: number;
  wbs_code_id?: number;
  amount?: Decimal;
  description?: string;
  origin_data?: string;
};

/** A direct cost line as the line-item sync answers it, with the direct cost it belongs to. */
export type ProcoreDirectCostLineEntity = ProcoreDirectCostLine & { direct_cost_id: number | null };

/** One item Procore refused in a sync call, named by the input's origin_id (or id). */
export interface SyncItemError {
  /** Position of the item in the caller's `updates`, when it could be matched. */
  index: number | undefined;
  id: number | undefined;
  originId: string | undefined;
  message: string;
  fieldErrors: Record<string, string[]>;
  failure: ProcoreFailureClass;
}

/** What a (possibly batched) sync call did: the stored entities, and the items Procore refused. */
export interface SyncOutcome<T> {
  entities: T[];
  errors: SyncItemError[];
}

/** The Procore operations the writer needs, each idempotent by `origin_id`. */
export interface ProcoreClient {
  readonly stats: ProcoreStats;
  /** Forgets per-run caches (budget codes, project directories, vendor index, billing periods). */
  clearCaches(): void;
  companies(): Promise<ProcoreCompany[]>;
  projects(): Promise<ProcoreProject[]>;
  project(projectId: number): Promise<ProcoreProject>;
  vendors(): Promise<ProcoreVendor[]>;
  findVendorByOrigin(originId: string): Promise<ProcoreVendor | undefined>;
  /**
   * Brings the run's vendor list up to date with the vendors Procore changed since it was read (one filtered
   * read), so a vendor typed in or linked by someone else meanwhile is matched instead of duplicated.
   */
  refreshVendors(): Promise<void>;
  syncVendors(updates: readonly VendorSyncItem[]): Promise<SyncOutcome<ProcoreVendor>>;
  projectVendorIds(projectId: number): Promise<Set<number>>;
  addVendorToProject(projectId: number, vendorId: number): Promise<void>;
  /**
   * A project's budget codes, read once per run; with `acrossRuns`, a read of an earlier run (of this client,
   * at most a few hours old) serves until `forgetBudgetCodes`, so the caller must re-read on a miss.
   */
  budgetCodes(projectId: number, options?: { acrossRuns?: boolean }): Promise<BudgetCodeIndex>;
  /** Drops a project's budget codes from every cache (Procore refused one of them). */
  forgetBudgetCodes(projectId: number): void;
  findCommitment(projectId: number, originId: string): Promise<ProcoreCommitment | undefined>;
  commitments(projectId: number): Promise<ProcoreCommitment[]>;
  commitment(projectId: number, id: number): Promise<ProcoreCommitmentDetail>;
  syncCommitments(projectId: number, updates: readonly CommitmentSyncItem[]): Promise<SyncOutcome<ProcoreCommitment>>;
  syncCommitmentLines(
    projectId: number,
    commitmentId: number,
    updates: readonly CommitmentLineSyncItem[],
  ): Promise<SyncOutcome<ProcoreCommitmentLine>>;
  deleteCommitmentLine(projectId: number, commitmentId: number, lineId: number): Promise<void>;
  /** Change orders of a project, or of one commitment (`filters[contract_id]`). */
  changeOrders(projectId: number, commitmentId?: number): Promise<ProcoreChangeOrder[]>;
  /** Every line of a change order (v2.0, all pages). */
  changeOrderLines(projectId: number, changeOrderId: number): Promise<ProcoreChangeOrderLine[]>;
  /** Creates a change order; a lost answer is recovered by its `number` on the commitment, never sent twice blind. */
  createChangeOrder(projectId: number, body: ChangeOrderInput): Promise<ProcoreChangeOrder>;
  updateChangeOrder(projectId: number, changeOrderId: number, body: ChangeOrderUpdate): Promise<ProcoreChangeOrder>;
  /** Adds one line; a lost answer is recovered by finding the same line among the change order's lines. */
  addChangeOrderLine(
    projectId: number,
    changeOrderId: number,
    body: ChangeOrderLineInput,
  ): Promise<ProcoreChangeOrderLine>;
  openBillingPeriod(projectId: number): Promise<ProcoreBillingPeriod | undefined>;
  findRequisition(projectId: number, originId: string): Promise<ProcoreRequisition | undefined>;
  requisitions(projectId: number, commitmentId?: number): Promise<ProcoreRequisition[]>;
  createRequisition(projectId: number, commitmentId: number, body: RequisitionInput): Promise<ProcoreRequisition>;
  /**
   * A project's currency configuration, falling back to the company's currency when the project has none;
   * read once per run.
   */
  projectCurrency(projectId: number): Promise<ProcoreProjectCurrency>;
  /**
   * Sets a purchase order contract's currency (`PATCH /rest/v1.0/purchase_order_contracts/{id}`; the sync has no
   * currency field) and answers the currency Procore then reports for it.
   */
  setCommitmentCurrency(projectId: number, commitmentId: number, currencyIsoCode: string): Promise<string | null>;
  /** The currency Procore reports for a purchase order contract, null when it reports none. */
  commitmentCurrency(projectId: number, commitmentId: number): Promise<string | null>;
  directCosts(projectId: number): Promise<ProcoreDirectCost[]>;
  /** Upserts direct cost headers of one project by origin_id (or id), at most 1000 per call. */
  syncDirectCosts(projectId: number, updates: readonly DirectCostSyncItem[]): Promise<SyncOutcome<ProcoreDirectCost>>;
  /** Upserts lines of any direct costs of one project by origin_id (or id), at most 1000 per call. */
  syncDirectCostLines(
    projectId: number,
    updates: readonly DirectCostLineSyncItem[],
  ): Promise<SyncOutcome<ProcoreDirectCostLineEntity>>;
}
