import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSupplier, type Supplier } from '../../../sandbox/workday';
import {
  call,
  criteria,
  dig,
  faultOf,
  filter,
  type Harness,
  responseOf,
  responseResults,
  results,
  type SoapReply,
  startHarness,
  T0,
} from './helpers';

const names = (reply: SoapReply) =>
  results(reply, 'Get_Suppliers', 'Supplier').map((s) => String(dig(s, 'Supplier_Data', 'Supplier_Name')));

/** Suppliers whose WIDs sort in the order given (the simulator orders results by WID). */
function suppliersInWidOrder(count: number): Supplier[] {
  return Array.from({ length: count }, (_, i) =>
    buildSupplier({ wid: `${(i + 1).toString(16).padStart(2, '0')}${'a'.repeat(30)}`, name: `Supplier ${i + 1}` }),
  );
}

describe('Workday simulator: paging (checklist 6)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('pages 100 at a time by default and reports totals', async () => {
    for (const s of suppliersInWidOrder(230)) h.sim.store.suppliers.put(s, T0 - 1000);

    const first = await call(h.url, 'Get_Suppliers');
    const last = await call(h.url, 'Get_Suppliers', filter({ Page: 3 }));

    expect(responseResults(first, 'Get_Suppliers')).toEqual({
      Total_Results: '230',
      Total_Pages: '3',
      Page_Results: '100',
      Page: '1',
    });
    expect(responseResults(last, 'Get_Suppliers')).toMatchObject({ Page_Results: '30', Page: '3' });
    expect(names(last)[0]).toBe('Supplier 201');
  });

  it('honours Count and returns results ordered by WID, stable across pages', async () => {
    const suppliers = suppliersInWidOrder(5);
    for (const s of [...suppliers].reverse()) h.sim.store.suppliers.put(s);

    const pages = [];
    for (let page = 1; page <= 3; page++)
      pages.push(names(await call(h.url, 'Get_Suppliers', filter({ Page: page, Count: 2 }))));

    expect(pages).toEqual([['Supplier 1', 'Supplier 2'], ['Supplier 3', 'Supplier 4'], ['Supplier 5']]);
  });

  it('answers a page beyond the last with Page_Results 0 and no Response_Data', async () => {
    for (const s of suppliersInWidOrder(3)) h.sim.store.suppliers.put(s);

    const reply = await call(h.url, 'Get_Suppliers', filter({ Page: 5, Count: 2 }));

    expect(responseResults(reply, 'Get_Suppliers')).toEqual({
      Total_Results: '3',
      Total_Pages: '2',
      Page_Results: '0',
      Page: '5',
    });
    expect(responseOf(reply, 'Get_Suppliers')).not.toHaveProperty('Response_Data');
  });

  it('omits Response_Data entirely when nothing matches', async () => {
    const reply = await call(h.url, 'Get_Suppliers');

    expect(responseResults(reply, 'Get_Suppliers')).toEqual({
      Total_Results: '0',
      Total_Pages: '0',
      Page_Results: '0',
      Page: '1',
    });
    expect(reply.text).not.toContain('Response_Data');
  });

  it('rejects Page 0 with the WSDL message', async () => {
    const reply = await call(h.url, 'Get_Suppliers', filter({ Page: 0 }));

    expect(reply.status).toBe(500);
    expect(faultOf(reply).faultstring).toBe('Validation error occurred. Page Number cannot be zero.');
    expect(faultOf(reply).errors[0]?.Xpath).toBe('/bsvc:Get_Suppliers_Request[1]/bsvc:Response_Filter[1]/bsvc:Page[1]');
  });

  it.each([['0'], ['1000'], ['2.5'], ['-1'], ['ten']])('rejects Count %s', async (count) => {
    const reply = await call(h.url, 'Get_Suppliers', filter({ Count: count }));

    expect(reply.status).toBe(500);
    expect(faultOf(reply).faultcode).toBe('SOAP-ENV:Client.validationError');
  });

  it.each([['1'], ['999']])('accepts Count %s', async (count) => {
    const reply = await call(h.url, 'Get_Suppliers', filter({ Count: count }));

    expect(reply.status).toBe(200);
  });

  it('echoes Response_Filter with its defaults filled in, and Response_Group', async () => {
    const reply = await call(h.url, 'Get_Suppliers', filter({ As_Of_Effective_Date: '2024-06-01' }));

    const response = responseOf(reply, 'Get_Suppliers');
    expect(response.Response_Filter).toEqual({
      As_Of_Effective_Date: '2024-06-01-07:00',
      As_Of_Entry_DateTime: '2024-06-03T10:00:00.000-07:00',
      Page: '1',
      Count: '100',
    });
    expect(response.Response_Group).toEqual({ Include_Reference: '1' });
  });

  it('leaves the result reference out when Include_Reference is false', async () => {
    h.sim.store.suppliers.put(buildSupplier());

    const reply = await call(
      h.url,
      'Get_Suppliers',
      '<bsvc:Response_Group><bsvc:Include_Reference>false</bsvc:Include_Reference></bsvc:Response_Group>',
    );

    const [supplier] = results(reply, 'Get_Suppliers', 'Supplier');
    expect(supplier).not.toHaveProperty('Supplier_Reference');
    expect(supplier).toHaveProperty('Supplier_Data');
    expect(responseOf(reply, 'Get_Suppliers').Response_Group).toEqual({ Include_Reference: '0' });
  });
});

