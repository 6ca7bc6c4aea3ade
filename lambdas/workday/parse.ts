import * as z from 'zod';
import { ValidationError } from '../shared/errors';
import { hashTaxId } from '../shared/hash';
import {
  type Address,
  type CreditMemo,
  creditMemoSchema,
  type DocumentStatus,
  type InvoiceLine,
  type LineSplit,
  type PurchaseOrder,
  type PurchaseOrderLine,
  purchaseOrderSchema,
  type RecordKind,
  type Reference,
  recordKey,
  type Supplier,
  type SupplierInvoice,
  supplierInvoiceSchema,
  supplierSchema,
  type TaxId,
  type Worktag,
} from './records';
import { type ResponseResults, type ResponseShape, readResponsePage } from './soap-response';
import {
  businessId,
  compact,
  currency,
  date,
  decimal,
  first,
  group,
  identity,
  list,
  optionalBoolean,
  optionalDate,
  optionalDecimal,
  optionalGroup,
  optionalReference,
  optionalText,
  optionalWholeNumber,
  reference,
  text,
  toIssues,
  worktags,
} from './xml-fields';

export type { ResponseResults } from './soap-response';
export { parseSoapFault } from './soap-response';

/** A record of the page that failed validation; the rest of the page is unaffected. */
export interface RejectedRecord {
  key: string | undefined;
  wid: string | undefined;
  error: ValidationError;
  /** Read, but of a kind the connector does not sync (a contingent worker's invoice): skipped, not quarantined. */
  outOfScope?: true;
}

/** One Get_* response page: its paging figures, the valid canonical records and the rejected ones. */
export interface ParsedPage<T> {
  results: ResponseResults;
  records: T[];
  rejected: RejectedRecord[];
}

function documentStatus(ref: Reference | undefined): DocumentStatus {
  return compact({ id: ref?.ids.Document_Status_ID, descriptor: ref?.descriptor });
}

const split = group({
  Quantity: optionalDecimal,
  Extended_Amount: decimal,
  Memo: optionalText,
  Worktag_Reference: worktags,
}).transform(
  (s): LineSplit =>
    compact({ quantity: s.Quantity, extendedAmount: s.Extended_Amount, memo: s.Memo, worktags: s.Worktag_Reference }),
);

const charges = { Tax_Amount: optionalDecimal, Freight_Amount: optionalDecimal, Other_Charges: optionalDecimal };

function chargesOf(data: {
  Tax_Amount?: string | undefined;
  Freight_Amount?: string | undefined;
  Other_Charges?: string | undefined;
}) {
  return { taxAmount: data.Tax_Amount, freightAmount: data.Freight_Amount, otherCharges: data.Other_Charges };
}

// Procore may receive only these tax ID types in clear; matched as whole words so e.g. "USA-EIN" or "FEIN" count.
const CLEAR_TAX_ID_TYPE = /(^|[^A-Z])(F?EIN|ABN)([^A-Z]|$)/i;

const taxIdData = group({
  Tax_ID_Text: optionalText,
  Tax_ID_Type_Reference: optionalReference,
  Primary_Tax_ID: optionalBoolean,
});

function toTaxId(entries: z.output<typeof taxIdData>[]): TaxId | undefined {
  const withText = entries.filter((entry) => entry.Tax_ID_Text !== undefined);
  const chosen = withText.find((entry) => entry.Primary_Tax_ID === true) ?? withText[0];
  if (chosen?.Tax_ID_Text === undefined) return undefined;
  const typeRef = chosen.Tax_ID_Type_Reference;
  // v45.1 Revenue_Management.wsdl, Tax_ID_TypeReferenceEnumeration: WID, Tax_ID_Type.
  const type = businessId(typeRef, 'Tax_ID_Type') ?? typeRef?.descriptor ?? 'UNKNOWN';
  return compact({
    type,
    hash: hashTaxId(chosen.Tax_ID_Text),
    value: CLEAR_TAX_ID_TYPE.test(type) ? chosen.Tax_ID_Text : undefined,
  });
}

const addressData = group({
  '@_Effective_Date': optionalDate,
  Country_Reference: optionalReference,
  Address_Line_Data: list(optionalText),
  Municipality: optionalText,
  Country_Region_Reference: optionalReference,
  Postal_Code: optionalText,
});

