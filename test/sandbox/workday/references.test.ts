import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAdjustment,
  buildInvoice,
  buildPurchaseOrder,
  buildSupplier,
  type InvoiceAdjustment,
  type PurchaseOrder,
  type Supplier,
  type SupplierInvoice,
} from '../../../sandbox/workday';
import {
  call,
  criteria,
  dig,
  faultOf,
  type Harness,
  ids,
  references,
  responseOf,
  results,
  startHarness,
} from './helpers';

describe('Workday simulator: Request_References (checklist 4, 5)', () => {
  let h: Harness;
  let supplier: Supplier;
  let other: Supplier;
  let po: PurchaseOrder;
  let invoice: SupplierInvoice;
  let adjustment: InvoiceAdjustment;

  beforeAll(async () => {
    h = await startHarness();
    supplier = buildSupplier({ name: 'Apex Concrete' });
    other = buildSupplier({ name: 'Beacon Steel' });
    po = buildPurchaseOrder({ supplier });
    invoice = buildInvoice({ purchaseOrder: po });
    adjustment = buildAdjustment({ invoice });
    h.sim.store.suppliers.put(supplier);
    h.sim.store.suppliers.put(other);
    h.sim.store.purchaseOrders.put(po);
    h.sim.store.invoices.put(invoice);
    h.sim.store.adjustments.put(adjustment);
  });
  afterAll(() => h.close());

  it.each([
    ['WID', () => supplier.wid],
    ['Supplier_ID', () => supplier.supplierId ?? ''],
    ['Supplier_Reference_ID', () => supplier.supplierReferenceId ?? ''],
  ])('finds a supplier by %s', async (type, value) => {
    const reply = await call(h.url, 'Get_Suppliers', references('Supplier_Reference', [[type, value()]]));

    const found = results(reply, 'Get_Suppliers', 'Supplier');
    expect(found.map((s) => dig(s, 'Supplier_Data', 'Supplier_Name'))).toEqual(['Apex Concrete']);
  });

  it('finds a purchase order by Document_Number, an invoice and a credit memo by their reference IDs', async () => {
    const poReply = await call(
      h.url,
      'Get_Purchase_Orders',
      references('Purchase_Order_Reference', [['Document_Number', po.documentNumber]]),
    );
    const invoiceReply = await call(
      h.url,
      'Get_Supplier_Invoices',
      references('Supplier_Invoice_Reference', [['Supplier_Invoice_Reference_ID', invoice.supplierInvoiceId]]),
    );
    const adjustmentReply = await call(
      h.url,
      'Get_Supplier_Invoice_Adjustments',
      references('Supplier_Invoice_Adjustment_Reference', [
        ['Supplier_Invoice_Adjustment_Reference_ID', adjustment.adjustmentId],
      ]),
    );

    expect(ids(dig(results(poReply, 'Get_Purchase_Orders', 'Purchase_Order')[0], 'Purchase_Order_Reference')).WID).toBe(
      po.wid,
    );
    expect(
      ids(dig(results(invoiceReply, 'Get_Supplier_Invoices', 'Supplier_Invoice')[0], 'Supplier_Invoice_Reference')).WID,
    ).toBe(invoice.wid);
    expect(
      ids(
        dig(
          results(adjustmentReply, 'Get_Supplier_Invoice_Adjustments', 'Supplier_Invoice_Adjustment')[0],
          'Supplier_Invoice_Adjustment_Reference',
        ),
      ).WID,
    ).toBe(adjustment.wid);
  });

  it('returns references in request order and echoes them resolved, with every ID', async () => {
    const reply = await call(
      h.url,
      'Get_Suppliers',
      references('Supplier_Reference', [
        ['Supplier_ID', other.supplierId ?? ''],
        ['WID', supplier.wid],
      ]),
    );

    const names = results(reply, 'Get_Suppliers', 'Supplier').map((s) => dig(s, 'Supplier_Data', 'Supplier_Name'));
    expect(names).toEqual(['Beacon Steel', 'Apex Concrete']);
    const echoed = dig(responseOf(reply, 'Get_Suppliers'), 'Request_References', 'Supplier_Reference');
    expect(Array.isArray(echoed) && echoed.map(ids)).toEqual([
      { WID: other.wid, Supplier_ID: other.supplierId, Supplier_Reference_ID: other.supplierReferenceId },
      { WID: supplier.wid, Supplier_ID: supplier.supplierId, Supplier_Reference_ID: supplier.supplierReferenceId },
    ]);
  });

  it("answers an unknown value with Workday's Invalid ID message and an Xpath", async () => {
    const reply = await call(h.url, 'Get_Suppliers', references('Supplier_Reference', [['Supplier_ID', 'S-404']]));

    expect(reply.status).toBe(500);
    const fault = faultOf(reply);
    expect(fault.faultcode).toBe('SOAP-ENV:Client.validationError');
    expect(fault.faultstring).toBe(
      "Validation error occurred. Invalid ID value.  'S-404' is not a valid ID value for type = 'Supplier_ID'",
    );
    expect(fault.errors).toEqual([
      {
        Message: "Invalid ID value.  'S-404' is not a valid ID value for type = 'Supplier_ID'",
        Detail_Message: "Invalid ID value.  'S-404' is not a valid ID value for type = 'Supplier_ID'",
        Xpath: '/bsvc:Get_Suppliers_Request[1]/bsvc:Request_References[1]/bsvc:Supplier_Reference[1]/bsvc:ID[1]',
        Code: 'INVALID_ID_VALUE',
      },
    ]);
  });

  it('reports every bad reference, one Validation_Error each, with Code only from v45 on', async () => {
    const inner = references('Supplier_Reference', [
      ['Supplier_ID', 'S-404'],
      ['WID', supplier.wid],
      ['WID', '0'.repeat(32)],
    ]);

    const v45 = faultOf(await call(h.url, 'Get_Suppliers', inner, { version: 'v45.1' }));
    const v44 = faultOf(await call(h.url, 'Get_Suppliers', inner, { version: 'v44.2' }));

    expect(v45.errors.map((e) => e.Xpath)).toEqual([
      '/bsvc:Get_Suppliers_Request[1]/bsvc:Request_References[1]/bsvc:Supplier_Reference[1]/bsvc:ID[1]',
      '/bsvc:Get_Suppliers_Request[1]/bsvc:Request_References[1]/bsvc:Supplier_Reference[3]/bsvc:ID[1]',
    ]);
    expect(v45.errors.every((e) => e.Code === 'INVALID_ID_VALUE')).toBe(true);
    expect(v44.errors).toHaveLength(2);
    expect(v44.errors.some((e) => 'Code' in e)).toBe(false);
  });

  it('rejects an ID type the reference does not allow', async () => {
    const reply = await call(
      h.url,
      'Get_Purchase_Orders',
      references('Purchase_Order_Reference', [['Supplier_ID', 'x']]),
    );

    expect(reply.status).toBe(500);
    expect(faultOf(reply).errors[0]?.Code).toBe('INVALID_ID_TYPE');
  });

  it('skips missing instances when Skip_Non_Existing_Instances is set', async () => {
    const inner = references(
      'Supplier_Reference',
      [
        ['Supplier_ID', 'S-404'],
        ['WID', supplier.wid],
      ],
      ' bsvc:Skip_Non_Existing_Instances="true"',
    );

    const reply = await call(h.url, 'Get_Suppliers', inner);

    expect(reply.status).toBe(200);
    expect(results(reply, 'Get_Suppliers', 'Supplier')).toHaveLength(1);
  });

  it('rejects Request_References together with Request_Criteria (xsd:choice)', async () => {
    const inner =
      references('Supplier_Reference', [['WID', supplier.wid]]) +
      criteria('<bsvc:Updated_From_Date>2024-01-01T00:00:00Z</bsvc:Updated_From_Date>');

    const reply = await call(h.url, 'Get_Suppliers', inner);

    expect(reply.status).toBe(500);
    expect(faultOf(reply).errors.map((e) => e.Code)).toContain('REFERENCES_AND_CRITERIA');
  });

  it('does not resolve a record entered after As_Of_Entry_DateTime', async () => {
    const late = buildSupplier();
    h.sim.store.suppliers.put(late, h.clock.now + 60_000);
    const inner =
      references('Supplier_Reference', [['WID', late.wid]]) +
      `<bsvc:Response_Filter><bsvc:As_Of_Entry_DateTime>2024-06-03T17:00:00Z</bsvc:As_Of_Entry_DateTime></bsvc:Response_Filter>`;

    const reply = await call(h.url, 'Get_Suppliers', inner);

    expect(reply.status).toBe(500);
    expect(faultOf(reply).errors[0]?.Code).toBe('INVALID_ID_VALUE');
  });
});
