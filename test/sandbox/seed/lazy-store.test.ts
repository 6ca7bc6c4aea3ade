import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcoreSimulator } from '../../../sandbox/procore';
import { type Firm, generateFirm, LazyWorkdayStore } from '../../../sandbox/seed';
import { startWorkdaySimulator, type WorkdaySimulator } from '../../../sandbox/workday';
import { call, criteria, filter, ISU, OAUTH, responseResults, results, TENANT } from '../workday/helpers';
import { NOW } from './helpers';

describe('the enterprise scale', () => {
  let firm: Firm;
  let store: LazyWorkdayStore;
  let sim: WorkdaySimulator;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    firm = generateFirm({ seed: 1, scale: 'enterprise', now: NOW });
    store = new LazyWorkdayStore();
    ({ url, sim, close } = await startWorkdaySimulator({
      tenant: TENANT,
      isu: ISU,
      oauth: OAUTH,
      now: () => NOW,
      store,
    }));
    const procore = createProcoreSimulator({
      companyId: firm.layout.companyId,
      clientId: 'c',
      clientSecret: 's',
      strict: false,
      now: () => NOW,
    });
    firm.loadInto(sim, procore);
  });

  afterAll(async () => {
    await close();
  });

  const built = () => store.generatedCounts();

  it('has at least 50k suppliers, 20k POs with 100k lines and 200k invoices, none built up front', () => {
    expect(built()).toEqual({ suppliers: 0, purchaseOrders: 0, invoices: 0, adjustments: 0 });
    expect(firm.data.suppliers.count).toBeGreaterThanOrEqual(50_000);
    expect(firm.data.invoices.count).toBeGreaterThanOrEqual(200_000);
    let lines = 0;
    for (let i = 0; i < firm.data.purchaseOrders.count; i++) {
      const po = firm.data.purchaseOrders.at(i).record;
      lines += po.goodsLines.length + po.serviceLines.length;
    }
    expect(firm.data.purchaseOrders.count).toBeGreaterThanOrEqual(20_000);
    expect(lines).toBeGreaterThanOrEqual(100_000);
  });

  it('serves the last page of suppliers building only that page', async () => {
    const before = built().suppliers;

    const reply = await call(url, 'Get_Suppliers', filter({ Page: 51, Count: 999 }));

    expect(reply.status).toBe(200);
    expect(responseResults(reply, 'Get_Suppliers')).toMatchObject({
      Total_Results: '50000',
      Total_Pages: '51',
      Page_Results: '50',
    });
    expect(results(reply, 'Get_Suppliers', 'Supplier')).toHaveLength(50);
    expect(built().suppliers - before).toBe(50);
  });

  it('filters by updated window and by invoice date without building the records it passes over', async () => {
    const before = built();
    const window = criteria(
      '<bsvc:Updated_From_Date>2000-01-01T00:00:00Z</bsvc:Updated_From_Date><bsvc:Updated_To_Date>2026-06-15T00:00:00Z</bsvc:Updated_To_Date>',
    );
    const dates = criteria(
      `<bsvc:Invoice_Date_On_or_After>2026-01-01</bsvc:Invoice_Date_On_or_After><bsvc:Invoice_Date_On_or_Before>${firm.layout.today}</bsvc:Invoice_Date_On_or_Before>`,
    );

    const suppliers = await call(url, 'Get_Suppliers', window + filter({ Page: 50, Count: 999 }));
    const invoices = await call(url, 'Get_Supplier_Invoices', dates + filter({ Page: 200, Count: 999 }));

    expect(responseResults(suppliers, 'Get_Suppliers').Page_Results).toBe('999');
    expect(responseResults(invoices, 'Get_Supplier_Invoices').Total_Results).toBe('200000');
    expect(built().suppliers - before.suppliers).toBe(999);
    expect(built().invoices - before.invoices).toBe(999);
  });

  it('answers criteria from cheap fields that equal the built record', () => {
    for (const i of [0, 4_321, 199_999]) {
      const peek = firm.data.invoices.generator.peek?.(i);
      const invoice = firm.data.invoices.at(i).record;
      expect({ wid: peek?.wid, invoiceDate: peek?.invoiceDate }).toEqual({
        wid: invoice.wid,
        invoiceDate: invoice.invoiceDate,
      });
    }
    const po = firm.data.purchaseOrders.at(19_999).record;
    const peek = firm.data.purchaseOrders.generator.peek?.(19_999);
    expect({ wid: peek?.wid, documentDate: peek?.documentDate, documentNumber: peek?.documentNumber }).toEqual({
      wid: po.wid,
      documentDate: po.documentDate,
      documentNumber: po.documentNumber,
    });
  });

  it('lays new versions and new records over the generated ones', () => {
    const supplier = firm.data.suppliers.at(49_000).record;
    const later = NOW + 1000;

    store.suppliers.put({ ...supplier, name: 'Renamed Supplier LLC' }, later);
    store.suppliers.put({ ...supplier, wid: 'a'.repeat(32), name: 'Brand New Supplier LLC' }, later);

    expect(store.suppliers.get(supplier.wid)?.name).toBe('Renamed Supplier LLC');
    expect(store.suppliers.history(supplier.wid)).toHaveLength(2);
    const now = store.suppliers.snapshot(later);
    expect(now).toHaveLength(50_001);
    expect(now.filter((e) => e.record.wid === supplier.wid).map((e) => e.record.name)).toEqual([
      'Renamed Supplier LLC',
    ]);
    expect(store.suppliers.snapshot(NOW).find((e) => e.record.wid === supplier.wid)?.record.name).toBe(supplier.name);
    expect(store.suppliers.snapshot(NOW)).toHaveLength(50_000);
  });
});
