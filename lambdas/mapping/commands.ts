import type { CustomerConfig } from '../config/schema';
import type { Decimal } from '../shared/money';
import type { Reference } from '../workday/records';

/** The Procore objects the mapper produces commands for. */
export type ProcoreResource = 'vendor' | 'commitment' | 'commitmentLine' | 'changeOrder' | 'requisition' | 'directCost';

/** A budget code by its parts; the writer resolves it to `wbs_code_id` in the command's project. */
export interface BudgetCodeRef {
  /** Procore cost code `full_code`. */
  costCode: string;
  /** Procore cost type `code`. */
  costType: string;
}

/** Procore purchase order contract statuses (title case, as the API wants them). */
export type PurchaseOrderStatus = CustomerConfig['purchaseOrders']['statusMap'][string];

/** Procore vendor fields, snake_case, exactly as sent (but the tax ID, which the writer opens into `identifier`). */
export interface VendorPayload {
  name: string;
  origin_id: string;
  origin_code?: string;
  origin_data: string;
  is_active: boolean;
  address?: string;
  city?: string;
  zip?: string;
  state_code?: string;
  country_code?: string;
  business_phone?: string;
  email_address?: string;
  website?: string;
  business_register_attributes?: { type: 'EIN' | 'ABN'; sealed: string };
}

/** Create or update one company vendor, matched first by origin id, then tax id hash, then normalised name. */
export interface VendorCommand {
  resource: 'vendor';
  originId: string;
  payload: VendorPayload;
  match: { taxIdHash?: string; normalizedName: string };
}

/** One schedule-of-values line of a purchase order contract. */
export interface CommitmentLine {
  originId: string;
  amount: Decimal;
  description: string;
  budgetCode: BudgetCodeRef;
  /** How project, cost code and cost type were chosen, for dry-run plans. */
  rule: string;
}

/** Header fields of a purchase order contract, snake_case as sent. */
export interface CommitmentHeader {
  title: string;
  status: PurchaseOrderStatus;
  origin_code: string;
  accounting_method: 'amount';
  description?: string;
  contract_date?: string;
  delivery_date?: string;
}

/**
 * The currency of a document's command: the writer checks it against the Procore project's before writing,
 * since the mapper runs without Procore.
 */
export interface DocumentCurrency {
  /** The Workday document's ISO 4217 currency. */
  currency: string;
  /** `mapping.projects[].currency` of the command's project: used only when Procore has no currency configured. */
  configuredProjectCurrency?: string;
}

/** A header charge that `mapping.charges.costCode: null` keeps out of Procore; shown by `report`. */
export interface LeftOutCharge {
  kind: ChargeKind;
  amount: Decimal;
  procoreProjectId: number;
}

/** The three header charges of a Workday document. */
export type ChargeKind = 'tax' | 'freight' | 'other';

/** Create or update one purchase order contract (one per Procore project a PO's lines map to). */
export interface CommitmentCommand extends DocumentCurrency {
  resource: 'commitment';
  /** `<poWID>:<procoreProjectId>` */
  originId: string;
  procoreProjectId: number;
  /** The supplier WID, which is the vendor's origin id. */
  vendorOriginId: string;
  number: string;
  header: CommitmentHeader;
  lines: CommitmentLine[];
  chargesLeftOut?: LeftOutCharge[];
}

/** One requisition item: what this invoice bills on one SOV line. */
export interface RequisitionItem {
  commitmentLineOriginId: string;
  /** `work_completed_this_period` */
  amount: Decimal;
}

/** Create one requisition (subcontractor invoice) on one commitment. */
export interface RequisitionCommand extends DocumentCurrency {
  resource: 'requisition';
  /** `<invoiceWID>:<poWID>:<procoreProjectId>` */
  originId: string;
  procoreProjectId: number;
  /** `<poWID>:<procoreProjectId>` */
  commitmentOriginId: string;
  vendorOriginId: string;
  invoiceNumber: string;
  billingDate: string;
  periodStart?: string;
  periodEnd?: string;
  items: RequisitionItem[];
  chargesLeftOut?: LeftOutCharge[];
}

/** One direct cost line on a budget code. */
export interface DirectCostLine {
  originId: string;
  amount: Decimal;
  description: string;
  budgetCode: BudgetCodeRef;
  rule: string;
}

/** Create or update one direct cost of type invoice in one project. */
export interface DirectCostCommand extends DocumentCurrency {
  resource: 'directCost';
  /** `<invoiceWID>:<procoreProjectId>` or `<invoiceWID>:<procoreProjectId>:charges` */
  originId: string;
  procoreProjectId: number;
  vendorOriginId: string;
  invoiceNumber: string;
  directCostDate: string;
  receivedDate?: string;
  description?: string;
  lines: DirectCostLine[];
  chargesLeftOut?: LeftOutCharge[];
}

/** One line of a commitment change order: the difference on one PO line. */
export interface ChangeOrderLine {
  lineOriginId: string;
  amount: Decimal;
  /** The PO line's description behind its marker, `[Workday line <ref>] …` (see `changeOrderLineDescription`). */
  description: string;
  budgetCode: BudgetCodeRef;
}

/** A commitment change order carrying the differences of a PO whose contract is already Approved. */
export interface ChangeOrderCommand {
  resource: 'changeOrder';
  /** `<poWID>:<procoreProjectId>:co:<n>`: its `number` in Procore, where change orders have no `origin_id`. */
  number: string;
  procoreProjectId: number;
  commitmentOriginId: string;
  title: string;
  lines: ChangeOrderLine[];
}

/** Every command the mapper emits for the writer. */
export type WriteCommand = VendorCommand | CommitmentCommand | RequisitionCommand | DirectCostCommand;

/** What mapping one Workday record gives. */
export type MapResult =
  | { outcome: 'mapped'; key: string; commands: WriteCommand[]; mappedHash: string }
  | { outcome: 'skipped'; key: string; reason: string }
  | { outcome: 'quarantined'; key: string; reason: string }
  | { outcome: 'waiting'; key: string; dependency: string; reason: string };

/** What a PO line became in Procore: one part per SOV line (more than one when the line was split). */
export interface PoLineInfo {
  purchaseOrderWid: string;
  lineId: string;
  parts: { procoreProjectId: number; commitmentLineOriginId: string; amount: Decimal }[];
}

/** Read-only facts from earlier syncs that mapping an invoice needs. */
export interface MappingContext {
  poLines: (lineRef: Reference) => PoLineInfo | undefined;
}
