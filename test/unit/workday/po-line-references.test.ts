import { describe, expect, it } from 'vitest';
import { poLineLookup } from '../../../lambdas/mapping';
import { parseSupplierInvoicesPage } from '../../../lambdas/workday/parse';
import { poLineKeys, poLineReferenceKeys, type Reference } from '../../../lambdas/workday/records';
import { invoiceLineXml, invoiceXml, responsePage, wid } from './workday-xml';

function referenceOf(ids: string): Reference | undefined {
  const line = invoiceLineXml(
    `<wd:Line_Order>1</wd:Line_Order><wd:Purchase_Order_Line_Reference>${ids}</wd:Purchase_Order_Line_Reference>` +
      '<wd:Extended_Amount>10.00</wd:Extended_Amount>',
  );
  const { records, rejected } = parseSupplierInvoicesPage(
    responsePage('Get_Supplier_Invoices', [invoiceXml({ lines: [line] })]),
  );
  expect(rejected).toEqual([]);
  return records[0]?.lines[0]?.purchaseOrderLine;
}

const WID_ID = `<wd:ID wd:type="WID">${wid(0x51)}</wd:ID>`;

describe('invoice line → PO line references', () => {
  it('reads a Line_Number reference with its parent Document_Number', () => {
    const ref = referenceOf(
      `${WID_ID}<wd:ID wd:type="Line_Number" wd:parent_id="PO-1042" wd:parent_type="Document_Number">2</wd:ID>`,
    );

    expect(ref).toEqual({
      wid: wid(0x51),
      ids: { Line_Number: '2' },
      parents: { Line_Number: { id: 'PO-1042', type: 'Document_Number' } },
    });
    expect(ref && poLineReferenceKeys(ref)).toEqual(['PO-1042 line 2']);
  });

  it('tries Purchase_Order_Line_ID first, then the line number in its PO', () => {
    const ref = referenceOf(
      `<wd:ID wd:type="Purchase_Order_Line_ID">POL-9</wd:ID><wd:ID wd:type="Line_Number" wd:parent_id="PO-7">3.0</wd:ID>`,
    );

    expect(ref && poLineReferenceKeys(ref)).toEqual(['POL-9', 'PO-7 line 3']);
  });

  it('has no key for a bare Line_Number, a Line_Number under another parent type, or a WID alone', () => {
    const bare = referenceOf('<wd:ID wd:type="Line_Number">2</wd:ID>');
    const otherParent = referenceOf('<wd:ID wd:type="Line_Number" wd:parent_id="x" wd:parent_type="WID">2</wd:ID>');
    const widOnly = referenceOf(WID_ID);

    expect([bare, otherParent, widOnly].map((ref) => ref && poLineReferenceKeys(ref))).toEqual([[], [], []]);
  });

  it('finds the PO line under either key', () => {
    const info = { purchaseOrderWid: wid(0x60), lineId: 'POL-9', parts: [] };
    const entries = poLineKeys('PO-7', { lineId: 'POL-9', lineNumber: 3 }).map((key) => ({ ...info, lineId: key }));
    const lookup = poLineLookup(entries);

    expect(lookup({ ids: { Purchase_Order_Line_ID: 'POL-9' } })?.lineId).toBe('POL-9');
    expect(lookup({ ids: { Line_Number: '3' }, parents: { Line_Number: { id: 'PO-7' } } })?.lineId).toBe('PO-7 line 3');
    expect(lookup({ ids: { Line_Number: '3' }, parents: { Line_Number: { id: 'PO-8' } } })).toBeUndefined();
  });
});
