import { toAmount } from '../../lambdas/shared/money';
import type {
  BillingPeriod,
  BudgetCode,
  ChangeOrder,
  ChangeOrderLineItem,
  Commitment,
  CommitmentLineItem,
  Company,
  CostCode,
  CostType,
  DirectCost,
  DirectCostLineItem,
  ProcoreTables,
  Project,
  ProjectVendor,
  Requisition,
  RequisitionItem,
  Uom,
  Vendor,
} from './records';
import { FIRST_ID } from './records';

export * from './records';

/** What `addProject` takes. */
export interface ProjectSeed {
  name: string;
  project_number?: string | null;
  active?: boolean;
  /** Gives the project a currency configuration of its own; without it the project takes the company's. */
  currency_iso_code?: string;
  permitted?: boolean;
  origin_id?: string | null;
  origin_code?: string | null;
  origin_data?: string | null;
  city?: string | null;
  state_code?: string | null;
  country_code?: string | null;
}

/** What `addVendor` takes. */
export type VendorSeed = Partial<Omit<Vendor, 'id' | 'company_id' | 'created_at' | 'updated_at'>> & { name: string };

/** What `addCostCode` takes. */
export interface CostCodeSeed {
  code: string;
  name: string;
  parent_id?: number | null;
  origin_id?: string | null;
  origin_data?: string | null;
}

/** What `addCostType` takes. */
export interface CostTypeSeed {
  name: string;
  code: string;
  base_type?: string;
  origin_id?: string | null;
  origin_data?: string | null;
}

/** A schedule-of-values line for `addCommitment`. */
export interface CommitmentLineSeed {
  wbs_code_id: number;
  amount: string;
  description?: string | null;
  origin_id?: string | null;
}

/** What `addCommitment` takes. */
export interface CommitmentSeed {
  vendor_id?: number | null;
  title?: string | null;
  number?: string;
  status?: string;
  executed?: boolean;
  origin_id?: string | null;
  origin_code?: string | null;
  origin_data?: string | null;
  retainage_percent?: string | null;
  requisitions_are_enabled?: boolean;
  lines?: CommitmentLineSeed[];
}

/** What `addBillingPeriod` takes. */
export interface BillingPeriodSeed {
  start_date: string;
  end_date: string;
  due_date: string;
  status?: 'open' | 'closed';
}

/** How the state is set up. */
export interface StateOptions {
  companyId: number;
  companyName?: string;
  now: () => number;
  segmentItemIdEqualsResourceId?: boolean;
}

/** Formats epoch milliseconds as Procore timestamps: `YYYY-MM-DDTHH:MM:SSZ`. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const DEFAULT_UOMS: readonly [string, string][] = [
  ['LS', 'Lump Sum'],
  ['EA', 'Each'],
  ['HR', 'Hour'],
  ['DAY', 'Day'],
  ['WK', 'Week'],
  ['MO', 'Month'],
  ['LF', 'Linear Foot'],
  ['SF', 'Square Foot'],
  ['SY', 'Square Yard'],
  ['CY', 'Cubic Yard'],
  ['TON', 'Ton'],
  ['LB', 'Pound'],
  ['GAL', 'Gallon'],
];

/** The in-memory Procore company: tables, seeding helpers the data generator uses, and read helpers for tests. */
export class ProcoreState {
  readonly company: Company;
  readonly db: ProcoreTables = {
    projects: new Map(),
    vendors: new Map(),
    projectVendors: new Map(),
    costCodes: new Map(),
    costTypes: new Map(),
    segments: new Map(),
    budgetCodes: new Map(),
    uoms: new Map(),
    commitments: new Map(),
    commitmentLineItems: new Map(),
    changeOrders: new Map(),
    changeOrderLineItems: new Map(),
    billingPeriods: new Map(),
    requisitions: new Map(),
    requisitionItems: new Map(),
    directCosts: new Map(),
    directCostLineItems: new Map(),
    tokens: new Map(),
  };
  private lastId = FIRST_ID - 1;
  private readonly now: () => number;
  private readonly segmentItemIdEqualsResourceId: boolean;
  readonly costCodeSegmentId: number;
  readonly costTypeSegmentId: number;
  readonly wbsPatternId: number;
  /** The DMSA's user, as `GET /rest/v1.0/me` shows it. */
  readonly serviceAccount: { id: number; login: string; name: string };

