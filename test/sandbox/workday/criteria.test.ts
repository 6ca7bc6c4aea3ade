import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAdjustment,
  buildInvoice,
  buildPurchaseOrder,
  buildSupplier,
  DEFAULT_SWITCHES,
  type Supplier,
} from '../../../sandbox/workday';
import {
  call,
  criteria,
  dig,
  faultOf,
  type Harness,
  refCriterion,
  responseOf,
  results,
  type SoapReply,
  startHarness,
  T0,
} from './helpers';

const MINUTE = 60_000;
const supplierNames = (reply: SoapReply) =>
  results(reply, 'Get_Suppliers', 'Supplier').map((s) => String(dig(s, 'Supplier_Data', 'Supplier_Name')));
const updated = (from: string, to: string) =>
  criteria(
    `<bsvc:Updated_From_Date>${from}</bsvc:Updated_From_Date><bsvc:Updated_To_Date>${to}</bsvc:Updated_To_Date>`,
  );

describe('Workday simulator: Updated_From_Date / Updated_To_Date (checklist 8)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    // Entered 09:00, 09:30 and 10:00 Pacific daylight time on 2024-06-03 (T0 is 10:00).
    h.sim.store.suppliers.put(buildSupplier({ name: 'At 09:00' }), T0 - 60 * MINUTE);
    h.sim.store.suppliers.put(buildSupplier({ name: 'At 09:30' }), T0 - 30 * MINUTE);
    h.sim.store.suppliers.put(buildSupplier({ name: 'At 10:00' }), T0);
    const po = buildPurchaseOrder({ documentNumber: 'PO-WINDOW', documentDate: '2020-01-01' });
    h.sim.store.purchaseOrders.put(po, T0 - 30 * MINUTE);
  });
  afterEach(() => {
    Object.assign(h.sim.switches, DEFAULT_SWITCHES);
  });
  afterAll(() => h.close());

  const sorted = (reply: SoapReply) => supplierNames(reply).sort();

  it('includes both bounds by default', async () => {
    const reply = await call(h.url, 'Get_Suppliers', updated('2024-06-03T09:00:00-07:00', '2024-06-03T10:00:00-07:00'));

    expect(sorted(reply)).toEqual(['At 09:00', 'At 09:30', 'At 10:00']);
  });

  it('excludes the upper bound when dateBoundsInclusive is off (half-open)', async () => {
    h.sim.switches.dateBoundsInclusive = false;

    const reply = await call(h.url, 'Get_Suppliers', updated('2024-06-03T09:00:00-07:00', '2024-06-03T10:00:00-07:00'));

    expect(sorted(reply)).toEqual(['At 09:00', 'At 09:30']);
  });

  it('reads UTC, offset and naive (tenant-time) date-times as the same instants', async () => {
    const utc = await call(h.url, 'Get_Suppliers', updated('2024-06-03T16:15:00Z', '2024-06-03T16:45:00Z'));
    const offset = await call(
      h.url,
      'Get_Suppliers',
      updated('2024-06-03T09:15:00-07:00', '2024-06-03T12:45:00-04:00'),
    );
    const naive = await call(h.url, 'Get_Suppliers', updated('2024-06-03T09:15:00', '2024-06-03T09:45:00.000'));

    expect(supplierNames(utc)).toEqual(['At 09:30']);
    expect(supplierNames(offset)).toEqual(['At 09:30']);
    expect(supplierNames(naive)).toEqual(['At 09:30']);
  });

  it('compares purchase orders on their entry moment, not their document date', async () => {
    const reply = await call(
      h.url,
      'Get_Purchase_Orders',
      updated('2024-06-03T09:15:00-07:00', '2024-06-03T09:45:00-07:00'),
    );

    const pos = results(reply, 'Get_Purchase_Orders', 'Purchase_Order');
    expect(pos.map((p) => dig(p, 'Purchase_Order_Data', 'Document_Number'))).toEqual([['PO-WINDOW']].flat());
  });

  it.each([
    [
      'only Updated_From_Date',
      criteria('<bsvc:Updated_From_Date>2024-06-03T09:00:00Z</bsvc:Updated_From_Date>'),
      'UPDATED_RANGE_INCOMPLETE',
    ],
    [
      'only Updated_To_Date',
      criteria('<bsvc:Updated_To_Date>2024-06-03T09:00:00Z</bsvc:Updated_To_Date>'),
      'UPDATED_RANGE_INCOMPLETE',
    ],
    ['From after To', updated('2024-06-03T10:00:00Z', '2024-06-03T09:00:00Z'), 'UPDATED_RANGE_REVERSED'],
    ['To in the future', updated('2024-06-03T09:00:00-07:00', '2024-06-03T10:00:01-07:00'), 'UPDATED_TO_IN_FUTURE'],
    ['a non-date', updated('last week', '2024-06-03T09:00:00Z'), 'INVALID_DATETIME'],
  ])('rejects %s', async (_name, inner, code) => {
    const reply = await call(h.url, 'Get_Suppliers', inner);

    expect(reply.status).toBe(500);
    expect(faultOf(reply).faultcode).toBe('SOAP-ENV:Client.validationError');
    expect(faultOf(reply).errors.map((e) => e.Code)).toContain(code);
  });

  it('allows a future To when rejectFutureToDate is off', async () => {
    h.sim.switches.rejectFutureToDate = false;

    const reply = await call(h.url, 'Get_Suppliers', updated('2024-06-03T09:45:00-07:00', '2030-01-01T00:00:00Z'));

    expect(supplierNames(reply)).toEqual(['At 10:00']);
  });

  it('echoes the criteria', async () => {
    const reply = await call(h.url, 'Get_Suppliers', updated('2024-06-03T09:00:00-07:00', '2024-06-03T10:00:00-07:00'));

    expect(responseOf(reply, 'Get_Suppliers').Request_Criteria).toEqual({
      Updated_From_Date: '2024-06-03T09:00:00-07:00',
      Updated_To_Date: '2024-06-03T10:00:00-07:00',
    });
  });
});

