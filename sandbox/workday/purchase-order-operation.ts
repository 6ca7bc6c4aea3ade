import {
  allOf,
  dateRange,
  type Predicate,
  referenceFilter,
  supplierExists,
  unresolvedReferences,
  updatedWindow,
} from './criteria';
import {
  type ContingentWorkerLine,
  type DeliverableLine,
  type GoodsLine,
  identifiedLines,
  type PurchaseOrder,
  type ServiceLine,
  type Worktag,
} from './data';
import { readReferenceList } from './get-request';
import { defineOperation, type OperationSpec } from './operation';
import { derivedWid, unitDescriptor } from './reference-data';
import {
  companyIds,
  companyReference,
  currencyReference,
  refOf,
  splitData,
  statusReference,
  supplierIds,
  supplierReference,
  worktagReferences,
} from './render-common';
import { childText } from './xml-read';
import { bool, type IdPair, leaf, node, type RenderContext, reference, type Xml } from './xml-writer';

/** Get_Purchase_Orders: header, then the lines by type in schema order: goods, deliverables, service, contingent worker. */

const CRITERIA = [
  'Organization_Reference',
  'Supplier_Reference',
  'Purchase_Order_Number',
  'Purchase_Order_Date_On_or_After',
  'Purchase_Order_Date_On_or_Before',
  'Due_Date_On_or_After',
  'Due_Date_On_or_Before',
  'Updated_From_Date',
  'Updated_To_Date',
  'Purchase_Order_Change_Type_Reference',
  'Issue_Option_Reference',
  'Supplier_Contract_Reference',
  'Requisition_Reference',
  'Requesting_Worker_Reference',
  'Supplier_Invoice_Reference',
  'Creating_Worker_Reference',
  'Approving_Worker_Reference',
  'Worktag_Reference',
] as const;

const spec: OperationSpec<PurchaseOrder> = {
  name: 'Get_Purchase_Orders',
  itemElement: 'Purchase_Order',
  referenceElement: 'Purchase_Order_Reference',
  criteriaType: 'Purchase_Order_Request_Criteria',
  idTypes: ['WID', 'Document_Number'],
  criteriaElements: CRITERIA,
  hasAmounts: true,
  table: (store) => store.purchaseOrders,
  ids: (po) => [['Document_Number', po.documentNumber]],
  descriptor: (po) => po.documentNumber,
  criteria(criteria, scope, issues, store) {
    issues.push(
      ...unresolvedReferences(
        readReferenceList(criteria, 'Supplier_Reference'),
        'Supplier_Reference',
        supplierExists(store, scope.asOf),
        scope,
      ),
    );
    const number = childText(criteria, 'Purchase_Order_Number')?.trim();
    const predicates: Predicate<PurchaseOrder>[] = [
      updatedWindow(criteria, scope, issues),
      referenceFilter(criteria, 'Organization_Reference', (po) => companyIds(po.company)),
      referenceFilter(criteria, 'Supplier_Reference', (po) => [['WID', po.supplier.wid], ...supplierIds(po.supplier)]),
      number ? ({ record }) => record.documentNumber === number : () => true,
      dateRange(
        criteria,
        ['Purchase_Order_Date_On_or_After', 'Purchase_Order_Date_On_or_Before'],
        (po) => po.documentDate,
        scope,
        issues,
      ),
      dateRange(criteria, ['Due_Date_On_or_After', 'Due_Date_On_or_Before'], (po) => po.dueDate, scope, issues),
      referenceFilter(criteria, 'Worktag_Reference', (po) =>
        worktagsOf(po).flatMap((w): IdPair[] => [
          ['WID', w.wid],
          [w.type, w.id],
        ]),
      ),
    ];
    // Change types, issue options, contracts, requisitions and workers are not modelled: accepted, not applied.
    return allOf(predicates);
  },
  data: (po, ctx) => purchaseOrderData(po, ctx),
};

/** Every worktag of a PO: on its lines of all types and on their splits. */
function worktagsOf(po: PurchaseOrder): Worktag[] {
  return [
    ...identifiedLines(po).flatMap((line) => [
      ...line.worktags,
      ...(line.lineWorktagsData ?? []),
      ...line.splits.flatMap((split) => split.worktags),
    ]),
    ...po.contingentWorkerLines.flatMap((line) => line.worktags),
  ];
}

/** The Get_Purchase_Orders operation. */
export const getPurchaseOrders = defineOperation(spec);

function purchaseOrderData(po: PurchaseOrder, ctx: RenderContext): Xml {
  return node('Purchase_Order_Data', [
    leaf('Purchase_Order_ID', po.purchaseOrderId),
    leaf('Locked_in_Workday', bool(ctx, false)),
    leaf('Document_Number', po.documentNumber),
    statusReference('Purchase_Order_Document_Status_Reference', ctx, po.status, 'Document_Status_ID'),
    companyReference(ctx, po.company),
    supplierReference('Supplier_Reference', ctx, po.supplier),
    leaf('Document_Date', ctx.date(po.documentDate)),
    leaf('Tax_Amount', po.taxAmount),
    leaf('Freight_Amount', po.freightAmount),
    leaf('Other_Charges', po.otherCharges),
    refOf('Payment_Terms_Reference', ctx, po.paymentTerms, 'Payment_Terms_ID'),
    leaf('Due_Date', ctx.date(po.dueDate)),
    currencyReference('Currency_Reference', ctx, po.currency),
    leaf('Memo', po.memo),
    ...po.goodsLines.map((line) => goodsLine(line, ctx)),
    ...po.deliverableLines.map((line) => deliverableLine(line, ctx)),
    ...po.serviceLines.map((line) => serviceLine(line, ctx)),
    ...po.contingentWorkerLines.map((line) => contingentWorkerLine(line, ctx)),
  ]);
}