  constructor(options: StateOptions) {
    this.now = options.now;
    this.segmentItemIdEqualsResourceId = options.segmentItemIdEqualsResourceId ?? false;
    this.company = {
      id: options.companyId,
      name: options.companyName ?? 'Sandbox Construction Co.',
      is_active: true,
      currency_iso_code: 'USD',
    };
    this.serviceAccount = { id: this.nextId(), login: 'dmsa@sandbox.procore.test', name: 'Sandbox Service Account' };
    this.wbsPatternId = this.nextId();
    this.costCodeSegmentId = this.nextId();
    this.costTypeSegmentId = this.nextId();
    this.db.segments.set(this.costCodeSegmentId, {
      id: this.costCodeSegmentId,
      type: 'cost_code',
      name: 'Cost Code',
      position: 1,
      delimiter: '.',
      structure: 'tiered',
      required: true,
    });
    this.db.segments.set(this.costTypeSegmentId, {
      id: this.costTypeSegmentId,
      type: 'line_item_type',
      name: 'Cost Type',
      position: 2,
      delimiter: '',
      structure: 'flat',
      required: true,
    });
    for (const [name, description] of DEFAULT_UOMS) this.addUom(name, description);
  }

  /** The next id: one monotonically increasing sequence across every table. */
  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /** The current time as a Procore timestamp. */
  stamp(): string {
    return timestamp(this.now());
  }

  /** Epoch milliseconds on the simulator clock. */
  clock(): number {
    return this.now();
  }

  // ---- seeding helpers ----------------------------------------------------------------------------

  /** Adds a project (permitted to the app unless `permitted: false`). */
  addProject(seed: ProjectSeed): Project {
    const at = this.stamp();
    const project: Project = {
      id: this.nextId(),
      company_id: this.company.id,
      name: seed.name,
      display_name: seed.project_number ? `${seed.project_number} - ${seed.name}` : seed.name,
      project_number: seed.project_number ?? null,
      active: seed.active ?? true,
      currency_iso_code: seed.currency_iso_code ?? this.company.currency_iso_code,
      currency_configured: seed.currency_iso_code !== undefined,
      permitted: seed.permitted ?? true,
      address: null,
      city: seed.city ?? null,
      state_code: seed.state_code ?? null,
      country_code: seed.country_code ?? null,
      zip: null,
      time_zone: 'Etc/UTC',
      stage: 'Course of Construction',
      origin_id: seed.origin_id ?? null,
      origin_data: seed.origin_data ?? null,
      origin_code: seed.origin_code ?? null,
      created_at: at,
      updated_at: at,
    };
    this.db.projects.set(project.id, project);
    return project;
  }

  /** Adds a company vendor. */
  addVendor(seed: VendorSeed): Vendor {
    const at = this.stamp();
    const vendor: Vendor = {
      abbreviated_name: null,
      trade_name: null,
      address: null,
      city: null,
      zip: null,
      state_code: null,
      country_code: null,
      business_phone: null,
      mobile_phone: null,
      fax_number: null,
      email_address: null,
      website: null,
      is_active: true,
      authorized_bidder: false,
      prequalified: false,
      labor_union: null,
      license_number: null,
      union_member: false,
      non_union_prevailing_wage: false,
      notes: null,
      vendor_group_id: null,
      parent_id: null,
      primary_contact_id: null,
      trade_ids: [],
      bidding_distribution_ids: [],
      standard_cost_code_ids: [],
      bidding: {},
      business_register: null,
      origin_id: null,
      origin_data: null,
      origin_code: null,
      origin_custom_fields: {},
      ...seed,
      id: this.nextId(),
      company_id: this.company.id,
      created_at: at,
      updated_at: at,
    };
    this.db.vendors.set(vendor.id, vendor);
    return vendor;
  }