describe('Workday simulator: snapshot consistency (checklist 7)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    for (const s of suppliersInWidOrder(4)) h.sim.store.suppliers.put(s, T0 - 60_000);
  });
  afterEach(() => h.close());

  const pinned = filter({ Count: 2, Page: 2, As_Of_Entry_DateTime: '2024-06-03T10:00:00-07:00' });

  it('hides records entered after As_Of_Entry_DateTime and keeps edited ones on their page, as they were', async () => {
    const page1 = await call(h.url, 'Get_Suppliers', filter({ Count: 2, Page: 1 }));
    const asOf = String(dig(responseOf(page1, 'Get_Suppliers'), 'Response_Filter', 'As_Of_Entry_DateTime'));
    h.clock.now += 5_000;
    h.sim.store.suppliers.put(buildSupplier({ wid: `00${'b'.repeat(30)}`, name: 'Newcomer' }));
    const third = h.sim.store.suppliers.all().find((s) => s.name === 'Supplier 3');
    h.sim.store.suppliers.update(third?.wid ?? '', { name: 'Supplier 3 (renamed)' });

    const page2 = await call(h.url, 'Get_Suppliers', filter({ Count: 2, Page: 2, As_Of_Entry_DateTime: asOf }));

    expect(names(page1)).toEqual(['Supplier 1', 'Supplier 2']);
    expect(names(page2)).toEqual(['Supplier 3', 'Supplier 4']);
    expect(responseResults(page2, 'Get_Suppliers').Total_Results).toBe('4');
  });

  it('drifts without the pin: a record inserted between pages repeats one on page 2', async () => {
    const page1 = await call(h.url, 'Get_Suppliers', filter({ Count: 2, Page: 1 }));
    h.clock.now += 5_000;
    h.sim.store.suppliers.put(buildSupplier({ wid: `00${'b'.repeat(30)}`, name: 'Newcomer' }));

    const page2 = await call(h.url, 'Get_Suppliers', filter({ Count: 2, Page: 2 }));

    expect(names(page1)).toEqual(['Supplier 1', 'Supplier 2']);
    expect(names(page2)).toEqual(['Supplier 2', 'Supplier 3']);
  });

  it('keeps an edited record in an Updated window when pinned, and loses it without the pin', async () => {
    const window = criteria(
      '<bsvc:Updated_From_Date>2024-06-03T09:00:00-07:00</bsvc:Updated_From_Date>' +
        '<bsvc:Updated_To_Date>2024-06-03T10:00:00-07:00</bsvc:Updated_To_Date>',
    );
    const page1 = await call(h.url, 'Get_Suppliers', window + filter({ Count: 2, Page: 1 }));
    h.clock.now += 5_000;
    const first = h.sim.store.suppliers.all()[0];
    h.sim.store.suppliers.update(first?.wid ?? '', { name: 'Supplier 1 (edited later)' });

    const withPin = await call(h.url, 'Get_Suppliers', window + pinned);
    const withoutPin = await call(h.url, 'Get_Suppliers', window + filter({ Count: 2, Page: 2 }));

    expect(names(page1)).toEqual(['Supplier 1', 'Supplier 2']);
    expect(names(withPin)).toEqual(['Supplier 3', 'Supplier 4']);
    expect(names(withoutPin)).toEqual(['Supplier 4']);
  });

  it('shows deleted records in snapshots taken before the deletion only', async () => {
    const second = h.sim.store.suppliers.all()[1];
    h.clock.now += 5_000;
    h.sim.store.suppliers.delete(second?.wid ?? '');

    const before = await call(h.url, 'Get_Suppliers', filter({ As_Of_Entry_DateTime: '2024-06-03T17:00:00Z' }));
    const after = await call(h.url, 'Get_Suppliers');

    expect(names(before)).toHaveLength(4);
    expect(names(after)).toEqual(['Supplier 1', 'Supplier 3', 'Supplier 4']);
  });

  it('rejects an As_Of_Entry_DateTime that is not a date-time', async () => {
    const reply = await call(h.url, 'Get_Suppliers', filter({ As_Of_Entry_DateTime: 'yesterday' }));

    expect(reply.status).toBe(500);
    expect(faultOf(reply).errors[0]?.Code).toBe('INVALID_DATETIME');
  });
});