function toAddress(addresses: z.output<typeof addressData>[]): Address | undefined {
  // Newest effective date first; undated addresses last, document order otherwise (sort is stable).
  const [newest] = [...addresses].sort((a, b) => {
    const [x, y] = [a['@_Effective_Date'] ?? '', b['@_Effective_Date'] ?? ''];
    return x === y ? 0 : x < y ? 1 : -1;
  });
  if (newest === undefined) return undefined;
  // Country_Region_ID reads "USA-CA": without the ISO code, the region is its last segment.
  const region = businessId(newest.Country_Region_Reference, 'ISO_3166-2_Code');
  return compact({
    lines: newest.Address_Line_Data.filter((line) => line !== undefined),
    city: newest.Municipality,
    region: region?.split('-').at(-1),
    postalCode: newest.Postal_Code,
    country: newest.Country_Reference?.ids['ISO_3166-1_Alpha-2_Code'],
  });
}

// v45.1 Phone_Information_DataType (Revenue_Management.wsdl): the formatted forms and Area_Code are attributes and
// Phone_Number is the whole number; the v28–30 types had an Area_Code element and a Formatted_Phone attribute.
const phoneData = group({
  '@_E164_Formatted_Phone': optionalText,
  '@_International_Formatted_Phone': optionalText,
  '@_Formatted_Phone': optionalText,
  International_Phone_Code: optionalText,
  Area_Code: optionalText,
  Phone_Number: optionalText,
  Phone_Extension: optionalText,
});

