import { describe, expect, it } from 'vitest';
import { mapSupplier } from '../../../lambdas/mapping/vendor';
import {
  parseInvoiceAdjustmentsPage,
  parseSupplierInvoicesPage,
  parseSuppliersPage,
} from '../../../lambdas/workday/parse';
import { invoiceXml, ref, responsePage, supplierXml, wid } from './workday-xml';

const supplier = (data: string) => {
  const { records, rejected } = parseSuppliersPage(responsePage('Get_Suppliers', [supplierXml({ data })]));
  expect(rejected).toEqual([]);
  const [record] = records;
  if (record === undefined) throw new Error('no supplier');
  return record;
};

const contact = (inner: string) =>
  `<wd:Business_Entity_Data><wd:Contact_Data>${inner}</wd:Contact_Data></wd:Business_Entity_Data>`;

describe('v45.1 supplier shapes', () => {
  it('reads tax IDs inside Tax_ID_Widget_Data, typed by Tax_ID_Type', () => {
    const record = supplier(
      '<wd:Tax_ID_Widget_Data><wd:Tax_ID_Data><wd:Tax_ID_Text>12-3456789</wd:Tax_ID_Text>' +
        ref('Tax_ID_Type_Reference', { WID: wid(0x30), Tax_ID_Type: 'USA-EIN' }, 'EIN') +
        '<wd:Primary_Tax_ID>1</wd:Primary_Tax_ID></wd:Tax_ID_Data></wd:Tax_ID_Widget_Data>',
    );

    expect(record.taxId).toMatchObject({ type: 'USA-EIN', value: '12-3456789' });
  });

  it('reads the phone from its formatted attributes, the whole Phone_Number otherwise', () => {
    const withAttributes = supplier(
      contact(
        '<wd:Phone_Data wd:Area_Code="415" wd:E164_Formatted_Phone="+14155550123" wd:International_Formatted_Phone="+1 415-555-0123">' +
          '<wd:International_Phone_Code>1</wd:International_Phone_Code><wd:Phone_Number>415-555-0123</wd:Phone_Number></wd:Phone_Data>',
      ),
    );
    const e164Only = supplier(
      contact(
        '<wd:Phone_Data wd:Area_Code="415" wd:E164_Formatted_Phone="+14155550123"><wd:Phone_Number>415-555-0123</wd:Phone_Number></wd:Phone_Data>',
      ),
    );
    const bare = supplier(
      contact(
        '<wd:Phone_Data wd:Area_Code="415"><wd:International_Phone_Code>1</wd:International_Phone_Code><wd:Phone_Number>415-555-0123</wd:Phone_Number></wd:Phone_Data>',
      ),
    );

    expect([withAttributes.phone, e164Only.phone, bare.phone]).toEqual([
      '+1 415-555-0123',
      '+14155550123',
      '+1 415-555-0123',
    ]);
  });

  it('keeps a supplier awaiting approval inactive in Procore', () => {
    const pending = supplier(ref('Approval_Status_Reference', { Document_Status_ID: 'IN_PROGRESS' }, 'In Progress'));
    const approved = supplier(ref('Approval_Status_Reference', { Document_Status_ID: 'APPROVED' }, 'Approved'));

    expect(pending.approvalStatus).toBe('IN_PROGRESS');
    // The mapper takes suppliers as the poll queues them: without the tax ID's clear value.
    expect(mapSupplier({ ...pending, taxId: undefined }).payload.is_active).toBe(false);
    expect(mapSupplier({ ...approved, taxId: undefined }).payload.is_active).toBe(true);
  });
});

describe('v45.1 invoice shapes', () => {
  it('names the adjustment reason by Adjustment_Reason_ID when it has no descriptor', () => {
    const header =
      '<wd:Invoice_Number>ADJ-1</wd:Invoice_Number>' +
      ref('Adjustment_Reason_Reference', { WID: wid(0x40), Adjustment_Reason_ID: 'DAMAGED_GOODS' }) +
      '<wd:Adjustment_Date>2026-02-01</wd:Adjustment_Date><wd:Control_Total_Amount>10.00</wd:Control_Total_Amount>';
    const { records } = parseInvoiceAdjustmentsPage(
      responsePage('Get_Supplier_Invoice_Adjustments', [invoiceXml({ kind: 'adjustment', header })]),
    );

    expect(records[0]?.reason).toBe('DAMAGED_GOODS');
  });

  it('sets a contingent worker’s invoice aside as out of scope, saying why: a worker is no Procore vendor', () => {
    const xml = invoiceXml().replace(
      ref('Supplier_Reference', { WID: wid(1), Supplier_ID: 'S-0001' }),
      ref('Contingent_Worker_Reference', { WID: wid(0x41), Contingent_Worker_ID: 'CW-7' }, 'Dana Reyes'),
    );
    const { records, rejected } = parseSupplierInvoicesPage(responsePage('Get_Supplier_Invoices', [xml]));

    expect(records).toEqual([]);
    expect(rejected[0]?.error.message).toContain('Supplier_Invoice_Data.Contingent_Worker_Reference');
    expect(rejected[0]?.error.message).toContain('billed by contingent worker Dana Reyes');
    expect(rejected[0]?.outOfScope).toBe(true);
  });

  it('still refuses, as unreadable, an invoice that names neither a supplier nor a worker', () => {
    const xml = invoiceXml().replace(ref('Supplier_Reference', { WID: wid(1), Supplier_ID: 'S-0001' }), '');
    const { rejected } = parseSupplierInvoicesPage(responsePage('Get_Supplier_Invoices', [xml]));

    expect(rejected[0]?.error.message).toContain('Supplier_Invoice_Data.Supplier_Reference: missing');
    expect(rejected[0]).not.toHaveProperty('outOfScope');
  });
});
