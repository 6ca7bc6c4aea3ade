import type { Decimal } from '../../lambdas/shared/money';

/**
 * The simulator's own Workday data model: richer than what the connector keeps, because the simulator
 * has to emit what Workday emits (bank accounts, every tax ID, address history…) so tests can prove the
 * connector drops or ignores it. Amounts are decimal strings; dates are `YYYY-MM-DD` in tenant time.
 */

/** A reference to a Workday instance with one business ID (its type is implied by where it is used). */
export interface Ref {
  wid: string;
  id: string;
  descriptor: string;
}

/** Worktag types are Accounting_Worktag reference-ID types (v45.1 enumeration); open-ended on purpose. */
export type WorktagType =
  | 'Project_ID'
  | 'Cost_Center_Reference_ID'
  | 'Region_Reference_ID'
  | 'Fund_ID'
  | 'Grant_ID'
  | 'Location_ID'
  | 'Business_Unit_ID'
  | 'Organization_Reference_ID'
  | 'Custom_Organization_Reference_ID'
  | `Custom_Worktag_${number}_ID`
  | (string & {});

/** One worktag on a line or split; its type is the `wd:type` of the non-WID ID. */
export interface Worktag {
  type: WorktagType;
  id: string;
  wid: string;
  descriptor: string;
}

/** A line split (Business_Document_Line_Split_Data / Supplier_Invoice_Line_Split_Data). */
export interface LineSplit {
  wid: string;
  splitId: string;
  quantity?: Decimal;
  extendedAmount: Decimal;
  memo?: string;
  worktags: Worktag[];
}

/** One Tax_ID_Data entry of a supplier. */
/** A supplier as Get_Suppliers returns it. */
export interface SupplierTaxId {
  /** Tax_ID_Type reference ID, e.g. `USA-EIN`, `USA-SSN`, `AUS-ABN`, `GBR-VATREGNO`. */
  type: string;
  typeDescriptor: string;
  value: string;
  primary: boolean;
  transactionTaxId: boolean;
}

/** One Address_Data entry (a supplier can have an address history). */
export interface SupplierAddress {
  wid: string;
  addressId: string;
  /** `wd:Effective_Date`; several addresses with different dates form the address history. */
  effectiveDate: string;
  lastModified: number;
  lines: string[];
  city?: string;
  /** Country_Region_ID, e.g. `USA-CA`. */
  regionId?: string;
  regionDescriptor?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  /** Communication_Usage_Type_ID, e.g. BUSINESS, REMIT, WORK. */
  usage: string;
  primary: boolean;
}

/** One Phone_Data entry. */
export interface SupplierPhone {
  /** ISO 3166-1 alpha-2 of the phone's country. */
  countryCode: string;
  internationalCode: string;
  areaCode?: string;
  number: string;
  extension?: string;
  /** Phone_Device_Type_ID, e.g. Landline, Mobile, Fax. */
  deviceType: string;
  usage: string;
  primary: boolean;
}

/** One Email_Address_Data entry. */
export interface SupplierEmail {
  address: string;
  usage: string;
  primary: boolean;
}

/** Bank details: present so tests can prove the connector never keeps them. */
export interface SettlementAccount {
  accountId: string;
  countryCode: string;
  currency: string;
  nickname?: string;
  /** Bank_Account_Type_ID, e.g. DDA (checking) or SA (savings). */
  accountType: string;
  bankName: string;
  routingNumber?: string;
  branchId?: string;
  accountNumber: string;
  accountName: string;
  iban?: string;
  swift?: string;
  inactive: boolean;
}

/** One entry of the supplier's status history; the last one is current. */
export interface SupplierStatus {
  /** Business_Entity_Status_Value_ID: ACTIVE, INACTIVE… */
  status: string;
  descriptor: string;
  reason?: Ref;
  reasonDescription?: string;
}

