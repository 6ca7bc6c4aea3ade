import { describe, expect, it } from 'vitest';
import { createRng } from '../../../sandbox/faults';
import {
  buildAdjustment,
  buildInvoice,
  buildPurchaseOrder,
  buildSupplier,
  newWid,
  WorkdayStore,
} from '../../../sandbox/workday';

const WID = /^[0-9a-f]{32}$/;

describe('WorkdayStore', () => {
  it('stamps each write with the clock and keeps every version', () => {
    let now = 1_000;
    const store = new WorkdayStore(() => now);
    const supplier = buildSupplier({ name: 'v1' });

    store.suppliers.put(supplier);
    now = 2_000;
    store.suppliers.update(supplier.wid, { name: 'v2' });

    expect(store.suppliers.get(supplier.wid)).toMatchObject({ name: 'v2', enteredAt: 2_000 });
    expect(store.suppliers.history(supplier.wid).map((v) => [v.enteredAt, v.record?.name])).toEqual([
      [1_000, 'v1'],
      [2_000, 'v2'],
    ]);
    expect(store.suppliers.snapshot(1_500).map((e) => e.record.name)).toEqual(['v1']);
    expect(store.suppliers.snapshot(999)).toEqual([]);
  });

  it('accepts back-dated versions and keeps history in entry order', () => {
    const store = new WorkdayStore(() => 5_000);
    const supplier = buildSupplier({ name: 'now' });

    store.suppliers.put(supplier);
    store.suppliers.put({ ...supplier, name: 'earlier' }, 1_000);

    expect(store.suppliers.get(supplier.wid)?.name).toBe('now');
    expect(store.suppliers.snapshot(2_000)[0]?.record.name).toBe('earlier');
    expect(store.suppliers.snapshot(6_000)[0]?.entries).toEqual([1_000, 5_000]);
  });

  it('hides deleted records from later snapshots only', () => {
    let now = 1_000;
    const store = new WorkdayStore(() => now);
    const po = buildPurchaseOrder();
    store.purchaseOrders.put(po);
    now = 2_000;

    store.purchaseOrders.delete(po.wid);

    expect(store.purchaseOrders.get(po.wid)).toBeUndefined();
    expect(store.purchaseOrders.snapshot(1_500)).toHaveLength(1);
    expect(store.purchaseOrders.size).toBe(0);
  });

  it('isolates stored records from later mutation of the caller’s object', () => {
    const store = new WorkdayStore(() => 1);
    const supplier = buildSupplier({ name: 'original' });

    store.suppliers.put(supplier);
    supplier.name = 'mutated';

    expect(store.suppliers.get(supplier.wid)?.name).toBe('original');
  });

  it('queues corruptions; nonNumericAmount waits for a response with amounts', () => {
    const store = new WorkdayStore();
    store.corrupt('nonNumericAmount');
    store.corrupt('truncate');

    expect(store.takeCorruption(false)).toBe('truncate');
    expect(store.takeCorruption(false)).toBeUndefined();
    expect(store.takeCorruption(true)).toBe('nonNumericAmount');
  });
});

describe('Workday builders', () => {
  it('newWid draws 32 lowercase hex characters, reproducibly from a seeded generator', () => {
    const a = newWid(createRng(7));
    const b = newWid(createRng(7));

    expect(a).toMatch(WID);
    expect(a).toBe(b);
  });

  it('buildSupplier makes an active supplier with bank and tax details; status is a shorthand', () => {
    const active = buildSupplier();
    const inactive = buildSupplier({ status: 'INACTIVE' });

    expect(active.wid).toMatch(WID);
    expect(active.statusHistory.map((s) => s.status)).toEqual(['ACTIVE']);
    expect(inactive.statusHistory.map((s) => s.status)).toEqual(['ACTIVE', 'INACTIVE']);
    expect(active.settlementAccounts[0]?.accountNumber).toBeTruthy();
    expect(active.taxIds[0]).toMatchObject({ type: 'USA-EIN', primary: true });
  });

  it('buildInvoice bills a purchase order line by line and totals the control amount', () => {
    const po = buildPurchaseOrder();
    const invoice = buildInvoice({ purchaseOrder: po, taxAmount: '10.00', freightAmount: '5.50' });

    expect(invoice.supplier).toEqual(po.supplier);
    expect(invoice.lines.map((l) => l.purchaseOrderLine?.lineId)).toEqual([
      ...po.goodsLines.map((l) => l.lineId),
      ...po.serviceLines.map((l) => l.lineId),
    ]);
    // 1250.00 (goods) + 5000.00 (service) + 10.00 tax + 5.50 freight.
    expect(invoice.controlAmountTotal).toBe('6265.50');
  });

  it('buildAdjustment credits an invoice with negative amounts and points at it', () => {
    const invoice = buildInvoice();
    const memo = buildAdjustment({ invoice });

    expect(memo.originalInvoice).toMatchObject({ wid: invoice.wid, supplierInvoiceId: invoice.supplierInvoiceId });
    expect(memo.controlTotalAmount).toBe('-250.00');
    expect(memo.increaseLiability).toBe(false);
  });
});
