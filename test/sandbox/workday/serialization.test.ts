import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../../lambdas/shared/xml';
import {
  buildAdjustment,
  buildGoodsLine,
  buildInvoice,
  buildPurchaseOrder,
  buildServiceLine,
  buildSplit,
  buildSupplier,
  buildWorktag,
  DEFAULT_SWITCHES,
  type InvoiceAdjustment,
  type PurchaseOrder,
  type Supplier,
  type SupplierInvoice,
} from '../../../sandbox/workday';
import { asList, call, dig, type Harness, ids, type Json, one, references, results, startHarness } from './helpers';

const WID = /^[0-9a-f]{32}$/;

/** Element order of the derived Resource_Management type outline (subset the simulator emits, plus newer names). */
const OUTLINE = {
  Supplier_Data: [
    'Supplier_ID',
    'Supplier_Reference_ID',
    'Supplier_Name',
    'Worktag_Only',
    'Restricted_To_Companies_Reference',
    'Approval_Status_Reference',
    'Submit',
    'IRS_1099_Supplier',
    'Tax_ID_Data',
    'Tax_Status',
    'Supplier_Category_Reference',
    'Supplier_Group_Reference',
    'Payment_Terms_Reference',
    'Payment_Types_Accepted_Reference',
    'Default_Payment_Type_Reference',
    'Business_Entity_Data',
    'Settlement_Account_Data',
    'Supplier_Status_Data',
    'Currency_Reference',
    'Accepted_Currencies_Reference',
  ],
  Purchase_Order_Data: [
    'Purchase_Order_ID',
    'Locked_in_Workday',
    'Document_Number',
    'Purchase_Order_Document_Status_Reference',
    'Company_Reference',
    'Supplier_Reference',
    'Document_Date',
    'Acknowledgement_Expected',
    'Tax_Amount',
    'Freight_Amount',
    'Other_Charges',
    'Payment_Terms_Reference',
    'Due_Date',
    'Currency_Reference',
    'Memo',
    'Goods_Line_Data',
    'Service_Line_Data',
  ],
  Goods_Line_Data: [
    'Item_Reference',
    'Goods_Purchase_Order_Line_ID',
    'Line_Number',
    'Item_Description',
    'Resource_Category_Reference',
    'Quantity',
    'Unit_of_Measure_Reference',
    'Unit_Cost',
    'Extended_Amount',
    'Due_Date',
    'Memo',
    'Worktags_Reference',
    'Goods_Purchase_Order_Line_Split_Data',
  ],
  Service_Line_Data: [
    'Item_Reference',
    'Service_Order_Line_ID',
    'Line_Number',
    'Description',
    'Resource_Category_Reference',
    'Extended_Amount',
    'Due_Date',
    'Start_Date',
    'End_Date',
    'Memo',
    'Worktags_Reference',
    'Service_Purchase_Order_Line_Split_Data',
  ],
  Supplier_Invoice_Data: [
    'Supplier_Invoice_ID',
    'Submit',
    'Locked_in_Workday',
    'Invoice_Number',
    'Invoice_Document_Status_Reference',
    'Company_Reference',
    'Currency_Reference',
    'Supplier_Reference',
    'Invoice_Date',
    'Due_Date_Override',
    'On_Hold',
    'Control_Amount_Total',
    'Tax_Amount',
    'Freight_Amount',
    'Other_Charges',
    'Suppliers_Invoice_Number',
    'Memo',
    'Payment_Terms_Reference',
    'Invoice_Line_Replacement_Data',
  ],
  Invoice_Line_Replacement_Data: [
    'Supplier_Invoice_Line_ID',
    'Line_Order',
    'Item_Description',
    'Purchase_Order_Line_Reference',
    'Spend_Category_Reference',
    'Quantity',
    'Unit_Cost',
    'Extended_Amount',
    'Memo',
    'Worktags_Reference',
    'Billable',
    'Supplier_Invoice_Split_Line_Data',
  ],
  Supplier_Invoice_Adjustment_Data: [
    'Supplier_Invoice_Adjustment_ID',
    'Locked_in_Workday',
    'Invoice_Number',
    'Company_Reference',
    'Currency_Reference',
    'Supplier_Reference',
    'Increase_Liability',
    'Adjustment_Reason_Reference',
    'Adjustment_Date',
    'Due_Date_Override',
    'Control_Total_Amount',
    'Tax_Amount',
    'Freight_Amount',
    'Other_Charges',
    'Original_Invoice_Reference',
    'Payment_Terms_Reference',
    'On_Hold',
    'Supplier_Reference_Number',
    'Document_Memo',
    'Invoice_Line_Replacement_Data',
  ],
} as const;