/**
 * A PO line's worktags: Worktags_Reference, then Purchase_Order_Line_Worktags_Data as v44-era responses carry it
 * (position inferred), or all in Worktags_Reference under the older shape.
 */
function lineWorktags(ctx: RenderContext, line: { worktags: Worktag[]; lineWorktagsData?: Worktag[] }): Xml[] {
  const extra = line.lineWorktagsData ?? [];
  if (!ctx.poLineWorktagsData) return worktagReferences('Worktags_Reference', ctx, [...line.worktags, ...extra]);
  return [
    ...worktagReferences('Worktags_Reference', ctx, line.worktags),
    extra.length === 0
      ? ''
      : node('Purchase_Order_Line_Worktags_Data', worktagReferences('Worktag_Reference', ctx, extra)),
  ];
}

function goodsLine(line: GoodsLine, ctx: RenderContext): Xml {
  return node('Goods_Line_Data', [
    leaf('Goods_Purchase_Order_Line_ID', line.lineId),
    leaf('Line_Number', String(line.lineNumber)),
    leaf('Item_Description', line.itemDescription),
    refOf('Resource_Category_Reference', ctx, line.spendCategory, 'Spend_Category_ID'),
    leaf('Quantity', line.quantity),
    line.unitOfMeasure
      ? reference(
          'Unit_of_Measure_Reference',
          ctx,
          derivedWid('UN_CEFACT_Common_Code_ID', line.unitOfMeasure),
          [['UN_CEFACT_Common_Code_ID', line.unitOfMeasure]],
          unitDescriptor(line.unitOfMeasure),
        )
      : '',
    leaf('Unit_Cost', line.unitCost),
    leaf('Extended_Amount', line.extendedAmount),
    leaf('Due_Date', ctx.date(line.dueDate)),
    leaf('Memo', line.memo),
    ...lineWorktags(ctx, line),
    ...line.splits.map((split) =>
      splitData(
        'Goods_Purchase_Order_Line_Split_Data',
        'Business_Document_Line_Split_Reference',
        'Business_Document_Line_Split_ID',
        ctx,
        split,
      ),
    ),
  ]);
}

function serviceLine(line: ServiceLine, ctx: RenderContext): Xml {
  return node('Service_Line_Data', [
    leaf('Service_Order_Line_ID', line.lineId),
    leaf('Line_Number', String(line.lineNumber)),
    leaf('Description', line.description),
    refOf('Resource_Category_Reference', ctx, line.spendCategory, 'Spend_Category_ID'),
    leaf('Extended_Amount', line.extendedAmount),
    leaf('Start_Date', ctx.date(line.startDate)),
    leaf('End_Date', ctx.date(line.endDate)),
    leaf('Memo', line.memo),
    ...lineWorktags(ctx, line),
    ...line.splits.map((split) =>
      splitData(
        'Service_Purchase_Order_Line_Split_Data',
        'Business_Document_Line_Split_Reference',
        'Business_Document_Line_Split_ID',
        ctx,
        split,
      ),
    ),
  ]);
}

// Element order of Project-Based_Order_Line_Replacement_Data in the generated v28–30 types.
function deliverableLine(line: DeliverableLine, ctx: RenderContext): Xml {
  return node('Deliverables_Line_Data', [
    leaf('Deliverables_Order_Line_ID', line.lineId),
    leaf('Line_Number', String(line.lineNumber)),
    refOf('Project_Reference', ctx, line.project, 'Project_ID'),
    leaf('Memo', line.memo),
    refOf('Resource_Category_Reference', ctx, line.spendCategory, 'Spend_Category_ID'),
    leaf('Extended_Amount', line.extendedAmount),
    ...lineWorktags(ctx, line),
    ...line.splits.map((split) =>
      splitData(
        'Deliverables_Purchase_Order_Line_Split_Data',
        'Business_Document_Line_Split_Reference',
        'Business_Document_Line_Split_ID',
        ctx,
        split,
      ),
    ),
  ]);
}

// Contingent_Worker_Order_Line_Data: no line ID element; Extended_Amount comes after the pay terms.
function contingentWorkerLine(line: ContingentWorkerLine, ctx: RenderContext): Xml {
  return node('Contingent_Worker_Line_Data', [
    leaf('Line_Number', String(line.lineNumber)),
    refOf('Contingent_Worker_Reference', ctx, line.worker, 'Contingent_Worker_ID'),
    leaf('Start_Date', ctx.date(line.startDate)),
    leaf('End_Date', ctx.date(line.endDate)),
    leaf('Scheduled_Hours', line.scheduledHours),
    leaf('Contract_Pay_Rate', line.payRate),
    leaf('Extended_Amount', line.extendedAmount),
    refOf('Resource_Category_Reference', ctx, line.spendCategory, 'Spend_Category_ID'),
    ...worktagReferences('Worktags_Reference', ctx, line.worktags),
    leaf('Memo', line.memo),
  ]);
}
