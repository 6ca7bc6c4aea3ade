import { type CustomerConfig, type CustomerConfigInput, customerConfigSchema } from '../../../lambdas/config/schema';
import type { MappingContext, PoLineInfo } from '../../../lambdas/mapping/commands';
import { poLineIndexEntries, poLineLookup } from '../../../lambdas/mapping/purchase-order';
import { hashTaxId, sha256Hex } from '../../../lambdas/shared/hash';
import {
  type CreditMemo,
  creditMemoSchema,
  type InvoiceLine,
  invoiceLineSchema,
  type LineSplit,
  type PurchaseOrder,
  type PurchaseOrderLine,
  purchaseOrderLineSchema,
  purchaseOrderSchema,
  type SealedSupplier,
  type SupplierInvoice,
  sealedSupplierSchema,
  splitSchema,
  supplierInvoiceSchema,
  type Worktag,
} from '../../../lambdas/workday/records';

/** A valid 32-hex Workday WID derived from a readable seed. */
export function wid(seed: string): string {
  return sha256Hex(seed).slice(0, 32);
}

export const projectTag = (id: string): Worktag => ({ type: 'Project_ID', id });
export const costCenterTag = (id: string): Worktag => ({ type: 'Cost_Center_Reference_ID', id });
export const costCodeTag = (id: string): Worktag => ({ type: 'Custom_Worktag_1_ID', id });

type MappingInput = CustomerConfigInput['mapping'];

const baseMapping: MappingInput = {
  projects: [
    { worktag: { type: 'Project_ID', id: 'PRJ-1001' }, procoreProjectId: 5001 },
    { worktag: { type: 'Cost_Center_Reference_ID', id: 'CC-200' }, procoreProjectId: 5002 },
  ],
  costCodes: { worktagType: 'Custom_Worktag_1_ID', map: { 'WD-CONC': '03-300' }, default: null },
  costTypes: { bySpendCategory: { 'SC-MAT': 'M', 'SC-SUB': 'S' }, default: 'O' },
  charges: { costCode: null, costType: 'O' },
};

/** The README's example config, parsed (defaults applied); `mapping` merges one level deep. */
export function buildConfig(
  overrides: Omit<Partial<CustomerConfigInput>, 'mapping'> & { mapping?: Partial<MappingInput> } = {},
): CustomerConfig {
  const { mapping, ...rest } = overrides;
  return customerConfigSchema.parse({
    customerId: 'acme-builders',
    schedule: { rateMinutes: 30 },
    syncFrom: '2026-01-01',
    workday: { baseUrl: 'https://wd2-impl-services1.workday.com', tenant: 'acme', version: 'v45.1', auth: 'isu' },
    procore: { companyId: 12345 },
    purchaseOrders: { statusMap: { Approved: 'Approved', Issued: 'Approved', Closed: 'Closed', Canceled: 'Closed' } },
    invoices: { poBacked: 'requisition' },
    retry: { maxAttempts: 5, baseDelaySeconds: 30 },
    alarmEmail: 'ops@acme.example',
    ...rest,
    mapping: { ...baseMapping, ...mapping },
  });
}

/** A sealed tax ID as the poll would leave it (the mapper only passes it on, so its content does not matter). */
export const SEALED_EIN = 'v1:c2VhbGVkIGJ5IHRoZSBwb2xs';

/** A supplier as queued: its EIN sealed. */
export function buildSupplier(overrides: Partial<SealedSupplier> = {}): SealedSupplier {
  return sealedSupplierSchema.parse({
    kind: 'supplier',
    wid: wid('supplier-1'),
    supplierId: 'S-0001',
    name: 'Acme Concrete, Inc.',
    status: 'ACTIVE',
    taxId: { type: 'EIN', hash: hashTaxId('12-3456789'), sealed: SEALED_EIN },
    address: {
      lines: ['100 Main St', 'Suite 4'],
      city: 'Springfield',
      region: 'US-IL',
      postalCode: '62701',
      country: 'US',
    },
    phone: '+1 217 555 0100',
    email: 'ap@acme.example',
    website: 'https://acme.example',
    ...overrides,
  });
}