export interface Supplier {
  wid: string;
  supplierId?: string;
  supplierReferenceId?: string;
  name: string;
  worktagOnly: boolean;
  /** Document_Status_ID of the supplier's approval, e.g. APPROVED. */
  approvalStatus?: Ref;
  irs1099: boolean;
  taxIds: SupplierTaxId[];
  category?: Ref;
  paymentTerms?: Ref;
  /** Payment_Type_ID values. */
  paymentTypesAccepted: Ref[];
  defaultPaymentType?: Ref;
  addresses: SupplierAddress[];
  phones: SupplierPhone[];
  emails: SupplierEmail[];
  websites: string[];
  settlementAccounts: SettlementAccount[];
  statusHistory: SupplierStatus[];
  /** ISO 4217. */
  currency?: string;
  acceptedCurrencies: string[];
}

/** How documents point at their supplier (Supplier_Reference / Resource_Provider). */
export interface SupplierLink {
  wid: string;
  supplierId?: string;
  supplierReferenceId?: string;
  name: string;
}

/** Document_Status or Document_Payment_Status value: data, not an enum (e.g. ISSUED / "Issued"). */
export interface StatusValue {
  id: string;
  descriptor: string;
}

/** A PO goods line (Goods_Line_Data). */
export interface GoodsLine {
  wid: string;
  /** Goods_Purchase_Order_Line_ID. */
  lineId: string;
  lineNumber: number;
  itemDescription: string;
  /** Resource_Category_Reference (Spend_Category_ID). */
  spendCategory?: Ref;
  quantity: Decimal;
  /** UN/CEFACT common code, e.g. EA, HUR. */
  unitOfMeasure?: string;
  unitCost: Decimal;
  extendedAmount: Decimal;
  dueDate?: string;
  memo?: string;
  worktags: Worktag[];
  /** Worktags sent in Purchase_Order_Line_Worktags_Data (v44-era responses) rather than Worktags_Reference. */
  lineWorktagsData?: Worktag[];
  splits: LineSplit[];
}

/** A PO service line (Service_Line_Data): no quantity or unit cost. */
export interface ServiceLine {
  wid: string;
  /** Service_Order_Line_ID. */
  lineId: string;
  lineNumber: number;
  description: string;
  spendCategory?: Ref;
  extendedAmount: Decimal;
  startDate?: string;
  endDate?: string;
  memo?: string;
  worktags: Worktag[];
  lineWorktagsData?: Worktag[];
  splits: LineSplit[];
}

/** A PO deliverables line (Deliverables_Line_Data, Project-Based_Order_Line): an amount for a project, no description. */
export interface DeliverableLine {
  wid: string;
  /** Deliverables_Order_Line_ID. */
  lineId: string;
  lineNumber: number;
  /** Project_Reference (Project_ID). */
  project?: Ref;
  memo?: string;
  spendCategory?: Ref;
  extendedAmount: Decimal;
  worktags: Worktag[];
  lineWorktagsData?: Worktag[];
  splits: LineSplit[];
}

/** A PO contingent-worker line (Contingent_Worker_Line_Data): it has no line ID element, only its Line_Number. */
export interface ContingentWorkerLine {
  wid: string;
  lineNumber: number;
  /** Contingent_Worker_Reference (Contingent_Worker_ID). */
  worker: Ref;
  startDate?: string;
  endDate?: string;
  scheduledHours?: Decimal;
  payRate?: Decimal;
  extendedAmount: Decimal;
  spendCategory?: Ref;
  worktags: Worktag[];
  memo?: string;
}

/** A purchase order as Get_Purchase_Orders returns it. */
export interface PurchaseOrder {
  wid: string;
  purchaseOrderId: string;
  documentNumber: string;
  status: StatusValue;
  company: Ref;
  supplier: SupplierLink;
  documentDate: string;
  dueDate?: string;
  currency: string;
  taxAmount?: Decimal;
  freightAmount?: Decimal;
  otherCharges?: Decimal;
  paymentTerms?: Ref;
  memo?: string;
  goodsLines: GoodsLine[];
  serviceLines: ServiceLine[];
  deliverableLines: DeliverableLine[];
  contingentWorkerLines: ContingentWorkerLine[];
}

