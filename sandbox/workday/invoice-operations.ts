import {
  allOf,
  type CriteriaScope,
  dateRange,
  type Predicate,
  referenceFilter,
  statusFilter,
  supplierExists,
  unresolvedReferences,
} from './criteria';
import type { InvoiceAdjustment, InvoiceLine, PurchaseOrderLineLink, SupplierInvoice } from './data';
import { readReferenceList } from './get-request';
import { defineOperation, type OperationSpec } from './operation';
import {
  companyIds,
  companyReference,
  currencyReference,
  refOf,
  splitData,
  statusIds,
  statusReference,
  supplierIds,
  supplierReference,
  worktagReferences,
} from './render-common';
import type { ValidationIssue } from './soap-faults';
import type { WorkdayStore } from './store';
import { childText, parseBoolean, type XmlNode } from './xml-read';
import { bool, escapeAttr, escapeText, leaf, node, type RenderContext, reference, type Xml } from './xml-writer';

/**
 * Get_Supplier_Invoices and Get_Supplier_Invoice_Adjustments (credit memos). Neither has an "updated"
 * criterion; both filter on document dates, statuses and parties, and share Invoice_Line_Replacement_Data.
 */

const INVOICE_CRITERIA = [
  'Supplier_Reference',
  'Company_Reference',
  'Supplier_Status_Reference',
  'Invoice_Date_On_or_After',
  'Invoice_Date_On_or_Before',
  'Purchase_Order_Reference',
  'Supplier_Hierarchy_Reference',
  'Invoice_On_Hold',
  'Intercompany_Invoice',
  'Payment_Status_Reference',
  'Invoice_Due_Date_On_or_After',
  'Invoice_Due_Date_On_or_Before',
  'Created_By_Worker_Reference',
  'Approving_Worker_Reference',
  'External_PO_Number',
  'Invoice_Status_Reference',
] as const;

const ADJUSTMENT_CRITERIA = [
  'Company_Reference',
  'Supplier_Reference',
  'Supplier_Status_Reference',
  'Invoice_Date_On_or_After',
  'Invoice_Date_On_or_Before',
  'Purchase_Order_Reference',
  'Supplier_Hierarchy_Reference',
  'Invoice_On_Hold',
  'Intercompany_Invoice',
  'Payment_Status_Reference',
  'Adjustment_Reasons_Reference',
  'Invoice_Due_Date_On_or_After',
  'Invoice_Due_Date_On_or_Before',
  'Created_By_Worker_Reference',
  'Approving_Worker_Reference',
  'External_PO_Number',
  'Invoice_Status_Reference',
] as const;

type Payable = SupplierInvoice | InvoiceAdjustment;

/** Criteria both operations share; `documentDate` is Invoice_Date or Adjustment_Date. */
function payableCriteria<T extends Payable>(
  criteria: XmlNode,
  scope: CriteriaScope,
  issues: ValidationIssue[],
  store: WorkdayStore,
  documentDate: (record: T) => string,
): Predicate<T>[] {
  issues.push(
    ...unresolvedReferences(
      readReferenceList(criteria, 'Supplier_Reference'),
      'Supplier_Reference',
      supplierExists(store, scope.asOf),
      scope,
    ),
  );
  const onHold = parseBoolean(childText(criteria, 'Invoice_On_Hold'));
  const purchaseOrder = readReferenceList(criteria, 'Purchase_Order_Reference');
  return [
    referenceFilter(criteria, 'Supplier_Reference', (r: T) => [['WID', r.supplier.wid], ...supplierIds(r.supplier)]),
    referenceFilter(criteria, 'Company_Reference', (r: T) => companyIds(r.company)),
    dateRange(criteria, ['Invoice_Date_On_or_After', 'Invoice_Date_On_or_Before'], documentDate, scope, issues),
    dateRange(
      criteria,
      ['Invoice_Due_Date_On_or_After', 'Invoice_Due_Date_On_or_Before'],
      (r: T) => r.dueDate,
      scope,
      issues,
    ),
    referenceFilter(criteria, 'Payment_Status_Reference', (r: T) =>
      statusIds(r.paymentStatus.id, 'Document_Payment_Status_ID'),
    ),
    statusFilter(criteria, 'Invoice_Status_Reference', (r: T) => r.status, scope),
    onHold === undefined ? () => true : ({ record }) => record.onHold === onHold,
    purchaseOrder.length === 0
      ? () => true
      : ({ record }) =>
          purchaseOrder.some((ref) =>
            ref.ids.some((id) =>
              record.lines.some((line) => {
                const po = line.purchaseOrderLine;
                if (!po) return false;
                return id.type === 'WID' ? po.purchaseOrderWid === id.value : po.documentNumber === id.value;
              }),
            ),
          ),
  ];
}