describe('Workday simulator: which entry an Updated window sees', () => {
  it('matches on the latest visible version by default, on any version with updatedWindowMatchesAnyEntry', async () => {
    const h = await startHarness();
    const supplier = buildSupplier({ name: 'Edited twice' });
    h.sim.store.suppliers.put(supplier, T0 - 50 * MINUTE);
    h.sim.store.suppliers.update(supplier.wid, { name: 'Edited twice (v2)' }, T0 - 10 * MINUTE);
    const window = updated('2024-06-03T09:00:00-07:00', '2024-06-03T09:20:00-07:00');

    const latest = await call(h.url, 'Get_Suppliers', window);
    h.sim.switches.updatedWindowMatchesAnyEntry = true;
    const anyEntry = await call(h.url, 'Get_Suppliers', window);

    expect(supplierNames(latest)).toEqual([]);
    expect(supplierNames(anyEntry)).toEqual(['Edited twice (v2)']);
    await h.close();
  });
});

describe('Workday simulator: invoice and credit-memo criteria (checklist 9)', () => {
  let h: Harness;
  let apex: Supplier;
  beforeAll(async () => {
    h = await startHarness();
    apex = buildSupplier({ name: 'Apex' });
    const beacon = buildSupplier({ name: 'Beacon' });
    h.sim.store.suppliers.put(apex);
    h.sim.store.suppliers.put(beacon);
    const inv = (invoiceNumber: string, overrides: Parameters<typeof buildInvoice>[0]) =>
      h.sim.store.invoices.put(buildInvoice({ invoiceNumber, ...overrides }));
    inv('SI-MAR', { supplier: apex, invoiceDate: '2024-03-10', dueDate: '2024-04-09' });
    inv('SI-APR', {
      supplier: apex,
      invoiceDate: '2024-04-10',
      dueDate: '2024-05-10',
      paymentStatus: { id: 'PAID', descriptor: 'Paid' },
    });
    inv('SI-MAY', {
      supplier: beacon,
      invoiceDate: '2024-05-10',
      dueDate: '2024-06-09',
      status: { id: 'DRAFT', descriptor: 'Draft' },
    });
    h.sim.store.adjustments.put(
      buildAdjustment({ invoiceNumber: 'CM-EARLY', adjustmentDate: '2024-03-20', supplier: apex }),
    );
    h.sim.store.adjustments.put(
      buildAdjustment({ invoiceNumber: 'CM-LATE', adjustmentDate: '2024-05-20', supplier: beacon }),
    );
  });
  afterEach(() => {
    Object.assign(h.sim.switches, DEFAULT_SWITCHES);
  });
  afterAll(() => h.close());

  const invoiceNumbers = (reply: SoapReply) =>
    results(reply, 'Get_Supplier_Invoices', 'Supplier_Invoice')
      .map((i) => String(dig(i, 'Supplier_Invoice_Data', 'Invoice_Number')))
      .sort();

  it('rejects Updated_From_Date on Get_Supplier_Invoices: the schema has no such criterion', async () => {
    const reply = await call(h.url, 'Get_Supplier_Invoices', updated('2024-06-03T09:00:00Z', '2024-06-03T10:00:00Z'));

    expect(reply.status).toBe(500);
    const fault = faultOf(reply);
    expect(fault.faultcode).toBe('SOAP-ENV:Client.validationError');
    expect(fault.errors.map((e) => e.Xpath)).toEqual([
      '/bsvc:Get_Supplier_Invoices_Request[1]/bsvc:Request_Criteria[1]/bsvc:Updated_From_Date[1]',
      '/bsvc:Get_Supplier_Invoices_Request[1]/bsvc:Request_Criteria[1]/bsvc:Updated_To_Date[1]',
    ]);
  });

  it('ignores unknown criteria when rejectUnknownCriteria is off', async () => {
    h.sim.switches.rejectUnknownCriteria = false;

    const reply = await call(h.url, 'Get_Supplier_Invoices', updated('2024-06-03T09:00:00Z', '2024-06-03T10:00:00Z'));

    expect(invoiceNumbers(reply)).toEqual(['SI-APR', 'SI-MAR', 'SI-MAY']);
  });

  it('filters on an inclusive invoice-date range, with or without a zone suffix', async () => {
    const reply = await call(
      h.url,
      'Get_Supplier_Invoices',
      criteria(
        '<bsvc:Invoice_Date_On_or_After>2024-04-10-07:00</bsvc:Invoice_Date_On_or_After>' +
          '<bsvc:Invoice_Date_On_or_Before>2024-05-10</bsvc:Invoice_Date_On_or_Before>',
      ),
    );

    expect(invoiceNumbers(reply)).toEqual(['SI-APR', 'SI-MAY']);
  });

  it('filters on the due date (Due_Date_Override)', async () => {
    const reply = await call(
      h.url,
      'Get_Supplier_Invoices',
      criteria('<bsvc:Invoice_Due_Date_On_or_Before>2024-05-01</bsvc:Invoice_Due_Date_On_or_Before>'),
    );

    expect(invoiceNumbers(reply)).toEqual(['SI-MAR']);
  });

  it('filters on invoice status and payment status references', async () => {
    const draft = await call(
      h.url,
      'Get_Supplier_Invoices',
      criteria(refCriterion('Invoice_Status_Reference', 'Document_Status_ID', 'DRAFT')),
    );
    const paid = await call(
      h.url,
      'Get_Supplier_Invoices',
      criteria(refCriterion('Payment_Status_Reference', 'Document_Payment_Status_ID', 'PAID')),
    );

    expect(invoiceNumbers(draft)).toEqual(['SI-MAY']);
    expect(invoiceNumbers(paid)).toEqual(['SI-APR']);
  });

  it('matches a Document_Status_ID in any case unless statusCriteriaIgnoreCase is off', async () => {
    const byCase = () =>
      call(
        h.url,
        'Get_Supplier_Invoices',
        criteria(refCriterion('Invoice_Status_Reference', 'Document_Status_ID', 'Draft')),
      );

    const ignoringCase = await byCase();
    h.sim.switches.statusCriteriaIgnoreCase = false;
    const exact = await byCase();
    h.sim.switches.statusCriteriaIgnoreCase = true;

    expect(invoiceNumbers(ignoringCase)).toEqual(['SI-MAY']);
    expect(invoiceNumbers(exact)).toEqual([]);
  });

  it('filters on the supplier, and rejects a supplier that does not exist', async () => {
    const apexOnly = await call(
      h.url,
      'Get_Supplier_Invoices',
      criteria(refCriterion('Supplier_Reference', 'Supplier_ID', apex.supplierId ?? '')),
    );
    const unknown = await call(
      h.url,
      'Get_Supplier_Invoices',
      criteria(refCriterion('Supplier_Reference', 'Supplier_ID', 'S-404')),
    );

    expect(invoiceNumbers(apexOnly)).toEqual(['SI-APR', 'SI-MAR']);
    expect(unknown.status).toBe(500);
    expect(faultOf(unknown).faultstring).toContain("'S-404' is not a valid ID value for type = 'Supplier_ID'");
  });

  it('filters credit memos on Adjustment_Date through the Invoice_Date criteria', async () => {
    const reply = await call(
      h.url,
      'Get_Supplier_Invoice_Adjustments',
      criteria('<bsvc:Invoice_Date_On_or_After>2024-04-01</bsvc:Invoice_Date_On_or_After>'),
    );

    const memos = results(reply, 'Get_Supplier_Invoice_Adjustments', 'Supplier_Invoice_Adjustment');
    expect(memos.map((m) => dig(m, 'Supplier_Invoice_Adjustment_Data', 'Invoice_Number'))).toEqual(['CM-LATE']);
  });

  it('rejects an invalid date bound', async () => {
    const reply = await call(
      h.url,
      'Get_Supplier_Invoices',
      criteria('<bsvc:Invoice_Date_On_or_After>2024-02-30</bsvc:Invoice_Date_On_or_After>'),
    );

    expect(reply.status).toBe(500);
    expect(faultOf(reply).errors[0]?.Code).toBe('INVALID_DATE');
  });
});

