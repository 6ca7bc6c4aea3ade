import { sum, toAmount } from '../../lambdas/shared/money';
import { createRng } from '../faults';
import type {
  ContingentWorkerLine,
  DeliverableLine,
  GoodsLine,
  InvoiceAdjustment,
  InvoiceLine,
  LineSplit,
  PurchaseOrder,
  Ref,
  ServiceLine,
  Supplier,
  SupplierInvoice,
  SupplierLink,
  Worktag,
  WorktagType,
} from './data';
import { derivedWid } from './reference-data';

/**
 * Builders of valid Workday records with sensible defaults, for tests and the data generator. Defaults
 * draw WIDs from a seeded generator and numbers from a counter; `resetBuilders` makes runs repeatable.
 */

let rng = createRng(0x5eed);
let sequence = 0;

/** Restarts WID generation and numbering (call in `beforeEach` when exact values matter). */
export function resetBuilders(seed = 0x5eed): void {
  rng = createRng(seed);
  sequence = 0;
}

/** A random 32-character lowercase-hex WID from `random` (defaults to the builders' seeded generator). */
export function newWid(random: () => number = rng): string {
  let wid = '';
  for (let i = 0; i < 4; i++) {
    wid += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  }
  return wid;
}

function next(): number {
  sequence += 1;
  return sequence;
}

function pad(n: number, width = 6): string {
  return String(n).padStart(width, '0');
}

/** A reference value whose WID is derived from its ID, so equal IDs share a WID. */
export function ref(kind: string, id: string, descriptor: string): Ref {
  return { wid: derivedWid(kind, id), id, descriptor };
}

/** A worktag of the given type with a WID derived from its ID. */
export function buildWorktag(type: WorktagType, id: string, descriptor = id): Worktag {
  return { type, id, wid: derivedWid(type, id), descriptor };
}

/** A line split of 100.00 with no worktags unless given. */
export function buildSplit(overrides: Partial<LineSplit> = {}): LineSplit {
  const n = next();
  return { wid: newWid(), splitId: `SPLIT-${pad(n)}`, extendedAmount: '100.00', worktags: [], ...overrides };
}

const COMPANY = ref('Company', 'C100', 'Example Construction Inc.');

/** Overrides for `buildSupplier`, plus a `status` shorthand. */
export type SupplierOverrides = Partial<Supplier> & {
  /** Shorthand: the current status; non-ACTIVE statuses get an ACTIVE entry before them. */
  status?: string;
};

/** An active US supplier with address, phone, email, website, EIN and one bank account. */
export function buildSupplier(overrides: SupplierOverrides = {}): Supplier {
  const n = next();
  const { status, ...rest } = overrides;
  const name = rest.name ?? `Summit Builders ${n} LLC`;
  const statusHistory =
    status === undefined || status === 'ACTIVE'
      ? [{ status: 'ACTIVE', descriptor: 'Active' }]
      : [
          { status: 'ACTIVE', descriptor: 'Active' },
          { status, descriptor: status.charAt(0) + status.slice(1).toLowerCase() },
        ];
  return {
    wid: newWid(),
    supplierId: `S-${pad(n)}`,
    supplierReferenceId: `SUPPLIER-6-${n}`,
    name,
    worktagOnly: false,
    approvalStatus: ref('Document_Status_ID', 'APPROVED', 'Approved'),
    irs1099: false,
    taxIds: [
      {
        type: 'USA-EIN',
        typeDescriptor: 'Employer Identification Number (EIN)',
        value: `12-${pad(n, 7)}`,
        primary: true,
        transactionTaxId: false,
      },
    ],
    category: ref('Supplier_Category_ID', 'SUBCONTRACTORS', 'Subcontractors'),
    paymentTerms: ref('Payment_Terms_ID', 'NET_30', 'Net 30'),
    paymentTypesAccepted: [ref('Payment_Type_ID', 'ACH', 'ACH'), ref('Payment_Type_ID', 'Check', 'Check')],
    defaultPaymentType: ref('Payment_Type_ID', 'ACH', 'ACH'),
    addresses: [
      {
        wid: newWid(),
        addressId: `ADDRESS_REFERENCE-6-${n}`,
        effectiveDate: '2020-01-01',
        lastModified: Date.UTC(2020, 0, 1, 17),
        lines: [`${100 + n} Market Street`, 'Suite 400'],
        city: 'San Francisco',
        regionId: 'USA-CA',
        regionDescriptor: 'California',
        postalCode: '94105',
        countryCode: 'US',
        usage: 'BUSINESS',
        primary: true,
      },
    ],
    phones: [
      {
        countryCode: 'US',
        internationalCode: '1',
        areaCode: '415',
        number: `555-${pad(n % 10000, 4)}`,
        deviceType: 'Landline',
        usage: 'BUSINESS',
        primary: true,
      },
    ],
    emails: [{ address: `ap@supplier${n}.example.com`, usage: 'BUSINESS', primary: true }],
    websites: [`https://supplier${n}.example.com`],
    settlementAccounts: [
      {
        accountId: `SETTLEMENT_BANK_ACCOUNT-6-${n}`,
        countryCode: 'US',
        currency: 'USD',
        nickname: 'Operating',
        accountType: 'DDA',
        bankName: 'First Example Bank',
        routingNumber: '021000021',
        accountNumber: `0001${pad(n, 8)}`,
        accountName: name,
        inactive: false,
      },
    ],
    statusHistory,
    currency: 'USD',
    acceptedCurrencies: ['USD'],
    ...rest,
  };
}