  /** Puts a company vendor into a project's directory (idempotent). */
  addVendorToProject(projectId: number, vendorId: number): ProjectVendor {
    this.requireProject(projectId);
    if (!this.db.vendors.has(vendorId)) throw new Error(`no vendor ${vendorId}`);
    const key = `${projectId}:${vendorId}`;
    const existing = this.db.projectVendors.get(key);
    if (existing) return existing;
    const link: ProjectVendor = { project_id: projectId, vendor_id: vendorId, created_at: this.stamp() };
    this.db.projectVendors.set(key, link);
    return link;
  }

  /** Adds a project cost code; `full_code` joins the parent's code with `-`. */
  addCostCode(projectId: number, seed: CostCodeSeed): CostCode {
    this.requireProject(projectId);
    const parent = seed.parent_id == null ? undefined : this.db.costCodes.get(seed.parent_id);
    if (seed.parent_id != null && (!parent || parent.project_id !== projectId)) {
      throw new Error(`no parent cost code ${seed.parent_id} in project ${projectId}`);
    }
    const at = this.stamp();
    const id = this.nextId();
    const costCode: CostCode = {
      id,
      project_id: projectId,
      code: seed.code,
      full_code: parent ? `${parent.full_code}-${seed.code}` : seed.code,
      name: seed.name,
      parent_id: parent?.id ?? null,
      position: null,
      standard_cost_code_id: null,
      origin_id: seed.origin_id ?? null,
      origin_data: seed.origin_data ?? null,
      segment_item_id: this.segmentItemIdEqualsResourceId ? id : this.nextId(),
      created_at: at,
      updated_at: at,
    };
    this.db.costCodes.set(costCode.id, costCode);
    return costCode;
  }

  /** Adds a company cost type (the API's line item type). */
  addCostType(seed: CostTypeSeed): CostType {
    const at = this.stamp();
    const id = this.nextId();
    const costType: CostType = {
      id,
      company_id: this.company.id,
      name: seed.name,
      code: seed.code,
      base_type: seed.base_type ?? 'other',
      origin_id: seed.origin_id ?? null,
      origin_data: seed.origin_data ?? null,
      segment_item_id: this.segmentItemIdEqualsResourceId ? id : this.nextId(),
      created_at: at,
      updated_at: at,
    };
    this.db.costTypes.set(costType.id, costType);
    return costType;
  }

  /** Adds the budget code for a cost code × cost type in a project, or returns the existing one. */
  addBudgetCode(
    projectId: number,
    costCodeId: number,
    costTypeId: number,
    extra: { description?: string; status?: 'active' | 'inactive' } = {},
  ): BudgetCode {
    this.requireProject(projectId);
    const costCode = this.db.costCodes.get(costCodeId);
    const costType = this.db.costTypes.get(costTypeId);
    if (!costCode || costCode.project_id !== projectId) throw new Error(`no cost code ${costCodeId} in ${projectId}`);
    if (!costType) throw new Error(`no cost type ${costTypeId}`);
    const existing = this.findBudgetCode(projectId, costCodeId, costTypeId);
    if (existing) return existing;
    const at = this.stamp();
    const flatName = `${costCode.name}.${costType.name}`;
    const budgetCode: BudgetCode = {
      id: this.nextId(),
      project_id: projectId,
      cost_code_id: costCodeId,
      line_item_type_id: costTypeId,
      flat_code: `${costCode.full_code}.${costType.code}`,
      flat_name: flatName,
      description: extra.description ?? flatName,
      status: extra.status ?? 'active',
      created_at: at,
      updated_at: at,
    };
    this.db.budgetCodes.set(budgetCode.id, budgetCode);
    return budgetCode;
  }