function toPhone(phone: z.output<typeof phoneData> | undefined): string | undefined {
  if (phone === undefined) return undefined;
  const formatted =
    phone['@_International_Formatted_Phone'] ?? phone['@_Formatted_Phone'] ?? phone['@_E164_Formatted_Phone'];
  if (formatted !== undefined) return formatted;
  if (phone.Phone_Number === undefined) return undefined;
  const country = phone.International_Phone_Code?.replace(/^\+/, '');
  return [
    country === undefined ? undefined : `+${country}`,
    phone.Area_Code,
    phone.Phone_Number,
    phone.Phone_Extension === undefined ? undefined : `x${phone.Phone_Extension}`,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
}

// Settlement_Account_Data (bank details) is deliberately not read: unknown elements are stripped here.
const supplier = group({
  Supplier_Reference: identity,
  Supplier_Data: group({
    Supplier_ID: optionalText,
    Supplier_Name: text,
    Approval_Status_Reference: optionalReference,
    Tax_ID_Data: list(taxIdData),
    // v45.1 responses wrap the tax IDs in a widget (Tax_ID_Widget_DataType); the v28–30 types had them bare.
    Tax_ID_Widget_Data: list(group({ Tax_ID_Data: list(taxIdData) })),
    Business_Entity_Data: optionalGroup({
      Contact_Data: optionalGroup({
        Address_Data: list(addressData),
        Phone_Data: list(phoneData),
        Email_Address_Data: list(group({ Email_Address: optionalText })),
        Web_Address_Data: list(group({ Web_Address: optionalText })),
      }),
    }),
    Supplier_Status_Data: list(group({ Status_Reference: optionalReference })),
    Currency_Reference: optionalReference,
  }),
})
  .transform(({ Supplier_Reference: ref, Supplier_Data: data }): Supplier => {
    const contact = data.Business_Entity_Data?.Contact_Data;
    const latestStatus = data.Supplier_Status_Data.findLast((entry) => entry.Status_Reference !== undefined);
    return compact({
      kind: 'supplier' as const,
      wid: ref.wid,
      supplierId: data.Supplier_ID ?? ref.ids.Supplier_ID,
      name: data.Supplier_Name,
      status: latestStatus?.Status_Reference?.ids.Business_Entity_Status_Value_ID,
      approvalStatus:
        data.Approval_Status_Reference?.ids.Document_Status_ID ?? data.Approval_Status_Reference?.descriptor,
      taxId: toTaxId([...data.Tax_ID_Data, ...data.Tax_ID_Widget_Data.flatMap((widget) => widget.Tax_ID_Data)]),
      address: toAddress(contact?.Address_Data ?? []),
      phone: toPhone(contact?.Phone_Data[0]),
      email: contact?.Email_Address_Data[0]?.Email_Address,
      website: contact?.Web_Address_Data[0]?.Web_Address,
      currency: data.Currency_Reference?.ids.Currency_ID,
    });
  })
  .pipe(supplierSchema);

// v44.1 responses carry more line worktags here, as a production client reads them (pgahq/finance-agent).
const lineWorktagsData = list(group({ Worktag_Reference: worktags }));

/** A PO line's worktags and those of its Purchase_Order_Line_Worktags_Data, each once. */
function poLineWorktags(own: readonly Worktag[], extra: readonly { Worktag_Reference: Worktag[] }[]): Worktag[] {
  const seen = new Set(own.map((w) => `${w.type}\u0000${w.id}`));
  const merged = [...own];
  for (const tag of extra.flatMap((entry) => entry.Worktag_Reference)) {
    const key = `${tag.type}\u0000${tag.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(tag);
  }
  return merged;
}

// Shapes list elements in schema order, so a record's problems are reported in document order.
const goodsLine = group({
  Goods_Purchase_Order_Line_ID: text,
  Line_Number: optionalWholeNumber,
  Item_Description: optionalText,
  Resource_Category_Reference: optionalReference,
  Quantity: optionalDecimal,
  Unit_of_Measure_Reference: optionalReference,
  Unit_Cost: optionalDecimal,
  Extended_Amount: decimal,
  Memo: optionalText,
  Worktags_Reference: worktags,
  Purchase_Order_Line_Worktags_Data: lineWorktagsData,
  Goods_Purchase_Order_Line_Split_Data: list(split),
}).transform(
  (line): PurchaseOrderLine =>
    compact({
      type: 'goods' as const,
      lineId: line.Goods_Purchase_Order_Line_ID,
      lineNumber: line.Line_Number,
      description: line.Item_Description ?? '',
      spendCategory: line.Resource_Category_Reference?.ids.Spend_Category_ID,
      quantity: line.Quantity,
      unitCost: line.Unit_Cost,
      unitOfMeasure:
        businessId(line.Unit_of_Measure_Reference, 'UN_CEFACT_Common_Code_ID') ??
        line.Unit_of_Measure_Reference?.descriptor,
      extendedAmount: line.Extended_Amount,
      memo: line.Memo,
      worktags: poLineWorktags(line.Worktags_Reference, line.Purchase_Order_Line_Worktags_Data),
      splits: line.Goods_Purchase_Order_Line_Split_Data,
    }),
);

const serviceLine = group({
  Service_Order_Line_ID: text,
  Line_Number: optionalWholeNumber,
  Description: optionalText,
  Resource_Category_Reference: optionalReference,
  Extended_Amount: decimal,
  Memo: optionalText,
  Worktags_Reference: worktags,
  Purchase_Order_Line_Worktags_Data: lineWorktagsData,
  Service_Purchase_Order_Line_Split_Data: list(split),
}).transform(
  (line): PurchaseOrderLine =>
    compact({
      type: 'service' as const,
      lineId: line.Service_Order_Line_ID,
      lineNumber: line.Line_Number,
      description: line.Description ?? '',
      spendCategory: line.Resource_Category_Reference?.ids.Spend_Category_ID,
      extendedAmount: line.Extended_Amount,
      memo: line.Memo,
      worktags: poLineWorktags(line.Worktags_Reference, line.Purchase_Order_Line_Worktags_Data),
      splits: line.Service_Purchase_Order_Line_Split_Data,
    }),
);

// Project-Based_Order_Line_Replacement_Data: no description element; the line's project is a reference of its own.
const deliverableLine = group({
  Deliverables_Order_Line_ID: text,
  Line_Number: optionalWholeNumber,
  Project_Reference: optionalReference,
  Memo: optionalText,
  Resource_Category_Reference: optionalReference,
  Extended_Amount: decimal,
  Worktags_Reference: worktags,
  Purchase_Order_Line_Worktags_Data: lineWorktagsData,
  Deliverables_Purchase_Order_Line_Split_Data: list(split),
}).transform((line): PurchaseOrderLine => {
  const tags = poLineWorktags(line.Worktags_Reference, line.Purchase_Order_Line_Worktags_Data);
  const projectId = line.Project_Reference?.ids.Project_ID;
  // The line's project counts as its Project_ID worktag when the worktags name none.
  const project =
    projectId === undefined || tags.some((w) => w.type === 'Project_ID')
      ? []
      : [compact({ type: 'Project_ID', id: projectId, descriptor: line.Project_Reference?.descriptor })];
  return compact({
    type: 'deliverable' as const,
    lineId: line.Deliverables_Order_Line_ID,
    lineNumber: line.Line_Number,
    description: line.Memo ?? line.Project_Reference?.descriptor ?? '',
    spendCategory: line.Resource_Category_Reference?.ids.Spend_Category_ID,
    extendedAmount: line.Extended_Amount,
    memo: line.Memo,
    worktags: [...tags, ...project],
    splits: line.Deliverables_Purchase_Order_Line_Split_Data,
  });
});

// Contingent_Worker_Order_Line_Data has no line ID element: the line is known by its Line_Number.
const contingentWorkerLine = group({
  Line_Number: optionalWholeNumber,
  Contingent_Worker_Reference: optionalReference,
  Extended_Amount: decimal,
  Resource_Category_Reference: optionalReference,
  Worktags_Reference: worktags,
  Purchase_Order_Line_Worktags_Data: lineWorktagsData,
  Memo: optionalText,
}).transform((line, ctx): PurchaseOrderLine => {
  if (line.Line_Number === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['Line_Number'],
      message:
        'missing: a contingent-worker line has no ID of its own, so without a Line_Number it cannot become a commitment line that invoices bill; the PO waits until Workday sends one (then replay it)',
    });
    return z.NEVER;
  }
  const worker =
    line.Contingent_Worker_Reference?.descriptor ??
    businessId(line.Contingent_Worker_Reference, 'Contingent_Worker_ID');
  return compact({
    type: 'contingentWorker' as const,
    lineId: `line-${line.Line_Number}`,
    lineNumber: line.Line_Number,
    description: line.Memo ?? (worker === undefined ? 'Contingent worker' : `Contingent worker ${worker}`),
    spendCategory: line.Resource_Category_Reference?.ids.Spend_Category_ID,
    extendedAmount: line.Extended_Amount,
    memo: line.Memo,
    worktags: poLineWorktags(line.Worktags_Reference, line.Purchase_Order_Line_Worktags_Data),
    splits: [],
  });
});

/** The line elements of Purchase_Order_Outbound_Data; a PO with any other kind is not synced short. */
const PO_LINE_ELEMENTS: ReadonlySet<string> = new Set([
  'Goods_Line_Data',
  'Deliverables_Line_Data',
  'Service_Line_Data',
  'Contingent_Worker_Line_Data',
]);

function refuseUnknownLineTypes(node: unknown, ctx: z.RefinementCtx): void {
  const data = Array.isArray(node) ? node[0] : node;
  if (data === null || typeof data !== 'object') return;
  for (const name of Object.keys(data)) {
    if (!name.endsWith('_Line_Data') || PO_LINE_ELEMENTS.has(name)) continue;
    ctx.addIssue({
      code: 'custom',
      path: [name],
      message: `a kind of PO line the connector does not read; rather than a commitment short of those lines, the PO is not synced (tell the connector's maintainers which line type this is)`,
    });
  }
}