/** How a document points at `supplier`. */
export function supplierLink(supplier: Supplier | SupplierLink): SupplierLink {
  return {
    wid: supplier.wid,
    name: supplier.name,
    ...(supplier.supplierId === undefined ? {} : { supplierId: supplier.supplierId }),
    ...(supplier.supplierReferenceId === undefined ? {} : { supplierReferenceId: supplier.supplierReferenceId }),
  };
}

function defaultSupplierLink(): SupplierLink {
  const n = next();
  return { wid: newWid(), supplierId: `S-${pad(n)}`, name: `Summit Builders ${n} LLC` };
}

const DEFAULT_WORKTAGS = (): Worktag[] => [
  buildWorktag('Project_ID', 'PRJ-1001', 'Harbor View Tower'),
  buildWorktag('Cost_Center_Reference_ID', 'CC-200', 'Field Operations'),
];

/** A goods line: 10 EA at 125.00 with a project and a cost-center worktag. */
export function buildGoodsLine(overrides: Partial<GoodsLine> = {}): GoodsLine {
  const n = next();
  return {
    wid: newWid(),
    lineId: `POL-${pad(n)}`,
    lineNumber: 1,
    itemDescription: 'Rebar #5, 20 ft',
    spendCategory: ref('Spend_Category_ID', 'SC_MATERIALS', 'Construction Materials'),
    quantity: '10',
    unitOfMeasure: 'EA',
    unitCost: '125.00',
    extendedAmount: '1250.00',
    worktags: DEFAULT_WORKTAGS(),
    splits: [],
    ...overrides,
  };
}

/** A service line of 5000.00 with start and end dates. */
export function buildServiceLine(overrides: Partial<ServiceLine> = {}): ServiceLine {
  const n = next();
  return {
    wid: newWid(),
    lineId: `SOL-${pad(n)}`,
    lineNumber: 2,
    description: 'Site preparation and grading',
    spendCategory: ref('Spend_Category_ID', 'SC_SUBCONTRACT', 'Subcontracted Services'),
    extendedAmount: '5000.00',
    startDate: '2024-03-01',
    endDate: '2024-05-31',
    worktags: DEFAULT_WORKTAGS(),
    splits: [],
    ...overrides,
  };
}