  /** Adds a unit of measure to the company list. */
  addUom(name: string, description = name): Uom {
    const uom: Uom = { id: this.nextId(), name, description };
    this.db.uoms.set(uom.id, uom);
    return uom;
  }

  /** Adds a purchase order contract, with schedule-of-values lines if given. */
  addCommitment(projectId: number, seed: CommitmentSeed = {}): Commitment {
    this.requireProject(projectId);
    const at = this.stamp();
    const commitment: Commitment = {
      id: this.nextId(),
      project_id: projectId,
      type: 'PurchaseOrderContract',
      number: seed.number ?? this.nextCommitmentNumber(projectId),
      title: seed.title ?? null,
      description: null,
      status: seed.status ?? 'Draft',
      executed: seed.executed ?? false,
      vendor_id: seed.vendor_id ?? null,
      accounting_method: 'amount',
      retainage_percent: seed.retainage_percent ?? null,
      private: true,
      contract_date: null,
      delivery_date: null,
      execution_date: null,
      issued_on_date: null,
      letter_of_intent_date: null,
      approval_letter_date: null,
      returned_date: null,
      signed_contract_received_date: null,
      assignee_id: null,
      bill_to_address: null,
      ship_to_address: null,
      ship_via: null,
      payment_terms: null,
      origin_id: seed.origin_id ?? null,
      origin_data: seed.origin_data ?? null,
      origin_code: seed.origin_code ?? null,
      currency_iso_code: null,
      currency_exchange_rate: null,
      requisitions_are_enabled: seed.requisitions_are_enabled ?? true,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    };
    this.db.commitments.set(commitment.id, commitment);
    for (const line of seed.lines ?? []) {
      const budgetCode = this.db.budgetCodes.get(line.wbs_code_id);
      if (!budgetCode || budgetCode.project_id !== projectId) throw new Error(`no budget code ${line.wbs_code_id}`);
      this.addCommitmentLine(commitment, {
        amount: toAmount(line.amount),
        wbs_code_id: line.wbs_code_id,
        description: line.description ?? null,
        origin_id: line.origin_id ?? null,
      });
    }
    return commitment;
  }

  /** Adds a billing period to a project. */
  addBillingPeriod(projectId: number, seed: BillingPeriodSeed): BillingPeriod {
    this.requireProject(projectId);
    const at = this.stamp();
    const period: BillingPeriod = {
      id: this.nextId(),
      project_id: projectId,
      start_date: seed.start_date,
      end_date: seed.end_date,
      due_date: seed.due_date,
      status: seed.status ?? 'open',
      position: this.billingPeriods(projectId).length + 1,
      created_at: at,
      updated_at: at,
    };
    this.db.billingPeriods.set(period.id, period);
    return period;
  }

  /** Appends a schedule-of-values line to a commitment. */
  addCommitmentLine(
    commitment: Commitment,
    fields: Partial<Omit<CommitmentLineItem, 'id' | 'commitment_id' | 'project_id' | 'position'>> & {
      amount: string;
      wbs_code_id: number;
    },
  ): CommitmentLineItem {
    const at = this.stamp();
    const line: CommitmentLineItem = {
      quantity: null,
      unit_cost: null,
      uom: null,
      extended_type: 'manual',
      description: null,
      tax_code_id: null,
      origin_id: null,
      origin_data: null,
      created_at: at,
      updated_at: at,
      ...fields,
      id: this.nextId(),
      commitment_id: commitment.id,
      project_id: commitment.project_id,
      position: this.commitmentLineItems(commitment.id).length + 1,
    };
    this.db.commitmentLineItems.set(line.id, line);
    return line;
  }

  // ---- lookups -------------------------------------------------------------------------------------