/** A PO line an invoice line can bill by its line ID: goods, service and deliverables lines, in Line_Number order. */
export function identifiedLines(po: PurchaseOrder): (GoodsLine | ServiceLine | DeliverableLine)[] {
  return [...po.goodsLines, ...po.serviceLines, ...po.deliverableLines].sort((a, b) => a.lineNumber - b.lineNumber);
}

/** `identifiedLines`, each with every worktag it is sent with: Worktags_Reference and Purchase_Order_Line_Worktags_Data. */
export function costedLines(po: PurchaseOrder): (GoodsLine | ServiceLine | DeliverableLine)[] {
  return identifiedLines(po).map((line) => ({
    ...line,
    worktags: [...line.worktags, ...(line.lineWorktagsData ?? [])],
  }));
}

/** The PO line an invoice line bills, with enough context to render either Purchase_Order_Line_ID style. */
export interface PurchaseOrderLineLink {
  wid: string;
  /** The PO's Goods_Purchase_Order_Line_ID / Service_Order_Line_ID / Deliverables_Order_Line_ID. */
  lineId: string;
  purchaseOrderWid: string;
  documentNumber: string;
  lineNumber: number;
}

/** An Invoice_Line_Replacement_Data entry (invoices and credit memos). */
export interface InvoiceLine {
  /** Supplier_Invoice_Line_ID. */
  lineId: string;
  lineOrder?: string;
  itemDescription: string;
  purchaseOrderLine?: PurchaseOrderLineLink;
  spendCategory?: Ref;
  quantity?: Decimal;
  unitCost?: Decimal;
  extendedAmount: Decimal;
  memo?: string;
  worktags: Worktag[];
  billable?: boolean;
  splits: LineSplit[];
}

interface PayableDocument {
  wid: string;
  /** Workday's own number. */
  invoiceNumber: string;
  /** Document_Status (filterable with Invoice_Status_Reference). */
  status: StatusValue;
  /** Document_Payment_Status (filterable with Payment_Status_Reference; not an output field). */
  paymentStatus: StatusValue;
  company: Ref;
  currency: string;
  supplier: SupplierLink;
  /** A contingent worker's invoice: Contingent_Worker_Reference is sent instead of Supplier_Reference. */
  contingentWorker?: Ref;
  dueDate?: string;
  taxAmount?: Decimal;
  freightAmount?: Decimal;
  otherCharges?: Decimal;
  paymentTerms?: Ref;
  onHold: boolean;
  memo?: string;
  lines: InvoiceLine[];
}

/** A supplier invoice as Get_Supplier_Invoices returns it. */
export interface SupplierInvoice extends PayableDocument {
  /** Supplier_Invoice_ID, also the Supplier_Invoice_Reference_ID. */
  supplierInvoiceId: string;
  /** The supplier's own invoice number (Suppliers_Invoice_Number). */
  suppliersInvoiceNumber?: string;
  invoiceDate: string;
  controlAmountTotal: Decimal;
}

/** A credit memo (Supplier_Invoice_Adjustment). */
export interface InvoiceAdjustment extends PayableDocument {
  /** Supplier_Invoice_Adjustment_ID, also the Supplier_Invoice_Adjustment_Reference_ID. */
  adjustmentId: string;
  /** The supplier's own credit-memo number (Supplier_Reference_Number in the outline). */
  suppliersInvoiceNumber?: string;
  adjustmentDate: string;
  controlTotalAmount: Decimal;
  increaseLiability: boolean;
  adjustmentReason?: Ref;
  originalInvoice?: { wid: string; supplierInvoiceId: string; descriptor: string };
}