export function buildSplit(overrides: Partial<LineSplit> = {}): LineSplit {
  return splitSchema.parse({ extendedAmount: '500.00', worktags: [projectTag('PRJ-1001')], ...overrides });
}

export function buildPoLine(overrides: Partial<PurchaseOrderLine> = {}): PurchaseOrderLine {
  return purchaseOrderLineSchema.parse({
    type: 'goods',
    lineId: 'POL-1042-1',
    lineNumber: 1,
    description: 'Ready-mix concrete',
    spendCategory: 'SC-MAT',
    extendedAmount: '1000.00',
    worktags: [projectTag('PRJ-1001'), costCodeTag('WD-CONC')],
    splits: [],
    ...overrides,
  });
}

export function buildPurchaseOrder(overrides: Partial<PurchaseOrder> = {}): PurchaseOrder {
  return purchaseOrderSchema.parse({
    kind: 'purchaseOrder',
    wid: wid('po-1042'),
    documentNumber: 'PO-1042',
    status: { id: 'Issued', descriptor: 'Issued' },
    supplier: { wid: wid('supplier-1'), ids: { Supplier_ID: 'S-0001' }, descriptor: 'Acme Concrete, Inc.' },
    documentDate: '2026-02-01',
    currency: 'USD',
    lines: [buildPoLine()],
    ...overrides,
  });
}

export function buildInvoiceLine(overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  return invoiceLineSchema.parse({
    lineId: 'SIL-1',
    lineOrder: '1',
    description: 'Concrete pour, level 2',
    spendCategory: 'SC-MAT',
    extendedAmount: '400.00',
    worktags: [projectTag('PRJ-1001'), costCodeTag('WD-CONC')],
    splits: [],
    ...overrides,
  });
}

/** An invoice line that bills a PO line by its Purchase_Order_Line_ID. */
export function buildPoBackedLine(poLineId: string, overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  return buildInvoiceLine({
    purchaseOrderLine: { ids: { Purchase_Order_Line_ID: poLineId } },
    worktags: [],
    ...overrides,
  });
}

const invoiceHeader = {
  wid: wid('invoice-9'),
  invoiceNumber: 'SINV-0009',
  suppliersInvoiceNumber: 'ACME-7781',
  status: { id: 'Approved' },
  supplier: { wid: wid('supplier-1'), ids: { Supplier_ID: 'S-0001' } },
  currency: 'USD',
  invoiceDate: '2026-03-15',
  controlTotal: '400.00',
};

export function buildInvoice(overrides: Partial<SupplierInvoice> = {}): SupplierInvoice {
  return supplierInvoiceSchema.parse({ kind: 'invoice', ...invoiceHeader, lines: [buildInvoiceLine()], ...overrides });
}

export function buildCreditMemo(overrides: Partial<CreditMemo> = {}): CreditMemo {
  return creditMemoSchema.parse({
    kind: 'creditMemo',
    ...invoiceHeader,
    wid: wid('adjustment-3'),
    invoiceNumber: 'ADJ-0003',
    suppliersInvoiceNumber: undefined,
    controlTotal: '100.00',
    increaseLiability: false,
    lines: [buildInvoiceLine({ extendedAmount: '100.00' })],
    ...overrides,
  });
}

/** A mapping context whose PO-line index holds the given POs (as the pipeline builds it from mapped POs). */
export function buildContext(
  purchaseOrders: PurchaseOrder[] = [],
  config: CustomerConfig = buildConfig(),
): MappingContext {
  const entries: PoLineInfo[] = purchaseOrders.flatMap((po) => poLineIndexEntries(po, config));
  return { poLines: poLineLookup(entries) };
}