  /** The budget code for a cost code × cost type in a project, if it exists. */
  findBudgetCode(projectId: number, costCodeId: number, costTypeId: number): BudgetCode | undefined {
    for (const b of this.db.budgetCodes.values()) {
      if (b.project_id === projectId && b.cost_code_id === costCodeId && b.line_item_type_id === costTypeId) return b;
    }
    return undefined;
  }

  /** The next free auto-assigned commitment number in a project ("1", "2", …). */
  nextCommitmentNumber(projectId: number): string {
    const taken = new Set(this.commitments(projectId, true).map((c) => c.number));
    let n = taken.size + 1;
    while (taken.has(String(n))) n += 1;
    return String(n);
  }

  /** Whether a vendor is in a project's directory. */
  inProjectDirectory(projectId: number, vendorId: number): boolean {
    return this.db.projectVendors.has(`${projectId}:${vendorId}`);
  }

  // ---- read helpers (sorted by id) --------------------------------------------------------------------

  projects(): Project[] {
    return sorted(this.db.projects.values());
  }

  vendors(): Vendor[] {
    return sorted(this.db.vendors.values());
  }

  /** Ids of the company vendors in a project's directory. */
  projectVendorIds(projectId: number): number[] {
    return [...this.db.projectVendors.values()]
      .filter((l) => l.project_id === projectId)
      .map((l) => l.vendor_id)
      .sort((a, b) => a - b);
  }

  costCodes(projectId: number): CostCode[] {
    return sorted(this.db.costCodes.values()).filter((c) => c.project_id === projectId);
  }

  costTypes(): CostType[] {
    return sorted(this.db.costTypes.values());
  }

  budgetCodes(projectId: number): BudgetCode[] {
    return sorted(this.db.budgetCodes.values()).filter((b) => b.project_id === projectId);
  }

  /** Commitments (deleted ones only with `includeDeleted`). */
  commitments(projectId?: number, includeDeleted = false): Commitment[] {
    return sorted(this.db.commitments.values()).filter(
      (c) => (projectId === undefined || c.project_id === projectId) && (includeDeleted || c.deleted_at === null),
    );
  }

  commitmentLineItems(commitmentId: number): CommitmentLineItem[] {
    return sorted(this.db.commitmentLineItems.values()).filter((l) => l.commitment_id === commitmentId);
  }

  changeOrders(projectId?: number): ChangeOrder[] {
    return sorted(this.db.changeOrders.values()).filter((c) => projectId === undefined || c.project_id === projectId);
  }

  changeOrderLineItems(changeOrderId: number): ChangeOrderLineItem[] {
    return sorted(this.db.changeOrderLineItems.values()).filter((l) => l.change_order_id === changeOrderId);
  }

  billingPeriods(projectId: number): BillingPeriod[] {
    return sorted(this.db.billingPeriods.values()).filter((p) => p.project_id === projectId);
  }

  requisitions(projectId?: number): Requisition[] {
    return sorted(this.db.requisitions.values()).filter((r) => projectId === undefined || r.project_id === projectId);
  }

  requisitionItems(requisitionId: number): RequisitionItem[] {
    return sorted(this.db.requisitionItems.values()).filter((i) => i.requisition_id === requisitionId);
  }

  /** Direct costs (deleted ones only with `includeDeleted`). */
  directCosts(projectId?: number, includeDeleted = false): DirectCost[] {
    return sorted(this.db.directCosts.values()).filter(
      (d) => (projectId === undefined || d.project_id === projectId) && (includeDeleted || d.deleted_at === null),
    );
  }

  directCostLineItems(directCostId: number): DirectCostLineItem[] {
    return sorted(this.db.directCostLineItems.values()).filter((l) => l.direct_cost_id === directCostId);
  }

  private requireProject(projectId: number): Project {
    const project = this.db.projects.get(projectId);
    if (!project) throw new Error(`no project ${projectId}`);
    return project;
  }
}

function sorted<T extends { id: number }>(values: Iterable<T>): T[] {
  return [...values].sort((a, b) => a.id - b.id);
}