describe('Workday simulator: purchase-order and supplier criteria', () => {
  let h: Harness;
  let apex: Supplier;
  beforeAll(async () => {
    h = await startHarness();
    apex = buildSupplier({ name: 'Apex' });
    const gone = buildSupplier({ name: 'Gone', status: 'INACTIVE' });
    h.sim.store.suppliers.put(apex);
    h.sim.store.suppliers.put(gone);
    h.sim.store.purchaseOrders.put(
      buildPurchaseOrder({ documentNumber: 'PO-A', supplier: apex, documentDate: '2024-01-05' }),
    );
    h.sim.store.purchaseOrders.put(
      buildPurchaseOrder({ documentNumber: 'PO-B', supplier: gone, documentDate: '2024-02-05' }),
    );
  });
  afterAll(() => h.close());

  const poNumbers = (reply: SoapReply) =>
    results(reply, 'Get_Purchase_Orders', 'Purchase_Order').map((p) =>
      String(dig(p, 'Purchase_Order_Data', 'Document_Number')),
    );

  it('filters purchase orders on supplier, number and document date', async () => {
    const bySupplier = await call(
      h.url,
      'Get_Purchase_Orders',
      criteria(refCriterion('Supplier_Reference', 'WID', apex.wid)),
    );
    const byNumber = await call(
      h.url,
      'Get_Purchase_Orders',
      criteria('<bsvc:Purchase_Order_Number>PO-B</bsvc:Purchase_Order_Number>'),
    );
    const byDate = await call(
      h.url,
      'Get_Purchase_Orders',
      criteria('<bsvc:Purchase_Order_Date_On_or_After>2024-02-01</bsvc:Purchase_Order_Date_On_or_After>'),
    );

    expect(poNumbers(bySupplier)).toEqual(['PO-A']);
    expect(poNumbers(byNumber)).toEqual(['PO-B']);
    expect(poNumbers(byDate)).toEqual(['PO-B']);
  });

  it('filters suppliers on their current status', async () => {
    const reply = await call(
      h.url,
      'Get_Suppliers',
      criteria(refCriterion('Supplier_Status_Reference', 'Business_Entity_Status_Value_ID', 'INACTIVE')),
    );

    expect(supplierNames(reply)).toEqual(['Gone']);
  });
});

