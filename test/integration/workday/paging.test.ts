import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkdayPage } from '../../../lambdas/pipeline/poll';
import type { Supplier } from '../../../lambdas/workday/records';
import type { Supplier as StoredSupplier } from '../../../sandbox/workday';
import {
  callsOf,
  ENTERED,
  type Harness,
  query,
  readAll,
  seedSuppliers,
  slimSupplier,
  startHarness,
  widsOf,
} from './harness';

describe('WorkdayClient.pages(): 2,500 suppliers, pageSize 999', () => {
  let h: Harness;
  let stored: StoredSupplier[];
  beforeEach(async () => {
    h = await startHarness();
    stored = seedSuppliers(h.sim, 2500);
  });
  afterEach(() => h.close());

  it('reads three pages, stops at Total_Pages, and yields every record once', async () => {
    const client = h.client();

    const pages = await readAll(client, query('suppliers'));

    expect(pages.map((p) => [p.page, p.totalPages, p.records.length, p.rejected.length])).toEqual([
      [1, 3, 999, 0],
      [2, 3, 999, 0],
      [3, 3, 502, 0],
    ]);
    expect(widsOf(pages)).toEqual(stored.map((s) => s.wid));
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(3);
    expect(client.stats).toEqual({ calls: 3, retries: 0, pages: 3 });
  });

  it('keeps every record on its page, at its version, when records change between pages', async () => {
    const onPage2 = stored[1500];
    const onPage1 = stored[10];
    const onPage3 = stored[2400];
    if (!onPage1 || !onPage2 || !onPage3) throw new Error('seeded 2,500');
    const pages: WorkdayPage[] = [];

    for await (const page of h.client().pages(query('suppliers'))) {
      pages.push(page);
      if (page.page !== 1) continue;
      h.clock.now += 60_000;
      h.sim.store.suppliers.update(onPage2.wid, { name: 'Renamed after page 1' });
      h.sim.store.suppliers.update(onPage1.wid, { name: 'Renamed too' });
      h.sim.store.suppliers.delete(onPage3.wid);
      // A new supplier whose WID sorts first would push every record one place down without the pinned asOf.
      h.sim.store.suppliers.put(slimSupplier({ wid: '0'.repeat(32) }));
    }

    const names = new Map(pages.flatMap((p) => p.records).map((r) => [r.wid, (r as Supplier).name]));
    expect(widsOf(pages)).toEqual(stored.map((s) => s.wid));
    expect(names.get(onPage2.wid)).toBe(onPage2.name);
    expect(pages[2]?.records.some((r) => r.wid === onPage3.wid)).toBe(true);
    expect(pages.map((p) => p.totalPages)).toEqual([3, 3, 3]);
  });

  it('resumes from a page checkpoint with the same asOf', async () => {
    const client = h.client();

    const pages = await readAll(client, query('suppliers', { startPage: 2 }));

    expect(pages.map((p) => p.page)).toEqual([2, 3]);
    expect(widsOf(pages)).toEqual(stored.slice(999).map((s) => s.wid));
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(2);
  });
});

describe('WorkdayClient.pages(): totals and empty windows', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ config: { pageSize: 3 } });
  });
  afterEach(() => h.close());

  it('yields one empty page with totalPages 0 when the window holds nothing', async () => {
    const pages = await readAll(h.client(), query('purchaseOrders'));

    expect(pages).toEqual([{ page: 1, totalPages: 0, records: [], rejected: [] }]);
  });

  it('follows a later page that reports more pages than the first did', async () => {
    const stored = seedSuppliers(h.sim, 6);
    const pages: WorkdayPage[] = [];

    for await (const page of h.client().pages(query('suppliers'))) {
      pages.push(page);
      // Entered (back-dated) before asOf: the pinned snapshot sees it, so the total grows to 7.
      if (page.page === 1) stored.push(h.sim.store.suppliers.put(slimSupplier({ wid: 'f'.repeat(32) }), ENTERED));
    }

    expect(pages.map((p) => [p.page, p.totalPages, p.records.length])).toEqual([
      [1, 2, 3],
      [2, 3, 3],
      [3, 3, 1],
    ]);
    expect(widsOf(pages)).toEqual(stored.map((s) => s.wid));
  });

  it('ends a resumed window whose checkpoint lies past the last page', async () => {
    seedSuppliers(h.sim, 4);

    const pages = await readAll(h.client(), query('suppliers', { startPage: 5 }));

    expect(pages).toEqual([{ page: 5, totalPages: 2, records: [], rejected: [] }]);
  });

  it('pins As_Of_Entry_DateTime: records entered after asOf stay out of every page', async () => {
    seedSuppliers(h.sim, 2);
    h.sim.store.suppliers.put(slimSupplier(), h.clock.now + 1_000);
    h.clock.now += 5_000;

    const pages = await readAll(
      h.client(),
      query('suppliers', {
        window: { from: new Date(ENTERED - 1).toISOString(), to: new Date(h.clock.now).toISOString() },
      }),
    );

    expect(pages.flatMap((p) => p.records)).toHaveLength(2);
  });
});