const invoiceSpec: OperationSpec<SupplierInvoice> = {
  name: 'Get_Supplier_Invoices',
  itemElement: 'Supplier_Invoice',
  referenceElement: 'Supplier_Invoice_Reference',
  criteriaType: 'Supplier_Invoice_Request_Criteria',
  idTypes: ['WID', 'Supplier_Invoice_Reference_ID'],
  criteriaElements: INVOICE_CRITERIA,
  hasAmounts: true,
  table: (store) => store.invoices,
  ids: (inv) => [['Supplier_Invoice_Reference_ID', inv.supplierInvoiceId]],
  descriptor: (inv) => `Supplier Invoice: ${inv.invoiceNumber}`,
  criteria(criteria, scope, issues, store) {
    // Supplier status, hierarchy, intercompany, workers and External_PO_Number are not modelled: accepted, not applied.
    return allOf(payableCriteria<SupplierInvoice>(criteria, scope, issues, store, (inv) => inv.invoiceDate));
  },
  data: (inv, ctx) =>
    node('Supplier_Invoice_Data', [
      leaf('Supplier_Invoice_ID', inv.supplierInvoiceId),
      leaf('Locked_in_Workday', bool(ctx, false)),
      leaf('Invoice_Number', inv.invoiceNumber),
      statusReference('Invoice_Document_Status_Reference', ctx, inv.status, 'Document_Status_ID'),
      companyReference(ctx, inv.company),
      currencyReference('Currency_Reference', ctx, inv.currency),
      payee(inv, ctx),
      leaf('Invoice_Date', ctx.date(inv.invoiceDate)),
      leaf('Due_Date_Override', ctx.date(inv.dueDate)),
      leaf('On_Hold', bool(ctx, inv.onHold)),
      leaf('Control_Amount_Total', inv.controlAmountTotal),
      leaf('Tax_Amount', inv.taxAmount),
      leaf('Freight_Amount', inv.freightAmount),
      leaf('Other_Charges', inv.otherCharges),
      // Newer versions carry the supplier's number here, where the outline had Supplier_Reference_Number.
      leaf('Suppliers_Invoice_Number', inv.suppliersInvoiceNumber),
      leaf('Memo', inv.memo),
      refOf('Payment_Terms_Reference', ctx, inv.paymentTerms, 'Payment_Terms_ID'),
      ...inv.lines.map((line) => invoiceLine(line, ctx)),
    ]),
};

const adjustmentSpec: OperationSpec<InvoiceAdjustment> = {
  name: 'Get_Supplier_Invoice_Adjustments',
  itemElement: 'Supplier_Invoice_Adjustment',
  referenceElement: 'Supplier_Invoice_Adjustment_Reference',
  criteriaType: 'Supplier_Invoice_Adjustment_Request_Criteria',
  idTypes: ['WID', 'Supplier_Invoice_Adjustment_Reference_ID'],
  criteriaElements: ADJUSTMENT_CRITERIA,
  hasAmounts: true,
  table: (store) => store.adjustments,
  ids: (adj) => [['Supplier_Invoice_Adjustment_Reference_ID', adj.adjustmentId]],
  descriptor: (adj) => `Supplier Invoice Adjustment: ${adj.invoiceNumber}`,
  criteria(criteria, scope, issues, store) {
    const predicates = payableCriteria<InvoiceAdjustment>(criteria, scope, issues, store, (adj) => adj.adjustmentDate);
    predicates.push(
      referenceFilter(criteria, 'Adjustment_Reasons_Reference', (adj) =>
        adj.adjustmentReason ? [['WID', adj.adjustmentReason.wid]] : [],
      ),
    );
    return allOf(predicates);
  },
  data: (adj, ctx) =>
    node('Supplier_Invoice_Adjustment_Data', [
      leaf('Supplier_Invoice_Adjustment_ID', adj.adjustmentId),
      leaf('Locked_in_Workday', bool(ctx, false)),
      leaf('Invoice_Number', adj.invoiceNumber),
      companyReference(ctx, adj.company),
      currencyReference('Currency_Reference', ctx, adj.currency),
      payee(adj, ctx),
      leaf('Increase_Liability', bool(ctx, adj.increaseLiability)),
      refOf('Adjustment_Reason_Reference', ctx, adj.adjustmentReason, 'Adjustment_Reason_ID'),
      leaf('Adjustment_Date', ctx.date(adj.adjustmentDate)),
      leaf('Due_Date_Override', ctx.date(adj.dueDate)),
      leaf('Control_Total_Amount', adj.controlTotalAmount),
      leaf('Tax_Amount', adj.taxAmount),
      leaf('Freight_Amount', adj.freightAmount),
      leaf('Other_Charges', adj.otherCharges),
      adj.originalInvoice
        ? reference(
            'Original_Invoice_Reference',
            ctx,
            adj.originalInvoice.wid,
            [['Supplier_Invoice_Reference_ID', adj.originalInvoice.supplierInvoiceId]],
            adj.originalInvoice.descriptor,
          )
        : '',
      refOf('Payment_Terms_Reference', ctx, adj.paymentTerms, 'Payment_Terms_ID'),
      leaf('On_Hold', bool(ctx, adj.onHold)),
      leaf('Supplier_Reference_Number', adj.suppliersInvoiceNumber),
      leaf('Document_Memo', adj.memo),
      ...adj.lines.map((line) => invoiceLine(line, ctx)),
    ]),
};