describe('Workday simulator: invoices by purchase order, company and hold', () => {
  it('filters invoices on the PO their lines bill, their company and On_Hold', async () => {
    const h = await startHarness();
    const po = buildPurchaseOrder({ documentNumber: 'PO-BILLED' });
    h.sim.store.purchaseOrders.put(po);
    h.sim.store.invoices.put(buildInvoice({ invoiceNumber: 'SI-PO', purchaseOrder: po }));
    h.sim.store.invoices.put(
      buildInvoice({
        invoiceNumber: 'SI-HELD',
        onHold: true,
        company: { wid: 'c'.repeat(32), id: 'C200', descriptor: 'Other Co' },
      }),
    );
    const numbers = async (inner: string) =>
      results(
        await call(h.url, 'Get_Supplier_Invoices', criteria(inner)),
        'Get_Supplier_Invoices',
        'Supplier_Invoice',
      ).map((i) => dig(i, 'Supplier_Invoice_Data', 'Invoice_Number'));

    expect(await numbers(refCriterion('Purchase_Order_Reference', 'Document_Number', 'PO-BILLED'))).toEqual(['SI-PO']);
    expect(await numbers(refCriterion('Purchase_Order_Reference', 'WID', po.wid))).toEqual(['SI-PO']);
    expect(await numbers(refCriterion('Company_Reference', 'Company_Reference_ID', 'C200'))).toEqual(['SI-HELD']);
    expect(await numbers('<bsvc:Invoice_On_Hold>1</bsvc:Invoice_On_Hold>')).toEqual(['SI-HELD']);
    await h.close();
  });
});