/** Lines of every type interleaved by Line_Number; unnumbered lines last, in document order. */
function byLineNumber(a: PurchaseOrderLine, b: PurchaseOrderLine): number {
  if (a.lineNumber === undefined || b.lineNumber === undefined) {
    return (a.lineNumber === undefined ? 1 : 0) - (b.lineNumber === undefined ? 1 : 0);
  }
  return a.lineNumber - b.lineNumber;
}

const purchaseOrder = group({
  Purchase_Order_Reference: identity,
  Purchase_Order_Data: first(
    z
      .unknown()
      .superRefine(refuseUnknownLineTypes)
      .pipe(
        group({
          Document_Number: text,
          Purchase_Order_Document_Status_Reference: optionalReference,
          Company_Reference: optionalReference,
          Supplier_Reference: reference,
          Document_Date: date,
          ...charges,
          Due_Date: optionalDate,
          Currency_Reference: currency,
          Memo: optionalText,
          Goods_Line_Data: list(goodsLine),
          Deliverables_Line_Data: list(deliverableLine),
          Service_Line_Data: list(serviceLine),
          Contingent_Worker_Line_Data: list(contingentWorkerLine),
        }),
      ),
  ),
})
  .transform(
    ({ Purchase_Order_Reference: ref, Purchase_Order_Data: data }): PurchaseOrder =>
      compact({
        kind: 'purchaseOrder' as const,
        wid: ref.wid,
        documentNumber: data.Document_Number,
        status: documentStatus(data.Purchase_Order_Document_Status_Reference),
        supplier: data.Supplier_Reference,
        company: data.Company_Reference,
        documentDate: data.Document_Date,
        dueDate: data.Due_Date,
        currency: data.Currency_Reference,
        ...chargesOf(data),
        memo: data.Memo,
        lines: [
          ...data.Goods_Line_Data,
          ...data.Deliverables_Line_Data,
          ...data.Service_Line_Data,
          ...data.Contingent_Worker_Line_Data,
        ].sort(byLineNumber),
      }),
  )
  .pipe(purchaseOrderSchema);