function childOrder(element: unknown): string[] {
  return Object.keys(one(element)).filter((k) => !k.startsWith('@_') && k !== '#text');
}

/** True when `names` appear in `order` in the same relative order (and all are known). */
function followsOutline(names: readonly string[], order: readonly string[]): boolean {
  const positions = names.map((n) => order.indexOf(n));
  return positions.every((p, i) => p >= 0 && (i === 0 || p > (positions[i - 1] ?? -1)));
}

describe('Workday simulator: serialisation (checklist 10–14)', () => {
  let h: Harness;
  let supplier: Supplier;
  let po: PurchaseOrder;
  let invoice: SupplierInvoice;
  let adjustment: InvoiceAdjustment;

  beforeAll(async () => {
    h = await startHarness();
    supplier = buildSupplier({
      name: `Smith & Sons <Builders> "Ltd" 🚧 ]]> O'Neil`,
      status: 'INACTIVE',
      taxIds: [
        { type: 'USA-EIN', typeDescriptor: 'EIN', value: '12-3456789', primary: true, transactionTaxId: false },
        { type: 'USA-SSN', typeDescriptor: 'SSN', value: '123-45-6789', primary: false, transactionTaxId: false },
      ],
      settlementAccounts: [
        {
          accountId: 'SBA-1',
          countryCode: 'GB',
          currency: 'GBP',
          accountType: 'DDA',
          bankName: 'Example Bank plc',
          accountNumber: '31926819',
          accountName: 'Smith & Sons',
          iban: 'GB29NWBK60161331926819',
          swift: 'NWBKGB2L',
          inactive: false,
        },
      ],
    });
    const oldAddress = supplier.addresses[0];
    if (oldAddress) {
      supplier.addresses.push({
        ...oldAddress,
        effectiveDate: '2023-07-01',
        lines: ['1 New Road'],
        addressId: 'ADDR-2',
      });
    }
    po = buildPurchaseOrder({
      supplier,
      memo: 'Line one\nLine two',
      goodsLines: [
        buildGoodsLine({
          lineNumber: 1,
          worktags: [
            buildWorktag('Project_ID', 'PRJ-1', 'Tower A'),
            buildWorktag('Project_ID', 'PRJ-2', 'Tower B'),
            buildWorktag('Custom_Worktag_1_ID', 'CW1-7', 'Phase 7'),
            buildWorktag('Custom_Organization_Reference_ID', 'LOB-3', 'Line of Business 3'),
          ],
          splits: [
            buildSplit({
              quantity: '6',
              extendedAmount: '750.00',
              worktags: [buildWorktag('Cost_Center_Reference_ID', 'CC-1')],
            }),
            buildSplit({
              quantity: '4',
              extendedAmount: '500.00',
              worktags: [buildWorktag('Cost_Center_Reference_ID', 'CC-2')],
            }),
          ],
        }),
        buildGoodsLine({ lineNumber: 3, extendedAmount: '99.50', quantity: '1', unitCost: '99.50' }),
      ],
      serviceLines: [buildServiceLine({ lineNumber: 2 })],
    });
    invoice = buildInvoice({ purchaseOrder: po });
    adjustment = buildAdjustment({ invoice });
    h.sim.store.suppliers.put(supplier);
    h.sim.store.purchaseOrders.put(po);
    h.sim.store.invoices.put(invoice);
    h.sim.store.adjustments.put(adjustment);
  });
  afterEach(() => {
    Object.assign(h.sim.switches, DEFAULT_SWITCHES);
  });
  afterAll(() => h.close());

  const getSupplier = async (options = {}) =>
    one(dig(results(await call(h.url, 'Get_Suppliers', '', options), 'Get_Suppliers', 'Supplier')[0], 'Supplier_Data'));
  const getPo = async (options = {}) => {
    const reply = await call(
      h.url,
      'Get_Purchase_Orders',
      references('Purchase_Order_Reference', [['WID', po.wid]]),
      options,
    );
    return one(dig(results(reply, 'Get_Purchase_Orders', 'Purchase_Order')[0], 'Purchase_Order_Data'));
  };
  const getInvoice = async () =>
    one(
      dig(
        results(await call(h.url, 'Get_Supplier_Invoices'), 'Get_Supplier_Invoices', 'Supplier_Invoice')[0],
        'Supplier_Invoice_Data',
      ),
    );
  const getAdjustment = async () =>
    one(
      dig(
        results(
          await call(h.url, 'Get_Supplier_Invoice_Adjustments'),
          'Get_Supplier_Invoice_Adjustments',
          'Supplier_Invoice_Adjustment',
        )[0],
        'Supplier_Invoice_Adjustment_Data',
      ),
    );

  it('gives every reference a 32-hex WID plus its business IDs', async () => {
    const data = await getPo();

    expect(ids(data.Supplier_Reference)).toEqual({
      WID: supplier.wid,
      Supplier_ID: supplier.supplierId,
      Supplier_Reference_ID: supplier.supplierReferenceId,
    });
    expect(ids(data.Company_Reference)).toEqual({
      WID: expect.stringMatching(WID),
      Company_Reference_ID: 'C100',
      Organization_Reference_ID: 'C100',
    });
    expect(ids(data.Currency_Reference)).toEqual({ WID: expect.stringMatching(WID), Currency_ID: 'USD' });
    expect(ids(data.Purchase_Order_Document_Status_Reference)).toEqual({
      WID: expect.stringMatching(WID),
      Document_Status_ID: 'ISSUED',
    });
  });

  it('adds wd:Descriptor only when Include_Reference_Descriptors_In_Response is true', async () => {
    const withDescriptors = await call(h.url, 'Get_Purchase_Orders', '', { descriptors: true });
    const without = await call(h.url, 'Get_Purchase_Orders', '', { descriptors: false });
    const noHeader = await call(h.url, 'Get_Purchase_Orders');

    const data = one(dig(results(withDescriptors, 'Get_Purchase_Orders', 'Purchase_Order')[0], 'Purchase_Order_Data'));
    expect(one(data.Supplier_Reference)['@_Descriptor']).toBe(supplier.name);
    expect(one(data.Purchase_Order_Document_Status_Reference)['@_Descriptor']).toBe('Issued');
    expect(without.text).not.toContain('wd:Descriptor');
    expect(noHeader.text).not.toContain('wd:Descriptor');
  });

  it('adds descriptors unasked when descriptorsWhenNotRequested is on', async () => {
    h.sim.switches.descriptorsWhenNotRequested = true;

    const reply = await call(h.url, 'Get_Purchase_Orders');

    expect(reply.text).toContain('wd:Descriptor="Issued"');
  });

  it('writes a repeating element that occurs once as a single element, not a list', async () => {
    const reply = await call(h.url, 'Get_Purchase_Orders', references('Purchase_Order_Reference', [['WID', po.wid]]));
    const bare = parseXml(reply.text, { arrays: new Set() });
    const order = dig(bare, 'Envelope', 'Body', 'Get_Purchase_Orders_Response', 'Response_Data', 'Purchase_Order');
    const data = dig(order, 'Purchase_Order_Data');

    expect(Array.isArray(order)).toBe(false);
    expect(Array.isArray(data)).toBe(false);
    expect(Array.isArray(dig(data, 'Service_Line_Data'))).toBe(false);
    expect(Array.isArray(dig(data, 'Service_Line_Data', 'Worktags_Reference'))).toBe(true);
    expect(Array.isArray(dig(data, 'Goods_Line_Data'))).toBe(true);
    const splitRef = asList(dig(data, 'Goods_Line_Data'))[0];
    expect(
      Array.isArray(
        dig(splitRef, 'Goods_Purchase_Order_Line_Split_Data', 'Business_Document_Line_Split_Reference', 'ID'),
      ),
    ).toBe(false);
  });

  it('writes booleans as 1/0 by default and true/false when booleansAsDigits is off', async () => {
    const digits = await getSupplier();
    h.sim.switches.booleansAsDigits = false;
    const words = await getSupplier();

    const primary = (data: Json) => dig(data, 'Tax_ID_Widget_Data', 'Tax_ID_Data', 'Primary_Tax_ID');
    expect([digits.Worktag_Only, primary(digits)]).toEqual(['0', '1']);
    expect([words.Worktag_Only, primary(words)]).toEqual(['false', 'true']);
  });

  it('mixes 1 and true for wd:Primary in one document, as Workday does', async () => {
    const reply = await call(h.url, 'Get_Suppliers');

    expect(reply.text).toContain('wd:Primary="1"');
    expect(reply.text).toContain('wd:Primary="true"');
  });

  it('writes decimals as plain strings and dates with the tenant offset', async () => {
    const data = await getPo();
    const goods = asList(data.Goods_Line_Data);

    expect([dig(goods[0], 'Quantity'), dig(goods[0], 'Unit_Cost'), dig(goods[0], 'Extended_Amount')]).toEqual([
      '10',
      '125.00',
      '1250.00',
    ]);
    expect(dig(goods[1], 'Extended_Amount')).toBe('99.50');
    expect(data.Document_Date).toBe('2024-03-01-08:00');
    expect(data.Due_Date).toBe('2024-04-01-07:00');
  });

  it('writes bare dates when datesWithZoneOffset is off', async () => {
    h.sim.switches.datesWithZoneOffset = false;

    const data = await getPo();

    expect(data.Document_Date).toBe('2024-03-01');
  });

  it('leaves empty optional elements out', async () => {
    const bare = buildPurchaseOrder();
    delete bare.memo;
    delete bare.taxAmount;
    h.sim.store.purchaseOrders.put(bare);

    const reply = await call(h.url, 'Get_Purchase_Orders', references('Purchase_Order_Reference', [['WID', bare.wid]]));

    const data = one(dig(results(reply, 'Get_Purchase_Orders', 'Purchase_Order')[0], 'Purchase_Order_Data'));
    expect(data).not.toHaveProperty('Memo');
    expect(data).not.toHaveProperty('Tax_Amount');
    expect(reply.text).not.toMatch(/<wd:\w+\/>|<wd:(\w+)[^>]*><\/wd:\1>/);
  });

  it('escapes markup characters, quotes and emoji so names round-trip', async () => {
    const data = await getSupplier({ descriptors: true });
    const po = await getPo({ descriptors: true });

    expect(data.Supplier_Name).toBe(supplier.name);
    expect(one(po.Supplier_Reference)['@_Descriptor']).toBe(supplier.name);
    expect(po.Memo).toBe('Line one\nLine two');
  });

  it('keeps the outline element order in every *_Data element', async () => {
    // The outline is of the v28–30 types, whose tax IDs and bank accounts are bare.
    h.sim.switches.supplierWidgetWrappers = false;
    const supplierData = await getSupplier();
    const poData = await getPo();
    const invoiceData = await getInvoice();
    const adjustmentData = await getAdjustment();

    expect(followsOutline(childOrder(supplierData), OUTLINE.Supplier_Data)).toBe(true);
    expect(followsOutline(childOrder(poData), OUTLINE.Purchase_Order_Data)).toBe(true);
    for (const line of asList(poData.Goods_Line_Data)) {
      expect(followsOutline(childOrder(line), OUTLINE.Goods_Line_Data)).toBe(true);
    }
    expect(followsOutline(childOrder(asList(poData.Service_Line_Data)[0]), OUTLINE.Service_Line_Data)).toBe(true);
    expect(followsOutline(childOrder(invoiceData), OUTLINE.Supplier_Invoice_Data)).toBe(true);
    for (const line of asList(invoiceData.Invoice_Line_Replacement_Data)) {
      expect(followsOutline(childOrder(line), OUTLINE.Invoice_Line_Replacement_Data)).toBe(true);
    }
    expect(followsOutline(childOrder(adjustmentData), OUTLINE.Supplier_Invoice_Adjustment_Data)).toBe(true);
  });

  it('emits goods lines before service lines, with splits, repeated and custom worktags (checklist 13)', async () => {
    const data = await getPo();
    const goods = asList(data.Goods_Line_Data);
    const service = asList(data.Service_Line_Data);

    expect(goods.map((l) => l.Line_Number)).toEqual(['1', '3']);
    expect(service.map((l) => l.Line_Number)).toEqual(['2']);
    expect(service[0]?.Description).toBe('Site preparation and grading');
    expect(service[0]).not.toHaveProperty('Quantity');
    const worktags = asList(goods[0]?.Worktags_Reference).map(ids);
    const specific = (w: Record<string, string>) =>
      Object.keys(w).find((k) => k !== 'WID' && k !== 'Organization_Reference_ID');
    expect(worktags.map(specific)).toEqual([
      'Project_ID',
      'Project_ID',
      'Custom_Worktag_1_ID',
      'Custom_Organization_Reference_ID',
    ]);
    // v45.1: an organisation worktag also answers to the generic Organization_Reference_ID.
    expect(worktags.map((w) => 'Organization_Reference_ID' in w)).toEqual([false, false, false, true]);
    const splits = asList(goods[0]?.Goods_Purchase_Order_Line_Split_Data);
    expect(splits.map((s) => [s.Extended_Amount, ids(s.Worktag_Reference).Cost_Center_Reference_ID])).toEqual([
      ['750.00', 'CC-1'],
      ['500.00', 'CC-2'],
    ]);
    expect(ids(goods[0]?.Resource_Category_Reference)).toMatchObject({ Spend_Category_ID: 'SC_MATERIALS' });
    expect(worktags.some((w) => 'Spend_Category_ID' in w)).toBe(false);
  });

  it('puts the generic Organization_Reference_ID in varying places, and leaves it out under the older shape', async () => {
    const centers = Array.from({ length: 12 }, (_, n) => buildWorktag('Cost_Center_Reference_ID', `CC-${n}`));
    const order = buildPurchaseOrder({ goodsLines: [buildGoodsLine({ worktags: centers })], serviceLines: [] });
    h.sim.store.purchaseOrders.put(order);
    const idTypes = async () => {
      const reply = await call(
        h.url,
        'Get_Purchase_Orders',
        references('Purchase_Order_Reference', [['WID', order.wid]]),
      );
      return [...reply.text.matchAll(/<wd:Worktags_Reference[^>]*>(.*?)<\/wd:Worktags_Reference>/g)].map((m) =>
        [...(m[1] ?? '').matchAll(/wd:type="([^"]+)"/g)].map((t) => t[1]).join(','),
      );
    };

    const v45 = await idTypes();
    h.sim.switches.organizationWorktagsWithGenericId = false;
    const older = await idTypes();

    expect(v45).toHaveLength(12);
    expect(new Set(v45.map((types) => types.split(',').indexOf('Organization_Reference_ID'))).size).toBeGreaterThan(1);
    expect(
      v45.every((types) => types.split(',').sort().join() === 'Cost_Center_Reference_ID,Organization_Reference_ID,WID'),
    ).toBe(true);
    expect(new Set(older)).toEqual(new Set(['WID,Cost_Center_Reference_ID']));
  });

  it("points invoice lines at the PO line's own ID, or at Document_Number-Line_Number when switched", async () => {
    h.sim.switches.poLineReferencesByLineNumber = false;
    const matching = asList((await getInvoice()).Invoice_Line_Replacement_Data);
    h.sim.switches.poLineIdMatchesInvoiceReference = false;
    const composite = asList((await getInvoice()).Invoice_Line_Replacement_Data);

    const firstGoods = po.goodsLines[0];
    expect(ids(matching[0]?.Purchase_Order_Line_Reference)).toEqual({
      WID: firstGoods?.wid,
      Purchase_Order_Line_ID: firstGoods?.lineId,
    });
    expect(ids(composite[0]?.Purchase_Order_Line_Reference).Purchase_Order_Line_ID).toBe(`${po.documentNumber}-1`);
    expect(ids(matching[0]?.Spend_Category_Reference)).toMatchObject({ Spend_Category_ID: 'SC_MATERIALS' });
  });

  it('names some PO lines by Line_Number within the PO (parent_id), all by Purchase_Order_Line_ID under the older shape', async () => {
    const lines = Array.from({ length: 12 }, (_, n) => buildGoodsLine({ lineNumber: n + 1 }));
    const order = buildPurchaseOrder({ goodsLines: lines, serviceLines: [] });
    const billing = buildInvoice({ purchaseOrder: order });
    h.sim.store.purchaseOrders.put(order);
    h.sim.store.invoices.put(billing);
    const lineReferences = async () => {
      const reply = await call(
        h.url,
        'Get_Supplier_Invoices',
        references('Supplier_Invoice_Reference', [['WID', billing.wid]]),
      );
      return [
        ...reply.text.matchAll(/<wd:Purchase_Order_Line_Reference[^>]*>(.*?)<\/wd:Purchase_Order_Line_Reference>/g),
      ].map((m) => m[1] ?? '');
    };

    const v45 = await lineReferences();
    h.sim.switches.poLineReferencesByLineNumber = false;
    const older = await lineReferences();

    const byNumber = v45.filter((r) => r.includes('wd:type="Line_Number"'));
    expect(byNumber.length).toBeGreaterThan(0);
    expect(byNumber.length).toBeLessThan(12);
    for (const r of byNumber) {
      expect(r).toContain(`wd:parent_id="${order.documentNumber}" wd:parent_type="Document_Number"`);
      expect(r).not.toContain('Purchase_Order_Line_ID');
    }
    expect(older.every((r) => r.includes('Purchase_Order_Line_ID') && !r.includes('Line_Number'))).toBe(true);
  });

  it('serialises credit memos with Control_Total_Amount and Original_Invoice_Reference (checklist 14)', async () => {
    const data = await getAdjustment();

    expect(data.Control_Total_Amount).toBe('-250.00');
    expect(data).not.toHaveProperty('Control_Amount_Total');
    expect(data.Increase_Liability).toBe('0');
    expect(data.Adjustment_Date).toBe('2024-03-20-07:00');
    expect(ids(data.Original_Invoice_Reference)).toEqual({
      WID: invoice.wid,
      Supplier_Invoice_Reference_ID: invoice.supplierInvoiceId,
    });
    expect(data.Document_Memo).toBeUndefined();
  });

  it('includes bank details, every tax ID, address history and status history on suppliers', async () => {
    h.sim.switches.supplierWidgetWrappers = false;
    const data = await getSupplier();
    const account = one(asList(data.Settlement_Account_Data)[0]);
    const taxIds = asList(data.Tax_ID_Data);
    const addresses = asList(dig(data, 'Business_Entity_Data', 'Contact_Data', 'Address_Data'));
    const statuses = asList(data.Supplier_Status_Data);

    expect([account.IBAN, account.Bank_Account_Number, account.SWIFT_Bank_Identification_Code]).toEqual([
      'GB29NWBK60161331926819',
      '31926819',
      'NWBKGB2L',
    ]);
    expect(taxIds.map((t) => [t.Tax_ID_Text, ids(t.Tax_ID_Type_Reference).Tax_ID_Type, t.Primary_Tax_ID])).toEqual([
      ['12-3456789', 'USA-EIN', '1'],
      ['123-45-6789', 'USA-SSN', '0'],
    ]);
    expect(addresses.map((a) => a['@_Effective_Date'])).toEqual(['2020-01-01-08:00', '2023-07-01-07:00']);
    expect(ids(addresses[0]?.Country_Reference)).toMatchObject({
      'ISO_3166-1_Alpha-2_Code': 'US',
      'ISO_3166-1_Alpha-3_Code': 'USA',
    });
    expect(ids(addresses[0]?.Country_Region_Reference)).toMatchObject({ Country_Region_ID: 'USA-CA' });
    expect(String(addresses[0]?.['@_Formatted_Address'])).toContain('&#xa;San Francisco, CA 94105&#xa;');
    expect(statuses.map((s) => ids(s.Status_Reference).Business_Entity_Status_Value_ID)).toEqual([
      'ACTIVE',
      'INACTIVE',
    ]);
  });

  it('wraps tax IDs and settlement accounts in *_Widget_Data unless supplierWidgetWrappers is off', async () => {
    const data: Json = await getSupplier();

    expect(data).not.toHaveProperty('Tax_ID_Data');
    expect(asList(dig(data, 'Tax_ID_Widget_Data', 'Tax_ID_Data'))).toHaveLength(2);
    expect(dig(data, 'Settlement_Account_Widget_Data', 'Settlement_Account_Data', 'IBAN')).toBe(
      'GB29NWBK60161331926819',
    );
  });

  it('puts the v45.1 phone formats in attributes, and the older Area_Code element and Formatted_Phone when switched', async () => {
    const v45 = asList(dig(await getSupplier(), 'Business_Entity_Data', 'Contact_Data', 'Phone_Data'))[0];
    h.sim.switches.phoneFormatAttributes = false;
    const older = asList(dig(await getSupplier(), 'Business_Entity_Data', 'Contact_Data', 'Phone_Data'))[0];

    expect(v45).toMatchObject({
      '@_Area_Code': '415',
      '@_E164_Formatted_Phone': expect.stringMatching(/^\+1415\d{7}$/),
    });
    expect(v45).not.toHaveProperty('Area_Code');
    expect(v45).not.toHaveProperty('@_Formatted_Phone');
    expect(String(v45?.Phone_Number)).toMatch(/^415-/);
    expect(older).toMatchObject({ Area_Code: '415', '@_Formatted_Phone': expect.stringMatching(/^\+1 \(415\) /) });
    expect(older).not.toHaveProperty('@_E164_Formatted_Phone');
  });

  it('sends a line’s extra worktags in Purchase_Order_Line_Worktags_Data, or in Worktags_Reference under the older shape', async () => {
    const line = buildGoodsLine({ lineWorktagsData: [buildWorktag('Custom_Worktag_1_ID', '03-3000')] });
    const order = buildPurchaseOrder({ goodsLines: [line], serviceLines: [] });
    h.sim.store.purchaseOrders.put(order);
    const goods = async () => {
      const reply = await call(
        h.url,
        'Get_Purchase_Orders',
        references('Purchase_Order_Reference', [['WID', order.wid]]),
      );
      return one(
        dig(results(reply, 'Get_Purchase_Orders', 'Purchase_Order')[0], 'Purchase_Order_Data', 'Goods_Line_Data'),
      );
    };

    const v45 = await goods();
    h.sim.switches.poLineWorktagsData = false;
    const older = await goods();

    expect(asList(v45.Worktags_Reference)).toHaveLength(2);
    expect(ids(dig(v45, 'Purchase_Order_Line_Worktags_Data', 'Worktag_Reference')).Custom_Worktag_1_ID).toBe('03-3000');
    expect(asList(older.Worktags_Reference)).toHaveLength(3);
    expect(older).not.toHaveProperty('Purchase_Order_Line_Worktags_Data');
  });

  it('names the adjustment reason by Adjustment_Reason_ID', async () => {
    expect(ids((await getAdjustment()).Adjustment_Reason_Reference)).toMatchObject({
      Adjustment_Reason_ID: 'DAMAGED_GOODS',
    });
  });
});
