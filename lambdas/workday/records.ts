import * as z from 'zod';
import { isDecimal } from '../shared/money';

/**
 * Canonical Workday records: what the poller validates, enqueues and hashes, and what the mapper reads.
 * Parsed from Get_*_Response XML by `parse.ts`; strict here because these travel in our own messages.
 * Bank and settlement data are not part of them at all; tax IDs only as a hash, plus the EIN/ABN value: in clear as
 * parsed, sealed by the poll before a record is queued or stored (`WorkdayRecord` holds no clear value at all).
 */

const wid = z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character Workday WID');
const decimal = z.string().refine(isDecimal, 'must be a decimal amount');
const date = z.iso.date();

/** A Workday reference: the WID plus business IDs keyed by `wd:type`; `parents` by type where an ID has a parent. */
export const referenceSchema = z.strictObject({
  wid: wid.optional(),
  ids: z.record(z.string(), z.string()),
  parents: z.record(z.string(), z.strictObject({ id: z.string().min(1), type: z.string().optional() })).optional(),
  descriptor: z.string().optional(),
});
export type Reference = z.infer<typeof referenceSchema>;

/**
 * One worktag on a line or split. `type`/`id` is its specific typed ID (the generic Organization_Reference_ID
 * only when it has no other); `otherIds` keeps the rest by type, so a rule on any of them matches.
 */
export const worktagSchema = z.strictObject({
  type: z.string().min(1),
  id: z.string().min(1),
  otherIds: z.record(z.string(), z.string().min(1)).optional(),
  descriptor: z.string().optional(),
});
export type Worktag = z.infer<typeof worktagSchema>;

/** The value of a worktag's ID of `type`, whether that is its specific type or one of its other IDs. */
export function worktagId(worktag: Worktag, type: string): string | undefined {
  return worktag.type === type ? worktag.id : worktag.otherIds?.[type];
}

export const splitSchema = z.strictObject({
  quantity: decimal.optional(),
  extendedAmount: decimal,
  memo: z.string().optional(),
  worktags: z.array(worktagSchema),
});
export type LineSplit = z.infer<typeof splitSchema>;

export const addressSchema = z.strictObject({
  lines: z.array(z.string()),
  city: z.string().optional(),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().optional(),
});
export type Address = z.infer<typeof addressSchema>;

/** A tax ID as parsed; it never leaves the poll stage in this form. */
export const taxIdSchema = z.strictObject({
  type: z.string(),
  /** sha256 of the digits-and-letters of the tax ID (`hashTaxId`): what matching uses. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Clear value, kept only for EIN and ABN, the types Procore may receive; the poll seals it. */
  value: z.string().optional(),
});
export type TaxId = z.infer<typeof taxIdSchema>;

/** What `TaxIdSealer.seal` returns: a version prefix, then base64. */
export const SEALED_TAX_ID = /^v1:[A-Za-z0-9+/]+={0,2}$/;

/** A tax ID as queued and stored: its hash, and an EIN/ABN value only sealed with the customer's key. */
export const sealedTaxIdSchema = z.strictObject({
  type: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  sealed: z.string().regex(SEALED_TAX_ID, 'must be a sealed tax ID').optional(),
  // Never: a parsed tax ID does not type-check where a sealed one is expected, and a stored one is refused.
  value: z.never().optional(),
});
export type SealedTaxId = z.infer<typeof sealedTaxIdSchema>;

export const supplierSchema = z.strictObject({
  kind: z.literal('supplier'),
  wid,
  supplierId: z.string().optional(),
  name: z.string().min(1),
  /** Business_Entity_Status_Value_ID of the latest status, e.g. ACTIVE or INACTIVE. */
  status: z.string().optional(),
  /** Approval_Status_Reference (a Document_Status): its ID, else its descriptor; absent when Workday sends none. */
  approvalStatus: z.string().optional(),
  taxId: taxIdSchema.optional(),
  address: addressSchema.optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  website: z.string().optional(),
  currency: z.string().optional(),
});
export type Supplier = z.infer<typeof supplierSchema>;

/** A supplier as queued, audited and mapped: its tax ID sealed by the poll. */
export const sealedSupplierSchema = supplierSchema.extend({ taxId: sealedTaxIdSchema.optional() });
export type SealedSupplier = z.infer<typeof sealedSupplierSchema>;

export const documentStatusSchema = z.strictObject({
  id: z.string().optional(),
  descriptor: z.string().optional(),
});
export type DocumentStatus = z.infer<typeof documentStatusSchema>;

export const purchaseOrderLineSchema = z.strictObject({
  type: z.enum(['goods', 'service', 'deliverable', 'contingentWorker']),
  /**
   * Goods_Purchase_Order_Line_ID, Service_Order_Line_ID or Deliverables_Order_Line_ID; a contingent-worker line
   * has no ID element, so it is `line-<Line_Number>`.
   */
  lineId: z.string().min(1),
  lineNumber: z.number().int().nonnegative().optional(),
  description: z.string(),
  spendCategory: z.string().optional(),
  quantity: decimal.optional(),
  unitCost: decimal.optional(),
  unitOfMeasure: z.string().optional(),
  extendedAmount: decimal,
  memo: z.string().optional(),
  worktags: z.array(worktagSchema),
  splits: z.array(splitSchema),
});
export type PurchaseOrderLine = z.infer<typeof purchaseOrderLineSchema>;

