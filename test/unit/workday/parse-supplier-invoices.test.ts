import { describe, expect, it } from 'vitest';
import { parseInvoiceAdjustmentsPage, parseSupplierInvoicesPage } from '../../../lambdas/workday/parse';
import { invoiceLineXml, invoiceXml, readFixture, ref, responsePage, wid } from './workday-xml';

const invoices = () => parseSupplierInvoicesPage(readFixture('get-supplier-invoices.xml'));
const adjustments = () => parseInvoiceAdjustmentsPage(readFixture('get-supplier-invoice-adjustments.xml'));

describe('parseSupplierInvoicesPage()', () => {
  it('reads the paging figures and every invoice of the page', () => {
    const result = invoices();

    expect(result.results).toEqual({ totalResults: 2, totalPages: 1, pageResults: 2, page: 1 });
    expect(result.records.map((i) => i.invoiceNumber)).toEqual(['SINV-26-000981', 'SI-000982']);
    expect(result.rejected).toEqual([]);
  });

  it('reads the header, with Due_Date_Override as the due date and Control_Amount_Total as the control total', () => {
    const { lines, ...header } = invoices().records[0] ?? { lines: [] };

    expect(lines).toHaveLength(3);
    expect(header).toEqual({
      kind: 'invoice',
      wid: 'c7e8f90a1b2c3d4e5f60718293a4b5c6',
      invoiceNumber: 'SINV-26-000981',
      suppliersInvoiceNumber: 'INV-77812',
      status: { id: 'APPROVED', descriptor: 'Approved' },
      supplier: {
        wid: '3f9a1c2e4b5d4e7f8091a2b3c4d5e6f7',
        ids: { Supplier_ID: '00123' },
        descriptor: 'Acme Concrete & Rebar, Inc.',
      },
      company: {
        wid: 'e4d5c6b7a8f94e0d1c2b3a4f5e6d7c8b',
        ids: { Company_Reference_ID: 'C100' },
        descriptor: 'Acme Builders Inc.',
      },
      currency: 'USD',
      invoiceDate: '2026-02-10',
      dueDate: '2026-03-12',
      controlTotal: '2042.50',
      taxAmount: '42.50',
      freightAmount: '0',
      memo: 'February progress billing',
    });
  });

  it('sorts lines by Line_Order as numbers', () => {
    const lines = invoices().records[0]?.lines ?? [];

    expect(lines.map((l) => l.lineOrder)).toEqual(['1', '2', '10']);
  });

  it('mixes PO-backed lines, which reference their PO line, with lines that have no PO', () => {
    const [pumping, rebar, cleanup] = invoices().records[0]?.lines ?? [];

    expect(rebar).toEqual({
      lineId: 'SIL-981-2',
      lineOrder: '2',
      description: 'Rebar #5 Grade 60, 20 ft',
      purchaseOrderLine: {
        wid: 'f90a1b2c3d4e5f60718293a4b5c6d7e8',
        ids: { Purchase_Order_Line_ID: 'POL-42-1' },
        descriptor: 'PO-2026-00042 - Line 1',
      },
      spendCategory: 'SC_MATERIALS',
      quantity: '120',
      unitCost: '6.25',
      extendedAmount: '750.00',
      worktags: [{ type: 'Project_ID', id: 'PRJ-0042', descriptor: 'PRJ-0042 Harbor Point Tower' }],
      splits: [],
    });
    expect(pumping?.purchaseOrderLine).toEqual({
      ids: { Purchase_Order_Line_ID: 'SOL-42-2' },
      descriptor: 'PO-2026-00042 - Line 2',
    });
    expect(cleanup).not.toHaveProperty('purchaseOrderLine');
    expect(cleanup).toMatchObject({ spendCategory: 'SC_SITE_SERVICES', extendedAmount: '250.00' });
  });

  it('takes the description from Memo when there is no Item_Description', () => {
    const cleanup = invoices().records[0]?.lines[2];

    expect(cleanup).toMatchObject({ description: 'Site cleanup after pour', memo: 'Site cleanup after pour' });
  });

  it('reads invoice line splits with their worktags', () => {
    const pumping = invoices().records[0]?.lines[0];

    expect(pumping?.splits).toEqual([
      {
        extendedAmount: '600.00',
        worktags: [{ type: 'Custom_Worktag_1_ID', id: '03-3000', descriptor: '03-3000 Concrete Reinforcing' }],
      },
      {
        extendedAmount: '400.00',
        memo: 'Finishing',
        worktags: [{ type: 'Custom_Worktag_1_ID', id: '03-3500', descriptor: '03-3500 Concrete Finishing' }],
      },
    ]);
  });

  it('falls back to Supplier_Invoice_ID for the number and to Line_Order for the line ID', () => {
    const second = invoices().records[1];

    expect(second?.invoiceNumber).toBe('SI-000982');
    expect(second?.lines).toEqual([
      {
        lineId: '1',
        lineOrder: '1',
        description: 'Scaffold rental, 4 weeks',
        extendedAmount: '980.00',
        worktags: [{ type: 'Project_ID', id: 'PRJ-0043', descriptor: 'PRJ-0043 Harbor Point Tower B' }],
        splits: [],
      },
    ]);
  });

  it('gives an empty description to a line with neither Item_Description nor Memo', () => {
    const xml = responsePage('Get_Supplier_Invoices', [invoiceXml()]);

    expect(parseSupplierInvoicesPage(xml).records[0]?.lines[0]?.description).toBe('');
  });

  it('rejects an invoice with neither Invoice_Number nor Supplier_Invoice_ID', () => {
    const header =
      '<wd:Invoice_Date>2026-02-01</wd:Invoice_Date><wd:Control_Amount_Total>10.00</wd:Control_Amount_Total>';
    const xml = responsePage('Get_Supplier_Invoices', [invoiceXml({ wid: wid(0x301), header })]);

    const [rejected] = parseSupplierInvoicesPage(xml).rejected;

    expect(rejected?.key).toBe(`invoice:${wid(0x301)}`);
    expect(rejected?.error.issues).toEqual([
      { path: 'Supplier_Invoice_Data.Invoice_Number', message: 'missing, and no Supplier_Invoice_ID either' },
    ]);
  });

  it('rejects a line without Extended_Amount and a malformed date, keeping the other invoices', () => {
    const header =
      '<wd:Invoice_Number>INV-2</wd:Invoice_Number><wd:Invoice_Date>15/01/2026</wd:Invoice_Date>' +
      '<wd:Control_Amount_Total>10.00</wd:Control_Amount_Total>';
    const xml = responsePage('Get_Supplier_Invoices', [
      invoiceXml({ wid: wid(0x301) }),
      invoiceXml({ wid: wid(0x302), header, lines: [invoiceLineXml('<wd:Line_Order>1</wd:Line_Order>')] }),
    ]);

    const result = parseSupplierInvoicesPage(xml);

    expect(result.records.map((i) => i.wid)).toEqual([wid(0x301)]);
    expect(result.rejected[0]?.key).toBe(`invoice:${wid(0x302)}`);
    expect(result.rejected[0]?.error.issues).toEqual([
      { path: 'Supplier_Invoice_Data.Invoice_Date', message: 'not a date: "15/01/2026"' },
      { path: 'Supplier_Invoice_Data.Invoice_Line_Replacement_Data[0].Extended_Amount', message: 'missing' },
    ]);
  });
});