/** A deliverables line of 20000.00 for project PRJ-1001. */
export function buildDeliverableLine(overrides: Partial<DeliverableLine> = {}): DeliverableLine {
  const n = next();
  return {
    wid: newWid(),
    lineId: `DOL-${pad(n)}`,
    lineNumber: 3,
    project: ref('Project_ID', 'PRJ-1001', 'Harbor View Tower'),
    memo: 'Milestone 1: foundations complete',
    spendCategory: ref('Spend_Category_ID', 'SC_SUBCONTRACT', 'Subcontracted Services'),
    extendedAmount: '20000.00',
    worktags: DEFAULT_WORKTAGS(),
    splits: [],
    ...overrides,
  };
}

/** A contingent-worker line of 6400.00: 160 hours at 40.00. */
export function buildContingentWorkerLine(overrides: Partial<ContingentWorkerLine> = {}): ContingentWorkerLine {
  const n = next();
  return {
    wid: newWid(),
    lineNumber: 4,
    worker: ref('Contingent_Worker_ID', `CW-${pad(n)}`, `Contractor ${n}`),
    startDate: '2024-03-01',
    endDate: '2024-03-31',
    scheduledHours: '160',
    payRate: '40.00',
    extendedAmount: '6400.00',
    spendCategory: ref('Spend_Category_ID', 'SC_LABOR', 'Contract Labor'),
    worktags: DEFAULT_WORKTAGS(),
    ...overrides,
  };
}

/** Overrides for `buildPurchaseOrder`; `supplier` may be a full supplier record. */
export type PurchaseOrderOverrides = Omit<Partial<PurchaseOrder>, 'supplier'> & { supplier?: Supplier | SupplierLink };

/** An issued USD purchase order with one goods line and one service line. */
export function buildPurchaseOrder(overrides: PurchaseOrderOverrides = {}): PurchaseOrder {
  const n = next();
  const { supplier, ...rest } = overrides;
  return {
    wid: newWid(),
    purchaseOrderId: `PURCHASE_ORDER-6-${n}`,
    documentNumber: `PO-${pad(n)}`,
    status: { id: 'ISSUED', descriptor: 'Issued' },
    company: COMPANY,
    supplier: supplier ? supplierLink(supplier) : defaultSupplierLink(),
    documentDate: '2024-03-01',
    dueDate: '2024-04-01',
    currency: 'USD',
    taxAmount: '0.00',
    paymentTerms: ref('Payment_Terms_ID', 'NET_30', 'Net 30'),
    memo: 'Harbor View Tower – phase 1',
    goodsLines: [buildGoodsLine({ lineNumber: 1 })],
    serviceLines: [buildServiceLine({ lineNumber: 2 })],
    deliverableLines: [],
    contingentWorkerLines: [],
    ...rest,
  };
}

/** An invoice line billing one PO line in full. */
export function invoiceLineFor(po: PurchaseOrder, line: GoodsLine | ServiceLine, lineOrder: number): InvoiceLine {
  const goods = 'itemDescription' in line;
  return {
    lineId: `SIL-${pad(next())}`,
    lineOrder: String(lineOrder),
    itemDescription: goods ? line.itemDescription : line.description,
    purchaseOrderLine: {
      wid: line.wid,
      lineId: line.lineId,
      purchaseOrderWid: po.wid,
      documentNumber: po.documentNumber,
      lineNumber: line.lineNumber,
    },
    ...(line.spendCategory ? { spendCategory: line.spendCategory } : {}),
    ...(goods ? { quantity: line.quantity, unitCost: line.unitCost } : {}),
    extendedAmount: line.extendedAmount,
    worktags: line.worktags,
    splits: [],
  };
}

/** An invoice line not tied to a purchase order. */
export function buildInvoiceLine(overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    lineId: `SIL-${pad(next())}`,
    lineOrder: '1',
    itemDescription: 'Concrete delivery',
    spendCategory: ref('Spend_Category_ID', 'SC_MATERIALS', 'Construction Materials'),
    quantity: '4',
    unitCost: '250.00',
    extendedAmount: '1000.00',
    worktags: DEFAULT_WORKTAGS(),
    splits: [],
    ...overrides,
  };
}

function total(lines: readonly InvoiceLine[], ...charges: (string | undefined)[]): string {
  return toAmount(sum([...lines.map((l) => l.extendedAmount), ...charges.filter((c) => c !== undefined)]));
}