const charges = {
  taxAmount: decimal.optional(),
  freightAmount: decimal.optional(),
  otherCharges: decimal.optional(),
};

export const purchaseOrderSchema = z.strictObject({
  kind: z.literal('purchaseOrder'),
  wid,
  documentNumber: z.string().min(1),
  status: documentStatusSchema,
  supplier: referenceSchema,
  company: referenceSchema.optional(),
  documentDate: date,
  dueDate: date.optional(),
  currency: z.string().length(3),
  ...charges,
  memo: z.string().optional(),
  lines: z.array(purchaseOrderLineSchema),
});
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;

export const invoiceLineSchema = z.strictObject({
  lineId: z.string().min(1),
  lineOrder: z.string().optional(),
  description: z.string(),
  /** The PO line this invoice line bills: Purchase_Order_Line_ID (and the WID when sent). */
  purchaseOrderLine: referenceSchema.optional(),
  spendCategory: z.string().optional(),
  quantity: decimal.optional(),
  unitCost: decimal.optional(),
  extendedAmount: decimal,
  memo: z.string().optional(),
  worktags: z.array(worktagSchema),
  splits: z.array(splitSchema),
});
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

const invoiceHeader = {
  wid,
  /** Workday's own number (Invoice_Number / adjustment number). */
  invoiceNumber: z.string().min(1),
  /** The supplier's own number (Suppliers_Invoice_Number), preferred in Procore. */
  suppliersInvoiceNumber: z.string().optional(),
  status: documentStatusSchema,
  supplier: referenceSchema,
  company: referenceSchema.optional(),
  currency: z.string().length(3),
  invoiceDate: date,
  dueDate: date.optional(),
  controlTotal: decimal,
  ...charges,
  memo: z.string().optional(),
  lines: z.array(invoiceLineSchema),
};

export const supplierInvoiceSchema = z.strictObject({
  kind: z.literal('invoice'),
  ...invoiceHeader,
});
export type SupplierInvoice = z.infer<typeof supplierInvoiceSchema>;

/** A credit memo (Supplier Invoice Adjustment): `invoiceDate` is its Adjustment_Date. */
export const creditMemoSchema = z.strictObject({
  kind: z.literal('creditMemo'),
  ...invoiceHeader,
  increaseLiability: z.boolean(),
  originalInvoice: referenceSchema.optional(),
  reason: z.string().optional(),
});
export type CreditMemo = z.infer<typeof creditMemoSchema>;

/** A record as queued, audited and mapped (a supplier's tax ID sealed). */
export const workdayRecordSchema = z.discriminatedUnion('kind', [
  sealedSupplierSchema,
  purchaseOrderSchema,
  supplierInvoiceSchema,
  creditMemoSchema,
]);
export type WorkdayRecord = z.infer<typeof workdayRecordSchema>;
export type RecordKind = WorkdayRecord['kind'];

/** A record as the parsers return it: a supplier's EIN/ABN still in clear. */
export type ParsedRecord = Supplier | PurchaseOrder | SupplierInvoice | CreditMemo;

/** The four entity types polled from Workday, in dependency order. */
export const ENTITIES = ['suppliers', 'purchaseOrders', 'invoices', 'creditMemos'] as const;
export type Entity = (typeof ENTITIES)[number];

export const KIND_OF_ENTITY: Record<Entity, RecordKind> = {
  suppliers: 'supplier',
  purchaseOrders: 'purchaseOrder',
  invoices: 'invoice',
  creditMemos: 'creditMemo',
};

/** The record key (README, "Commands"): `supplier:<WID>`, `purchaseOrder:<WID>`, `invoice:<WID>`, `creditMemo:<WID>`. */
export function recordKey(record: Pick<WorkdayRecord, 'kind' | 'wid'>): string {
  return `${record.kind}:${record.wid}`;
}

/** How a PO line is known by its position: `<Document_Number> line <Line_Number>` (also readable in reasons). */
export function poLineNumberKey(documentNumber: string, lineNumber: number): string {
  return `${documentNumber} line ${lineNumber}`;
}

/** The keys a PO line is indexed under for the invoice lines that bill it: its line ID, and its number in the PO. */
export function poLineKeys(documentNumber: string, line: Pick<PurchaseOrderLine, 'lineId' | 'lineNumber'>): string[] {
  return line.lineNumber === undefined
    ? [line.lineId]
    : [line.lineId, poLineNumberKey(documentNumber, line.lineNumber)];
}

/**
 * The keys an invoice line's Purchase_Order_Line_Reference names its PO line by, in the order to try them:
 * Purchase_Order_Line_ID, else Line_Number within its parent Document_Number (v45.1 Cash_Management.wsdl,
 * Purchase_Order_LineObjectIDType: types WID, Line_Number, Purchase_Order_Line_ID; parent_id, parent_type).
 */
export function poLineReferenceKeys(ref: Reference): string[] {
  const keys: string[] = [];
  const id = ref.ids.Purchase_Order_Line_ID;
  if (id !== undefined) keys.push(id);
  const number = /^\+?(\d+)(?:\.0*)?$/.exec(ref.ids.Line_Number ?? '')?.[1];
  const parent = ref.parents?.Line_Number;
  if (number !== undefined && parent !== undefined && (parent.type ?? 'Document_Number') === 'Document_Number') {
    keys.push(poLineNumberKey(parent.id, Number(number)));
  }
  return keys;
}
