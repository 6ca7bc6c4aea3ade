import { beforeAll, describe, expect, it } from 'vitest';
import { compare, equals, multiply, sum } from '../../../lambdas/shared/money';
import { type Firm, generateFirm } from '../../../sandbox/seed';
import { NOW } from './helpers';

const TWO_DECIMALS = /^-?\d+\.\d{2}$/;

describe('generated amounts', () => {
  let firm: Firm;

  beforeAll(() => {
    firm = generateFirm({ seed: 5, scale: 'firm', now: NOW });
  });

  it('makes every goods line Extended_Amount exactly quantity × unit cost, in cents', () => {
    const lines = [...firm.data.purchaseOrders.all()].flatMap((v) => v.record.goodsLines);
    const wrong = lines.filter(
      (l) => !equals(multiply(l.quantity, l.unitCost), l.extendedAmount) || !TWO_DECIMALS.test(l.extendedAmount),
    );

    expect(lines.length).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });

  it('gives quantities 3 decimals and unit costs 4', () => {
    const lines = [...firm.data.purchaseOrders.all()].flatMap((v) => v.record.goodsLines);

    expect(lines.every((l) => /^\d+\.\d{3}$/.test(l.quantity) && /^\d+\.\d{4}$/.test(l.unitCost))).toBe(true);
    expect(lines.some((l) => !/0$/.test(l.quantity))).toBe(true);
    expect(lines.some((l) => !/0$/.test(l.unitCost))).toBe(true);
  });

  it('splits lines into parts that sum exactly to the line', () => {
    const lines = [
      ...[...firm.data.purchaseOrders.all()].flatMap((v) => [...v.record.goodsLines, ...v.record.serviceLines]),
      ...[...firm.data.invoices.all()].flatMap((v) => v.record.lines),
    ].filter((l) => l.splits.length > 0);

    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines)
      expect(equals(sum(line.splits.map((s) => s.extendedAmount)), line.extendedAmount)).toBe(true);
  });

  it('makes invoice control totals the sum of lines, tax, freight and other charges', () => {
    for (const { record: invoice } of firm.data.invoices.all()) {
      const parts = [
        ...invoice.lines.map((l) => l.extendedAmount),
        invoice.taxAmount,
        invoice.freightAmount,
        invoice.otherCharges,
      ];
      expect(equals(sum(parts.filter((p): p is string => p !== undefined)), invoice.controlAmountTotal)).toBe(true);
    }
  });

  it('bills no PO line for more than it is worth', () => {
    const lines = new Map(
      [...firm.data.purchaseOrders.all()].flatMap((v) =>
        [...v.record.goodsLines, ...v.record.serviceLines].map((l) => [l.wid, l.extendedAmount]),
      ),
    );
    for (const { record: invoice } of firm.data.invoices.all()) {
      for (const line of invoice.lines) {
        if (!line.purchaseOrderLine) continue;
        const ordered = lines.get(line.purchaseOrderLine.wid) ?? '0';
        expect(compare(ordered, line.extendedAmount)).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