/** Overrides for `buildInvoice`. */
export type InvoiceOverrides = Omit<Partial<SupplierInvoice>, 'supplier'> & {
  supplier?: Supplier | SupplierLink;
  /** Bill this PO: supplier, company, currency and one line per PO line come from it. */
  purchaseOrder?: PurchaseOrder;
};

/** An approved, unpaid USD supplier invoice whose control total is the sum of lines and charges. */
export function buildInvoice(overrides: InvoiceOverrides = {}): SupplierInvoice {
  const n = next();
  const { supplier, purchaseOrder: po, ...rest } = overrides;
  const lines =
    rest.lines ??
    (po
      ? [...po.goodsLines, ...po.serviceLines].map((line, i) => invoiceLineFor(po, line, i + 1))
      : [buildInvoiceLine()]);
  const taxAmount = 'taxAmount' in rest ? rest.taxAmount : '0.00';
  return {
    wid: newWid(),
    supplierInvoiceId: `SUPPLIER_INVOICE-6-${n}`,
    invoiceNumber: `SI-${pad(n)}`,
    suppliersInvoiceNumber: `INV-${n}`,
    status: { id: 'APPROVED', descriptor: 'Approved' },
    paymentStatus: { id: 'UNPAID', descriptor: 'Unpaid' },
    company: po?.company ?? COMPANY,
    currency: po?.currency ?? 'USD',
    supplier: supplier ? supplierLink(supplier) : po ? po.supplier : defaultSupplierLink(),
    invoiceDate: '2024-03-15',
    dueDate: '2024-04-14',
    controlAmountTotal: total(lines, taxAmount, rest.freightAmount, rest.otherCharges),
    ...(taxAmount === undefined ? {} : { taxAmount }),
    paymentTerms: ref('Payment_Terms_ID', 'NET_30', 'Net 30'),
    onHold: false,
    lines,
    ...rest,
  };
}

/** Overrides for `buildAdjustment`. */
export type AdjustmentOverrides = Omit<Partial<InvoiceAdjustment>, 'supplier'> & {
  supplier?: Supplier | SupplierLink;
  /** The invoice this credit memo adjusts: supplier, company, currency and Original_Invoice_Reference. */
  invoice?: SupplierInvoice;
};

/** A credit memo (negative amounts, Increase_Liability false) for 250.00. */
export function buildAdjustment(overrides: AdjustmentOverrides = {}): InvoiceAdjustment {
  const n = next();
  const { supplier, invoice, ...rest } = overrides;
  const lines = rest.lines ?? [
    buildInvoiceLine({ itemDescription: 'Credit for damaged materials', quantity: '-1', extendedAmount: '-250.00' }),
  ];
  return {
    wid: newWid(),
    adjustmentId: `SUPPLIER_INVOICE_ADJUSTMENT-6-${n}`,
    invoiceNumber: `SIA-${pad(n)}`,
    suppliersInvoiceNumber: `CM-${n}`,
    status: { id: 'APPROVED', descriptor: 'Approved' },
    paymentStatus: { id: 'UNPAID', descriptor: 'Unpaid' },
    company: invoice?.company ?? COMPANY,
    currency: invoice?.currency ?? 'USD',
    supplier: supplier ? supplierLink(supplier) : invoice ? invoice.supplier : defaultSupplierLink(),
    adjustmentDate: '2024-03-20',
    controlTotalAmount: total(lines, rest.taxAmount, rest.freightAmount, rest.otherCharges),
    increaseLiability: false,
    adjustmentReason: ref('Invoice_Adjustment_Reason', 'DAMAGED_GOODS', 'Damaged Goods'),
    ...(invoice
      ? {
          originalInvoice: {
            wid: invoice.wid,
            supplierInvoiceId: invoice.supplierInvoiceId,
            descriptor: `Supplier Invoice: ${invoice.invoiceNumber}`,
          },
        }
      : {}),
    onHold: false,
    lines,
    ...rest,
  };
}
