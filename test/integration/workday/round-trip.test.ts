import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreditMemo, PurchaseOrder, Supplier, SupplierInvoice } from '../../../lambdas/workday/records';
import { FaultPlan } from '../../../sandbox/faults';
import {
  buildAdjustment,
  buildContingentWorkerLine,
  buildDeliverableLine,
  buildGoodsLine,
  buildInvoice,
  buildInvoiceLine,
  buildPurchaseOrder,
  buildServiceLine,
  buildSplit,
  buildSupplier,
  buildWorktag,
  createWorkdaySimulator,
  resetBuilders,
} from '../../../sandbox/workday';
import { ENTERED, type Harness, ISU, query, readAll, startHarness, TENANT, widsOf } from './harness';

const project = (id: string) => ({ type: 'Project_ID', id, descriptor: `Project ${id}` });

describe('createWorkdayClient(): records round-trip from the simulator through the real parser', () => {
  let h: Harness;
  beforeEach(async () => {
    resetBuilders();
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('reads a supplier as a canonical supplier: WID, status, hashed EIN, newest address, contact data', async () => {
    const supplier = buildSupplier({ name: 'Bay Concrete & Steel <West>', status: 'INACTIVE' });
    h.sim.store.suppliers.put(supplier, ENTERED);

    const [page] = await readAll(h.client(), query('suppliers'));

    const expected: Supplier = {
      kind: 'supplier',
      wid: supplier.wid,
      supplierId: supplier.supplierId ?? '',
      name: 'Bay Concrete & Steel <West>',
      status: 'INACTIVE',
      approvalStatus: 'APPROVED',
      taxId: { type: 'USA-EIN', hash: expect.stringMatching(/^[0-9a-f]{64}$/), value: supplier.taxIds[0]?.value ?? '' },
      address: {
        lines: supplier.addresses[0]?.lines ?? [],
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      phone: `+1 (415) ${supplier.phones[0]?.number}`,
      email: supplier.emails[0]?.address ?? '',
      website: supplier.websites[0] ?? '',
      currency: 'USD',
    };
    expect(page).toEqual({ page: 1, totalPages: 1, records: [expected], rejected: [] });
    expect(JSON.stringify(page)).not.toContain(supplier.settlementAccounts[0]?.accountNumber);
  });

  it('reads a purchase order with goods and service lines, worktags, several of one type, and splits', async () => {
    const supplier = buildSupplier();
    const goods = buildGoodsLine({
      lineNumber: 2,
      quantity: '3',
      unitCost: '1000.10',
      extendedAmount: '3000.30',
      worktags: [buildWorktag('Cost_Center_Reference_ID', 'CC-200', 'Field Operations')],
      splits: [
        buildSplit({
          quantity: '1',
          extendedAmount: '1000.10',
          worktags: [buildWorktag('Project_ID', 'PRJ-1', 'Project PRJ-1')],
        }),
        buildSplit({
          quantity: '2',
          extendedAmount: '2000.20',
          memo: 'Second tower',
          worktags: [buildWorktag('Project_ID', 'PRJ-2', 'Project PRJ-2'), buildWorktag('Custom_Worktag_1_ID', 'PH-2')],
        }),
      ],
    });
    const service = buildServiceLine({
      lineNumber: 1,
      extendedAmount: '5000.00',
      worktags: [
        buildWorktag('Project_ID', 'PRJ-1', 'Project PRJ-1'),
        buildWorktag('Project_ID', 'PRJ-2', 'Project PRJ-2'),
      ],
    });
    const po = buildPurchaseOrder({ supplier, goodsLines: [goods], serviceLines: [service], freightAmount: '125.50' });
    h.sim.store.purchaseOrders.put(po, ENTERED);

    const [page] = await readAll(h.client(), query('purchaseOrders'));

    const expected: PurchaseOrder = {
      kind: 'purchaseOrder',
      wid: po.wid,
      documentNumber: po.documentNumber,
      status: { id: 'ISSUED', descriptor: 'Issued' },
      supplier: {
        wid: supplier.wid,
        ids: { Supplier_ID: supplier.supplierId ?? '', Supplier_Reference_ID: supplier.supplierReferenceId ?? '' },
        descriptor: supplier.name,
      },
      company: {
        wid: po.company.wid,
        ids: { Company_Reference_ID: 'C100', Organization_Reference_ID: 'C100' },
        descriptor: po.company.descriptor,
      },
      documentDate: '2024-03-01',
      dueDate: '2024-04-01',
      currency: 'USD',
      taxAmount: '0.00',
      freightAmount: '125.50',
      memo: po.memo ?? '',
      lines: [
        {
          type: 'service',
          lineId: service.lineId,
          lineNumber: 1,
          description: service.description,
          spendCategory: 'SC_SUBCONTRACT',
          extendedAmount: '5000.00',
          worktags: [project('PRJ-1'), project('PRJ-2')],
          splits: [],
        },
        {
          type: 'goods',
          lineId: goods.lineId,
          lineNumber: 2,
          description: goods.itemDescription,
          spendCategory: 'SC_MATERIALS',
          quantity: '3',
          unitCost: '1000.10',
          unitOfMeasure: 'EA',
          extendedAmount: '3000.30',
          worktags: [
            {
              type: 'Cost_Center_Reference_ID',
              id: 'CC-200',
              otherIds: { Organization_Reference_ID: 'CC-200' },
              descriptor: 'Field Operations',
            },
          ],
          splits: [
            { quantity: '1', extendedAmount: '1000.10', worktags: [project('PRJ-1')] },
            {
              quantity: '2',
              extendedAmount: '2000.20',
              memo: 'Second tower',
              worktags: [project('PRJ-2'), { type: 'Custom_Worktag_1_ID', id: 'PH-2', descriptor: 'PH-2' }],
            },
          ],
        },
      ],
    };
    expect(page?.records).toEqual([expected]);
    expect(page?.rejected).toEqual([]);
  });

  it('reads deliverables and contingent-worker lines, and worktags sent in Purchase_Order_Line_Worktags_Data', async () => {
    const goods = buildGoodsLine({
      lineNumber: 1,
      worktags: [buildWorktag('Project_ID', 'PRJ-1', 'Project PRJ-1')],
      lineWorktagsData: [buildWorktag('Custom_Worktag_1_ID', '03-3000')],
    });
    const deliverable = buildDeliverableLine({ lineNumber: 2 });
    const worker = buildContingentWorkerLine({ lineNumber: 3 });
    const po = buildPurchaseOrder({
      goodsLines: [goods],
      serviceLines: [],
      deliverableLines: [deliverable],
      contingentWorkerLines: [worker],
    });
    h.sim.store.purchaseOrders.put(po, ENTERED);

    const [page] = await readAll(h.client(), query('purchaseOrders'));
    const lines = (page?.records[0] as PurchaseOrder | undefined)?.lines ?? [];

    expect(page?.rejected).toEqual([]);
    expect(lines.map((l) => [l.type, l.lineId, l.lineNumber, l.extendedAmount, l.spendCategory])).toEqual([
      ['goods', goods.lineId, 1, goods.extendedAmount, 'SC_MATERIALS'],
      ['deliverable', deliverable.lineId, 2, '20000.00', 'SC_SUBCONTRACT'],
      ['contingentWorker', 'line-3', 3, '6400.00', 'SC_LABOR'],
    ]);
    expect(lines[0]?.worktags.map((w) => `${w.type}=${w.id}`)).toEqual([
      'Project_ID=PRJ-1',
      'Custom_Worktag_1_ID=03-3000',
    ]);
    expect(lines[1]?.description).toBe(deliverable.memo);
    expect(lines[2]?.description).toBe(`Contingent worker ${worker.worker.descriptor}`);
  });

  it('reads a supplier invoice whose lines reference the PO lines they bill, plus a split non-PO line', async () => {
    const po = buildPurchaseOrder();
    const [goods] = po.goodsLines;
    const [service] = po.serviceLines;
    if (goods === undefined || service === undefined) throw new Error('the PO builder makes one line of each');
    const extra = buildInvoiceLine({
      lineOrder: '3',
      itemDescription: 'Crane hire',
      quantity: '1',
      unitCost: '999.99',
      extendedAmount: '999.99',
      worktags: [],
      splits: [
        buildSplit({ extendedAmount: '333.33', worktags: [buildWorktag('Project_ID', 'PRJ-1', 'Project PRJ-1')] }),
        buildSplit({ extendedAmount: '666.66', worktags: [buildWorktag('Project_ID', 'PRJ-2', 'Project PRJ-2')] }),
      ],
    });
    const base = buildInvoice({ purchaseOrder: po });
    const invoice = buildInvoice({
      purchaseOrder: po,
      lines: [...base.lines, extra],
      controlAmountTotal: '7249.99',
      memo: 'March progress billing',
    });
    h.sim.store.invoices.put(invoice, ENTERED);

    const [page] = await readAll(h.client(), query('invoices'));

    const record = page?.records[0] as SupplierInvoice;
    expect(record).toMatchObject({
      kind: 'invoice',
      wid: invoice.wid,
      invoiceNumber: invoice.invoiceNumber,
      suppliersInvoiceNumber: invoice.suppliersInvoiceNumber,
      status: { id: 'APPROVED', descriptor: 'Approved' },
      supplier: { wid: po.supplier.wid },
      currency: 'USD',
      invoiceDate: '2024-03-15',
      dueDate: '2024-04-14',
      controlTotal: '7249.99',
      memo: 'March progress billing',
    });
    expect(record.lines.map((line) => [line.lineId, line.extendedAmount, line.purchaseOrderLine])).toEqual([
      [
        base.lines[0]?.lineId,
        '1250.00',
        { wid: goods.wid, ids: { Purchase_Order_Line_ID: goods.lineId }, descriptor: `${po.documentNumber} - Line 1` },
      ],
      [
        base.lines[1]?.lineId,
        '5000.00',
        {
          wid: service.wid,
          ids: { Purchase_Order_Line_ID: service.lineId },
          descriptor: `${po.documentNumber} - Line 2`,
        },
      ],
      [extra.lineId, '999.99', undefined],
    ]);
    expect(record.lines[0]?.worktags).toEqual([
      { type: 'Project_ID', id: 'PRJ-1001', descriptor: 'Harbor View Tower' },
      {
        type: 'Cost_Center_Reference_ID',
        id: 'CC-200',
        otherIds: { Organization_Reference_ID: 'CC-200' },
        descriptor: 'Field Operations',
      },
    ]);
    expect(record.lines[2]?.splits).toEqual([
      { extendedAmount: '333.33', worktags: [project('PRJ-1')] },
      { extendedAmount: '666.66', worktags: [project('PRJ-2')] },
    ]);
  });

  it('reads a credit memo (invoice adjustment) with its original invoice, reason and liability sign', async () => {
    const invoice = buildInvoice();
    const memo = buildAdjustment({ invoice, increaseLiability: true, memo: 'Returned rebar' });
    h.sim.store.adjustments.put(memo, ENTERED);

    const [page] = await readAll(h.client(), query('creditMemos'));

    const record = page?.records[0] as CreditMemo;
    expect(record).toMatchObject({
      kind: 'creditMemo',
      wid: memo.wid,
      invoiceNumber: memo.invoiceNumber,
      suppliersInvoiceNumber: memo.suppliersInvoiceNumber,
      invoiceDate: '2024-03-20',
      controlTotal: '-250.00',
      memo: 'Returned rebar',
      increaseLiability: true,
      reason: 'Damaged Goods',
      originalInvoice: {
        wid: invoice.wid,
        ids: { Supplier_Invoice_Reference_ID: invoice.supplierInvoiceId },
        descriptor: `Supplier Invoice: ${invoice.invoiceNumber}`,
      },
    });
    expect(record.lines.map((line) => [line.quantity, line.extendedAmount])).toEqual([['-1', '-250.00']]);
  });

  it('narrows invoices and credit memos by invoice date, both bounds inclusive', async () => {
    const dates = ['2023-12-31', '2024-01-01', '2024-03-15', '2024-06-03', '2024-06-04'];
    const invoices = dates.map((invoiceDate) => buildInvoice({ invoiceDate }));
    const memos = dates.map((adjustmentDate) => buildAdjustment({ adjustmentDate }));
    for (const invoice of invoices) h.sim.store.invoices.put(invoice, ENTERED);
    for (const memo of memos) h.sim.store.adjustments.put(memo, ENTERED);
    const client = h.client();

    const invoicePages = await readAll(client, query('invoices'));
    const memoPages = await readAll(client, query('creditMemos'));

    const inside = (wids: string[]) => wids.slice(1, 4).sort();
    expect(widsOf(invoicePages).sort()).toEqual(inside(invoices.map((i) => i.wid)));
    expect(widsOf(memoPages).sort()).toEqual(inside(memos.map((m) => m.wid)));
  });

  it('reads only credit memos whose status is in invoices.statuses: their data carries none to filter on', async () => {
    const approved = buildAdjustment({ adjustmentDate: '2024-03-15' });
    const draft = buildAdjustment({ adjustmentDate: '2024-03-15', status: { id: 'DRAFT', descriptor: 'Draft' } });
    const cancelled = buildAdjustment({
      adjustmentDate: '2024-03-15',
      status: { id: 'CANCELED', descriptor: 'Canceled' },
    });
    for (const memo of [approved, draft, cancelled]) h.sim.store.adjustments.put(memo, ENTERED);

    const pages = await readAll(h.client(), query('creditMemos'));

    expect(widsOf(pages)).toEqual([approved.wid]);
  });

  it('narrows suppliers by entry time, and reads none entered after asOf', async () => {
    const early = buildSupplier();
    const inWindow = buildSupplier();
    const late = buildSupplier();
    h.sim.store.suppliers.put(early, ENTERED - 2 * 86_400_000);
    h.sim.store.suppliers.put(inWindow, ENTERED);
    h.sim.store.suppliers.put(late, h.clock.now + 1);
    h.clock.now += 60_000;

    const pages = await readAll(h.client(), query('suppliers'));

    expect(widsOf(pages)).toEqual([inWindow.wid]);
  });

  it('reads given WIDs with fetchByWid, several requests when there are more WIDs than pageSize', async () => {
    const suppliers = Array.from({ length: 5 }, () => buildSupplier());
    for (const supplier of suppliers) h.sim.store.suppliers.put(supplier, ENTERED);
    h.config.pageSize = 2;
    const client = h.client();
    const wanted = suppliers.slice(0, 3).map((s) => s.wid);

    const { records, rejected } = await client.fetchByWid('suppliers', [...wanted, wanted[0] ?? '']);

    expect(records.map((r) => r.wid).sort()).toEqual([...wanted].sort());
    expect(rejected).toEqual([]);
    expect(h.sim.calls.byOperation.Get_Suppliers).toBe(2);
  });

  it('sets a WID Workday does not know aside as rejected, naming it, and reads the rest of its batch', async () => {
    const suppliers = Array.from({ length: 6 }, () => buildSupplier());
    for (const supplier of suppliers) h.sim.store.suppliers.put(supplier, ENTERED);
    const stale = '0123456789abcdef0123456789abcdef';
    const wanted = suppliers.map((s) => s.wid);

    const { records, rejected } = await h
      .client()
      .fetchByWid('suppliers', [...wanted.slice(0, 3), stale, ...wanted.slice(3)]);

    expect(records.map((r) => r.wid).sort()).toEqual([...wanted].sort());
    expect(rejected.map((r) => [r.key, r.wid])).toEqual([[`supplier:${stale}`, stale]]);
    expect(rejected[0]?.error.message).toContain(`Invalid ID value.  '${stale}'`);
    // The fault names the WID: one retry without it, no bisection.
    expect(h.sim.calls.byOperation.Get_Suppliers).toBe(2);
  });

  it('reads Workday’s clock from the Date of its answers, with one probe when it has none yet', async () => {
    const ahead = h.client({ now: () => h.clock.now + 10 * 60_000 });

    const moment = await ahead.clock();
    await ahead.clock();

    expect(h.clock.now - moment).toBeGreaterThanOrEqual(0);
    expect(h.clock.now - moment).toBeLessThan(1000);
    expect(h.sim.calls.byOperation.Get_Suppliers).toBe(1);
  });

  it('probes an entity with one record per page and reports the total', async () => {
    for (let i = 0; i < 3; i++) h.sim.store.purchaseOrders.put(buildPurchaseOrder(), ENTERED);

    const client = h.client();

    const result = await client.probe('purchaseOrders');

    expect(result).toEqual({ totalResults: 3 });
    expect(client.stats).toEqual({ calls: 1, retries: 0, pages: 1 });
  });
});

describe('createWorkdayClient(): fetchByWid when the fault does not name the WID', () => {
  it('halves the batch until the WID Workday does not know is alone, and reads every other', async () => {
    resetBuilders();
    const clock = { now: ENTERED + 60_000 };
    const sim = createWorkdaySimulator({
      tenant: TENANT,
      isu: ISU,
      oauth: { clientId: 'c', clientSecret: 's', refreshToken: 'r' },
      now: () => clock.now,
      faults: new FaultPlan(),
    });
    const suppliers = Array.from({ length: 7 }, () => buildSupplier());
    for (const supplier of suppliers) sim.store.suppliers.put(supplier, ENTERED);
    // The simulator's fault, with every quoted WID blanked (same length): a wording that names none.
    const server = createServer((req, res) => {
      const end = res.end.bind(res) as (body?: unknown) => void;
      res.end = ((body?: unknown) =>
        end(typeof body === 'string' ? body.replace(/'[0-9a-f]{32}'/g, `'${'x'.repeat(32)}'`) : body)) as never;
      sim.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const h = await startHarness({ config: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } });
    const stale = 'fedcba9876543210fedcba9876543210';
    const wanted = suppliers.map((supplier) => supplier.wid);

    try {
      const { records, rejected } = await h
        .client()
        .fetchByWid('suppliers', [...wanted.slice(0, 5), stale, ...wanted.slice(5)]);

      expect(records.map((r) => r.wid).sort()).toEqual([...wanted].sort());
      expect(rejected.map((r) => r.wid)).toEqual([stale]);
      expect(rejected[0]?.error.message).toContain('Workday does not know this WID');
    } finally {
      await h.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('createWorkdayClient(): what goes on the wire', () => {
  it('POSTs to Resource_Management/{version} with text/xml, an empty SOAPAction and no bearer for ISU', async () => {
    const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
    const sim = createWorkdaySimulator({
      tenant: TENANT,
      isu: ISU,
      oauth: { clientId: 'c', clientSecret: 's', refreshToken: 'r' },
      faults: new FaultPlan(),
    });
    const server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      sim.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const h = await startHarness({
      config: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, version: 'v45.0' },
    });

    await h.client().probe('suppliers');

    expect(seen).toEqual([
      {
        url: `/ccx/service/${TENANT}/Resource_Management/v45.0`,
        headers: expect.objectContaining({ 'content-type': 'text/xml; charset=utf-8', soapaction: '""' }),
      },
    ]);
    expect(seen[0]?.headers.authorization).toBeUndefined();
    server.closeAllConnections();
    server.close();
    await h.close();
  });
});