const invoiceLine = group({
  Supplier_Invoice_Line_ID: optionalText,
  Line_Order: optionalText,
  Item_Description: optionalText,
  Purchase_Order_Line_Reference: optionalReference,
  Spend_Category_Reference: optionalReference,
  Quantity: optionalDecimal,
  Unit_Cost: optionalDecimal,
  Extended_Amount: decimal,
  Memo: optionalText,
  Worktags_Reference: worktags,
  Supplier_Invoice_Split_Line_Data: list(split),
}).transform((line, ctx): InvoiceLine => {
  const lineId = line.Supplier_Invoice_Line_ID ?? line.Line_Order;
  if (lineId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['Supplier_Invoice_Line_ID'], message: 'missing, and no Line_Order either' });
    return z.NEVER;
  }
  return compact({
    lineId,
    lineOrder: line.Line_Order,
    description: line.Item_Description ?? line.Memo ?? '',
    purchaseOrderLine: line.Purchase_Order_Line_Reference,
    spendCategory: line.Spend_Category_Reference?.ids.Spend_Category_ID,
    quantity: line.Quantity,
    unitCost: line.Unit_Cost,
    extendedAmount: line.Extended_Amount,
    memo: line.Memo,
    worktags: line.Worktags_Reference,
    splits: line.Supplier_Invoice_Split_Line_Data,
  });
});

const NUMERIC = /^\d+(\.\d+)?$/;

/** Line_Order is a string: numeric orders compare as numbers ("2" before "10"), others as text; absent last. */
function byLineOrder(a: InvoiceLine, b: InvoiceLine): number {
  const [x, y] = [a.lineOrder, b.lineOrder];
  if (x === undefined || y === undefined) return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
  if (NUMERIC.test(x) && NUMERIC.test(y)) return Number(x) - Number(y);
  return x < y ? -1 : x > y ? 1 : 0;
}

// Supplier_Invoice_Data and Supplier_Invoice_Adjustment_Data hold a choice: Supplier_Reference or Contingent_Worker_Reference.
const payee = { Supplier_Reference: optionalReference, Contingent_Worker_Reference: optionalReference };

/** The document's supplier; a contingent worker's document is refused, since a worker is no Procore vendor. */
function supplierOf(
  data: { Supplier_Reference?: Reference | undefined; Contingent_Worker_Reference?: Reference | undefined },
  element: string,
  ctx: z.RefinementCtx,
): Reference | undefined {
  if (data.Supplier_Reference !== undefined) return data.Supplier_Reference;
  const worker = data.Contingent_Worker_Reference;
  const name = worker?.descriptor ?? businessId(worker, 'Contingent_Worker_ID') ?? worker?.wid;
  ctx.addIssue({
    code: 'custom',
    path: [element, worker === undefined ? 'Supplier_Reference' : 'Contingent_Worker_Reference'],
    ...(worker === undefined ? {} : { params: { outOfScope: true } }),
    message:
      worker === undefined
        ? 'missing'
        : `billed by contingent worker ${name}, not a supplier: Procore has no vendor for a worker, so the document is not synced; enter it in Procore by hand if the job should carry it`,
  });
  return undefined;
}

