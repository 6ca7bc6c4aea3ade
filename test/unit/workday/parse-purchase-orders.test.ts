import { describe, expect, it } from 'vitest';
import { parsePurchaseOrdersPage } from '../../../lambdas/workday/parse';
import {
  goodsLineXml,
  purchaseOrderDataXml,
  purchaseOrderXml,
  readFixture,
  responsePage,
  wid,
  worktagXml,
} from './workday-xml';

const page = () => parsePurchaseOrdersPage(readFixture('get-purchase-orders-page2.xml'));
const firstOrder = () => {
  const [order] = page().records;
  if (order === undefined) throw new Error('fixture has no purchase order');
  return order;
};

describe('parsePurchaseOrdersPage()', () => {
  it('reads the paging figures and every order of the page', () => {
    const result = page();

    expect(result.results).toEqual({ totalResults: 4, totalPages: 2, pageResults: 2, page: 2 });
    expect(result.records.map((po) => po.documentNumber)).toEqual(['PO-2026-00042', 'PO-2026-00043']);
    expect(result.rejected).toEqual([]);
  });

  it('reads the header: status, supplier and company references, dates, currency, charges and memo', () => {
    const { lines, ...header } = firstOrder();

    expect(header).toEqual({
      kind: 'purchaseOrder',
      wid: 'a0f1e2d3c4b5a69788796a5b4c3d2e1f',
      documentNumber: 'PO-2026-00042',
      status: { id: 'APPROVED', descriptor: 'Approved' },
      supplier: {
        wid: '3f9a1c2e4b5d4e7f8091a2b3c4d5e6f7',
        ids: { Supplier_ID: '00123' },
        descriptor: 'Acme Concrete & Rebar, Inc.',
      },
      company: {
        wid: 'e4d5c6b7a8f94e0d1c2b3a4f5e6d7c8b',
        ids: { Company_Reference_ID: 'C100', Organization_Reference_ID: 'C100' },
        descriptor: 'Acme Builders Inc.',
      },
      documentDate: '2026-01-15',
      dueDate: '2026-03-31',
      currency: 'USD',
      taxAmount: '82.50',
      freightAmount: '150.00',
      otherCharges: '0.00',
      memo: 'Level 3 deck pour – deliver before 7am',
    });
  });

  it('interleaves goods and service lines by Line_Number', () => {
    const { lines } = firstOrder();

    expect(lines.map((l) => [l.type, l.lineId, l.lineNumber])).toEqual([
      ['goods', 'POL-42-1', 1],
      ['service', 'SOL-42-2', 2],
      ['goods', 'POL-42-3', 3],
    ]);
  });

  it('reads a goods line with quantity, unit cost, unit of measure, spend category, worktags and splits', () => {
    const goods = firstOrder().lines[0];

    expect(goods).toEqual({
      type: 'goods',
      lineId: 'POL-42-1',
      lineNumber: 1,
      description: 'Rebar #5 Grade 60, 20 ft',
      spendCategory: 'SC_MATERIALS',
      quantity: '200',
      unitCost: '6.25',
      unitOfMeasure: 'EA',
      extendedAmount: '1250.00',
      memo: 'Split between towers A and B',
      worktags: [
        { type: 'Project_ID', id: 'PRJ-0042', descriptor: 'PRJ-0042 Harbor Point Tower' },
        { type: 'Cost_Center_Reference_ID', id: 'CC-310', descriptor: '310 Field Operations' },
        { type: 'Custom_Organization_Reference_ID', id: 'LOB_COMMERCIAL', descriptor: 'Commercial' },
      ],
      splits: [
        {
          quantity: '120',
          extendedAmount: '750.00',
          memo: 'Tower A',
          worktags: [
            { type: 'Project_ID', id: 'PRJ-0042', descriptor: 'PRJ-0042 Harbor Point Tower' },
            { type: 'Custom_Worktag_1_ID', id: '03-3000', descriptor: '03-3000 Concrete Reinforcing' },
          ],
        },
        {
          quantity: '80',
          extendedAmount: '500.00',
          memo: 'Tower B',
          worktags: [
            { type: 'Project_ID', id: 'PRJ-0043', descriptor: 'PRJ-0043 Harbor Point Tower B' },
            { type: 'Custom_Worktag_1_ID', id: '03-3100', descriptor: '03-3100 Concrete Formwork' },
          ],
        },
      ],
    });
  });

  it('reads a service line from Description, without quantity or unit cost, keeping several worktags of one type', () => {
    const service = firstOrder().lines[1];

    expect(service).toMatchObject({ type: 'service', description: 'Concrete pumping, boom truck' });
    expect(service).not.toHaveProperty('quantity');
    expect(service).not.toHaveProperty('unitCost');
    expect(service?.worktags.map((t) => `${t.type}=${t.id}`)).toEqual([
      'Project_ID=PRJ-0042',
      'Custom_Worktag_1_ID=03-3000',
      'Custom_Worktag_1_ID=03-3500',
    ]);
    expect(service?.splits.map((s) => s.extendedAmount)).toEqual(['2000.00', '1400.00']);
  });

  it('skips a worktag that carries only a WID', () => {
    const goods = firstOrder().lines[0];

    expect(goods?.worktags.map((t) => t.type)).not.toContain('WID');
    expect(goods?.worktags).toHaveLength(3);
  });

  it('falls back to another unit-of-measure ID when there is no UN/CEFACT code', () => {
    expect(firstOrder().lines[2]?.unitOfMeasure).toBe('BX');
  });

  it('keeps decimal text exactly as Workday sent it', () => {
    const tieWire = firstOrder().lines[2];

    expect(tieWire).toMatchObject({ unitCost: '12.5', extendedAmount: '125.0' });
  });

  it('accepts a Line_Number sent as a decimal', () => {
    expect(page().records[1]?.lines[0]?.lineNumber).toBe(1);
  });

  it('reads one line with one worktag and one split as lists', () => {
    const split =
      '<wd:Goods_Purchase_Order_Line_Split_Data><wd:Extended_Amount>100.00</wd:Extended_Amount>' +
      `${worktagXml('Worktag_Reference', 'Project_ID', 'PRJ-1')}</wd:Goods_Purchase_Order_Line_Split_Data>`;
    const xml = responsePage('Get_Purchase_Orders', [
      purchaseOrderXml({
        lines: [goodsLineXml({ tail: worktagXml('Worktags_Reference', 'Project_ID', 'PRJ-1') + split })],
      }),
    ]);

    const [order] = parsePurchaseOrdersPage(xml).records;

    expect(order?.lines).toHaveLength(1);
    expect(order?.lines[0]?.worktags).toEqual([{ type: 'Project_ID', id: 'PRJ-1', descriptor: 'PRJ-1 descriptor' }]);
    expect(order?.lines[0]?.splits).toEqual([
      { extendedAmount: '100.00', worktags: [{ type: 'Project_ID', id: 'PRJ-1', descriptor: 'PRJ-1 descriptor' }] },
    ]);
  });

  it('uses the first Purchase_Order_Data when Workday sends several', () => {
    const xml = responsePage('Get_Purchase_Orders', [
      purchaseOrderXml({
        data: [
          purchaseOrderDataXml({ documentNumber: 'PO-FIRST' }),
          purchaseOrderDataXml({ documentNumber: 'PO-SECOND' }),
        ],
      }),
    ]);

    expect(parsePurchaseOrdersPage(xml).records[0]?.documentNumber).toBe('PO-FIRST');
  });

  it('rejects an order whose line has no Extended_Amount, naming its WID and the path, and keeps the others', () => {
    const broken = purchaseOrderXml({
      wid: wid(0x102),
      documentNumber: 'PO-2',
      lines: [
        goodsLineXml({ id: 'POL-1' }),
        goodsLineXml({ id: 'POL-2' }),
        goodsLineXml({ extendedAmount: undefined }),
      ],
    });
    const xml = responsePage('Get_Purchase_Orders', [
      purchaseOrderXml({ wid: wid(0x101), documentNumber: 'PO-1' }),
      broken,
      purchaseOrderXml({ wid: wid(0x103), documentNumber: 'PO-3' }),
    ]);

    const result = parsePurchaseOrdersPage(xml);

    expect(result.records.map((po) => po.documentNumber)).toEqual(['PO-1', 'PO-3']);
    expect(result.rejected).toHaveLength(1);
    const [rejected] = result.rejected;
    expect(rejected?.key).toBe(`purchaseOrder:${wid(0x102)}`);
    expect(rejected?.error.issues).toEqual([
      { path: 'Purchase_Order_Data.Goods_Line_Data[2].Extended_Amount', message: 'missing' },
    ]);
    expect(rejected?.error.message).toBe(
      `purchaseOrder:${wid(0x102)}: Purchase_Order_Data.Goods_Line_Data[2].Extended_Amount: missing`,
    );
  });

  it('rejects an amount that is not a plain decimal', () => {
    const xml = responsePage('Get_Purchase_Orders', [
      purchaseOrderXml({ lines: [goodsLineXml({ extendedAmount: '12,50' })] }),
    ]);

    const [rejected] = parsePurchaseOrdersPage(xml).rejected;

    expect(rejected?.error.issues).toEqual([
      { path: 'Purchase_Order_Data.Goods_Line_Data[0].Extended_Amount', message: 'not a decimal amount: "12,50"' },
    ]);
  });

  it('rejects a Line_Number that is not whole', () => {
    const xml = responsePage('Get_Purchase_Orders', [
      purchaseOrderXml({ lines: [goodsLineXml({ lineNumber: '1.5' })] }),
    ]);

    expect(parsePurchaseOrdersPage(xml).rejected[0]?.error.issues).toEqual([
      { path: 'Purchase_Order_Data.Goods_Line_Data[0].Line_Number', message: 'not a whole number: "1.5"' },
    ]);
  });

  it('rejects an order without an ISO currency code', () => {
    const xml = responsePage('Get_Purchase_Orders', [purchaseOrderXml({ currency: 'US Dollar' })]);

    expect(parsePurchaseOrdersPage(xml).rejected[0]?.error.issues).toEqual([
      { path: 'Purchase_Order_Data.Currency_Reference', message: 'not an ISO 4217 currency code: "US Dollar"' },
    ]);
  });

  it('reports every problem of a rejected order at once', () => {
    const xml = responsePage('Get_Purchase_Orders', [
      purchaseOrderXml({
        lines: [
          goodsLineXml({ extendedAmount: 'abc' }),
          goodsLineXml({ lineNumber: 'two', extendedAmount: undefined }),
        ],
      }),
    ]);

    expect(parsePurchaseOrdersPage(xml).rejected[0]?.error.issues).toEqual([
      { path: 'Purchase_Order_Data.Goods_Line_Data[0].Extended_Amount', message: 'not a decimal amount: "abc"' },
      { path: 'Purchase_Order_Data.Goods_Line_Data[1].Line_Number', message: 'not a whole number: "two"' },
      { path: 'Purchase_Order_Data.Goods_Line_Data[1].Extended_Amount', message: 'missing' },
    ]);
  });
});