/** The Get_Supplier_Invoices operation. */
export const getSupplierInvoices = defineOperation(invoiceSpec);
/** The Get_Supplier_Invoice_Adjustments operation (credit memos). */
export const getSupplierInvoiceAdjustments = defineOperation(adjustmentSpec);

/** The schema's choice: Contingent_Worker_Reference for a worker's own invoice, else Supplier_Reference. */
function payee(doc: Payable, ctx: RenderContext): Xml {
  return doc.contingentWorker
    ? refOf('Contingent_Worker_Reference', ctx, doc.contingentWorker, 'Contingent_Worker_ID')
    : supplierReference('Supplier_Reference', ctx, doc.supplier);
}

/** Purchase_Order_Line_Reference: the WID, then Purchase_Order_Line_ID, or Line_Number within the PO's Document_Number. */
function purchaseOrderLineReference(link: PurchaseOrderLineLink, ctx: RenderContext): Xml {
  const descriptor = `${link.documentNumber} - Line ${link.lineNumber}`;
  if (ctx.poLineReferencesByLineNumber && Number.parseInt(link.wid.slice(-2), 16) % 3 === 0) {
    const ids = [
      `<wd:ID wd:type="WID">${escapeText(link.wid)}</wd:ID>`,
      `<wd:ID wd:type="Line_Number" wd:parent_id="${escapeAttr(link.documentNumber)}" wd:parent_type="Document_Number">${link.lineNumber}</wd:ID>`,
    ];
    return node('Purchase_Order_Line_Reference', ids, { 'wd:Descriptor': ctx.descriptors ? descriptor : undefined });
  }
  const id = ctx.poLineIdMatchesInvoiceReference ? link.lineId : `${link.documentNumber}-${link.lineNumber}`;
  return reference('Purchase_Order_Line_Reference', ctx, link.wid, [['Purchase_Order_Line_ID', id]], descriptor);
}

function invoiceLine(line: InvoiceLine, ctx: RenderContext): Xml {
  return node('Invoice_Line_Replacement_Data', [
    leaf('Supplier_Invoice_Line_ID', line.lineId),
    leaf('Line_Order', line.lineOrder),
    leaf('Item_Description', line.itemDescription),
    line.purchaseOrderLine ? purchaseOrderLineReference(line.purchaseOrderLine, ctx) : '',
    refOf('Spend_Category_Reference', ctx, line.spendCategory, 'Spend_Category_ID'),
    leaf('Quantity', line.quantity),
    leaf('Unit_Cost', line.unitCost),
    leaf('Extended_Amount', line.extendedAmount),
    leaf('Memo', line.memo),
    ...worktagReferences('Worktags_Reference', ctx, line.worktags),
    leaf('Billable', bool(ctx, line.billable)),
    ...line.splits.map((split) =>
      splitData(
        'Supplier_Invoice_Split_Line_Data',
        'Supplier_Invoice_Line_Split_Reference',
        'Supplier_Invoice_Line_Split_ID',
        ctx,
        split,
      ),
    ),
  ]);
}