const supplierInvoice = group({
  Supplier_Invoice_Reference: identity,
  Supplier_Invoice_Data: first(
    group({
      Supplier_Invoice_ID: optionalText,
      Invoice_Number: optionalText,
      Invoice_Document_Status_Reference: optionalReference,
      Company_Reference: optionalReference,
      Currency_Reference: currency,
      ...payee,
      Invoice_Date: date,
      Due_Date_Override: optionalDate,
      Control_Amount_Total: decimal,
      ...charges,
      Suppliers_Invoice_Number: optionalText,
      Supplier_Reference_Number: optionalText,
      Memo: optionalText,
      Invoice_Line_Replacement_Data: list(invoiceLine),
    }),
  ),
})
  .transform(({ Supplier_Invoice_Reference: ref, Supplier_Invoice_Data: data }, ctx): SupplierInvoice => {
    const invoiceNumber = data.Invoice_Number ?? data.Supplier_Invoice_ID;
    if (invoiceNumber === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['Supplier_Invoice_Data', 'Invoice_Number'],
        message: 'missing, and no Supplier_Invoice_ID either',
      });
    }
    const supplier = supplierOf(data, 'Supplier_Invoice_Data', ctx);
    if (invoiceNumber === undefined || supplier === undefined) return z.NEVER;
    return compact({
      kind: 'invoice' as const,
      wid: ref.wid,
      invoiceNumber,
      // Older versions carry the supplier's own number as Supplier_Reference_Number.
      suppliersInvoiceNumber: data.Suppliers_Invoice_Number ?? data.Supplier_Reference_Number,
      status: documentStatus(data.Invoice_Document_Status_Reference),
      supplier,
      company: data.Company_Reference,
      currency: data.Currency_Reference,
      invoiceDate: data.Invoice_Date,
      dueDate: data.Due_Date_Override,
      controlTotal: data.Control_Amount_Total,
      ...chargesOf(data),
      memo: data.Memo,
      lines: [...data.Invoice_Line_Replacement_Data].sort(byLineOrder),
    });
  })
  .pipe(supplierInvoiceSchema);

const creditMemo = group({
  Supplier_Invoice_Adjustment_Reference: identity,
  Supplier_Invoice_Adjustment_Data: first(
    group({
      Supplier_Invoice_Adjustment_ID: optionalText,
      Invoice_Adjustment_Number: optionalText,
      Invoice_Number: optionalText,
      Suppliers_Invoice_Number: optionalText,
      Supplier_Reference_Number: optionalText,
      Invoice_Document_Status_Reference: optionalReference,
      Adjustment_Status_Reference: optionalReference,
      Company_Reference: optionalReference,
      Currency_Reference: currency,
      ...payee,
      Increase_Liability: optionalBoolean,
      Adjustment_Reason_Reference: optionalReference,
      Adjustment_Date: date,
      Due_Date_Override: optionalDate,
      Control_Total_Amount: optionalDecimal,
      Control_Amount_Total: optionalDecimal,
      ...charges,
      Original_Invoice_Reference: optionalReference,
      Memo: optionalText,
      Document_Memo: optionalText,
      Invoice_Line_Replacement_Data: list(invoiceLine),
    }),
  ),
})
  .transform(
    ({ Supplier_Invoice_Adjustment_Reference: ref, Supplier_Invoice_Adjustment_Data: data }, ctx): CreditMemo => {
      const invoiceNumber =
        data.Invoice_Adjustment_Number ?? data.Invoice_Number ?? data.Supplier_Invoice_Adjustment_ID;
      // Adjustments name their total Control_Total_Amount; Control_Amount_Total (the invoice name) is accepted too.
      const controlTotal = data.Control_Total_Amount ?? data.Control_Amount_Total;
      const path = (field: string) => ['Supplier_Invoice_Adjustment_Data', field];
      if (invoiceNumber === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: path('Invoice_Adjustment_Number'),
          message: 'missing, and no Invoice_Number or Supplier_Invoice_Adjustment_ID either',
        });
      }
      if (controlTotal === undefined) {
        ctx.addIssue({ code: 'custom', path: path('Control_Total_Amount'), message: 'missing' });
      }
      const supplier = supplierOf(data, 'Supplier_Invoice_Adjustment_Data', ctx);
      if (invoiceNumber === undefined || controlTotal === undefined || supplier === undefined) return z.NEVER;
      return compact({
        kind: 'creditMemo' as const,
        wid: ref.wid,
        invoiceNumber,
        // Older versions carry the supplier's own number as Supplier_Reference_Number.
        suppliersInvoiceNumber: data.Suppliers_Invoice_Number ?? data.Supplier_Reference_Number,
        status: documentStatus(data.Invoice_Document_Status_Reference ?? data.Adjustment_Status_Reference),
        supplier,
        company: data.Company_Reference,
        currency: data.Currency_Reference,
        invoiceDate: data.Adjustment_Date,
        dueDate: data.Due_Date_Override,
        controlTotal,
        ...chargesOf(data),
        memo: data.Memo ?? data.Document_Memo,
        lines: [...data.Invoice_Line_Replacement_Data].sort(byLineOrder),
        increaseLiability: data.Increase_Liability ?? false,
        originalInvoice: data.Original_Invoice_Reference,
        // v45.1 Revenue_Management.wsdl, Invoice_Adjustment_ReasonReferenceEnumeration: WID, Adjustment_Reason_ID.
        reason:
          data.Adjustment_Reason_Reference?.descriptor ??
          businessId(data.Adjustment_Reason_Reference, 'Adjustment_Reason_ID'),
      });
    },
  )
  .pipe(creditMemoSchema);