describe('parseInvoiceAdjustmentsPage()', () => {
  it('reads a credit memo with its control total, reason and original invoice', () => {
    const [memo] = adjustments().records;

    expect(memo).toMatchObject({
      kind: 'creditMemo',
      wid: '1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
      invoiceNumber: 'SIA-26-000120',
      status: { id: 'APPROVED', descriptor: 'Approved' },
      currency: 'USD',
      invoiceDate: '2026-02-20',
      controlTotal: '250.00',
      taxAmount: '0.00',
      memo: 'Returned 40 bars, damaged on delivery',
      increaseLiability: false,
      reason: 'Returned Goods',
      originalInvoice: {
        wid: 'c7e8f90a1b2c3d4e5f60718293a4b5c6',
        ids: { Supplier_Invoice_Reference_ID: 'SI-000981' },
        descriptor: 'Supplier Invoice: SINV-26-000981',
      },
    });
    expect(memo?.lines).toEqual([
      {
        lineId: 'SIAL-120-1',
        lineOrder: '1',
        description: 'Rebar #5 Grade 60, 20 ft',
        purchaseOrderLine: {
          wid: 'f90a1b2c3d4e5f60718293a4b5c6d7e8',
          ids: { Purchase_Order_Line_ID: 'POL-42-1' },
          descriptor: 'PO-2026-00042 - Line 1',
        },
        quantity: '40',
        unitCost: '6.25',
        extendedAmount: '250.00',
        worktags: [{ type: 'Project_ID', id: 'PRJ-0042', descriptor: 'PRJ-0042 Harbor Point Tower' }],
        splits: [],
      },
    ]);
  });

  it('prefers Invoice_Adjustment_Number, and reads Increase_Liability, Control_Amount_Total and Adjustment_Status_Reference', () => {
    const second = adjustments().records[1];

    expect(second).toMatchObject({
      invoiceNumber: 'ADJ-0007',
      suppliersInvoiceNumber: 'DM-0031',
      status: { id: 'IN_PROGRESS', descriptor: 'In Progress' },
      increaseLiability: true,
      controlTotal: '75.00',
      reason: 'PRICE_CORRECTION',
    });
  });

  it.each([
    ['1', true],
    ['0', false],
    ['true', true],
    ['false', false],
  ])('reads Increase_Liability %s as %s', (text, expected) => {
    const header =
      '<wd:Invoice_Number>ADJ-1</wd:Invoice_Number>' +
      `<wd:Increase_Liability>${text}</wd:Increase_Liability>` +
      '<wd:Adjustment_Date>2026-02-01</wd:Adjustment_Date><wd:Control_Total_Amount>10.00</wd:Control_Total_Amount>';
    const xml = responsePage('Get_Supplier_Invoice_Adjustments', [invoiceXml({ kind: 'adjustment', header })]);

    expect(parseInvoiceAdjustmentsPage(xml).records[0]?.increaseLiability).toBe(expected);
  });

  it('treats a missing Increase_Liability as false and falls back to Supplier_Invoice_Adjustment_ID for the number', () => {
    const header =
      '<wd:Supplier_Invoice_Adjustment_ID>SIA-9</wd:Supplier_Invoice_Adjustment_ID>' +
      '<wd:Adjustment_Date>2026-02-01</wd:Adjustment_Date><wd:Control_Total_Amount>10.00</wd:Control_Total_Amount>';
    const xml = responsePage('Get_Supplier_Invoice_Adjustments', [invoiceXml({ kind: 'adjustment', header })]);

    expect(parseInvoiceAdjustmentsPage(xml).records[0]).toMatchObject({
      increaseLiability: false,
      invoiceNumber: 'SIA-9',
    });
  });

  it('rejects an adjustment with no control total under either name', () => {
    const header =
      '<wd:Invoice_Number>ADJ-1</wd:Invoice_Number><wd:Adjustment_Date>2026-02-01</wd:Adjustment_Date>' +
      ref('Adjustment_Reason_Reference', { Invoice_Adjustment_Reason_ID: 'RETURN' });
    const xml = responsePage('Get_Supplier_Invoice_Adjustments', [
      invoiceXml({ kind: 'adjustment', wid: wid(0x401), header }),
    ]);

    const [rejected] = parseInvoiceAdjustmentsPage(xml).rejected;

    expect(rejected?.key).toBe(`creditMemo:${wid(0x401)}`);
    expect(rejected?.error.issues).toEqual([
      { path: 'Supplier_Invoice_Adjustment_Data.Control_Total_Amount', message: 'missing' },
    ]);
  });

  it('rejects a boolean it cannot read rather than guessing', () => {
    const header =
      '<wd:Invoice_Number>ADJ-1</wd:Invoice_Number><wd:Increase_Liability>Y</wd:Increase_Liability>' +
      '<wd:Adjustment_Date>2026-02-01</wd:Adjustment_Date><wd:Control_Total_Amount>10.00</wd:Control_Total_Amount>';
    const xml = responsePage('Get_Supplier_Invoice_Adjustments', [invoiceXml({ kind: 'adjustment', header })]);

    expect(parseInvoiceAdjustmentsPage(xml).rejected[0]?.error.issues).toEqual([
      {
        path: 'Supplier_Invoice_Adjustment_Data.Increase_Liability',
        message: 'not a boolean (1, 0, true or false): "Y"',
      },
    ]);
  });
});