interface PageSpec<T> extends ResponseShape {
  kind: RecordKind;
  /** The element naming the record, whose WID is its key. */
  reference: string;
  record: z.ZodType<T>;
}

function parsePage<T>(xml: string, spec: PageSpec<T>): ParsedPage<T> {
  const { results, items } = readResponsePage(xml, spec);
  const key = group({ [spec.reference]: identity });
  const records: T[] = [];
  const rejected: RejectedRecord[] = [];
  for (const item of items) {
    const parsed = spec.record.safeParse(item);
    if (parsed.success) {
      records.push(parsed.data);
      continue;
    }
    const wid = key.safeParse(item).data?.[spec.reference]?.wid;
    const keyOfRecord = wid === undefined ? undefined : recordKey({ kind: spec.kind, wid });
    const outOfScope = parsed.error.issues.every((i) => i.code === 'custom' && i.params?.outOfScope === true);
    rejected.push({
      key: keyOfRecord,
      wid,
      error: new ValidationError(keyOfRecord, toIssues(parsed.error, spec.item)),
      ...(outOfScope ? { outOfScope: true as const } : {}),
    });
  }
  return { results, records, rejected };
}

/** Parses one Get_Suppliers response page; bank details are dropped and tax IDs kept only as a hash (EIN/ABN also in clear). */
export function parseSuppliersPage(xml: string): ParsedPage<Supplier> {
  return parsePage(xml, {
    operation: 'Get_Suppliers',
    item: 'Supplier',
    reference: 'Supplier_Reference',
    kind: 'supplier',
    record: supplier,
  });
}

/** Parses one Get_Purchase_Orders response page (first Purchase_Order_Data of each order; lines of all four types). */
export function parsePurchaseOrdersPage(xml: string): ParsedPage<PurchaseOrder> {
  return parsePage(xml, {
    operation: 'Get_Purchase_Orders',
    item: 'Purchase_Order',
    reference: 'Purchase_Order_Reference',
    kind: 'purchaseOrder',
    record: purchaseOrder,
  });
}

/** Parses one Get_Supplier_Invoices response page. */
export function parseSupplierInvoicesPage(xml: string): ParsedPage<SupplierInvoice> {
  return parsePage(xml, {
    operation: 'Get_Supplier_Invoices',
    item: 'Supplier_Invoice',
    reference: 'Supplier_Invoice_Reference',
    kind: 'invoice',
    record: supplierInvoice,
  });
}

/** Parses one Get_Supplier_Invoice_Adjustments response page into credit memos. */
export function parseInvoiceAdjustmentsPage(xml: string): ParsedPage<CreditMemo> {
  return parsePage(xml, {
    operation: 'Get_Supplier_Invoice_Adjustments',
    item: 'Supplier_Invoice_Adjustment',
    reference: 'Supplier_Invoice_Adjustment_Reference',
    kind: 'creditMemo',
    record: creditMemo,
  });
}
