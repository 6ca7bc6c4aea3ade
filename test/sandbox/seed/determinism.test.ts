import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type FirmData, generateFirm, type Scale } from '../../../sandbox/seed';
import { NOW } from './helpers';

function fingerprint(data: FirmData): string {
  const hash = createHash('sha256');
  for (const records of [data.suppliers, data.purchaseOrders, data.invoices, data.adjustments]) {
    for (const { record, enteredAt } of records.all()) hash.update(`${JSON.stringify(record)}@${enteredAt}\n`);
  }
  return hash.digest('hex');
}

describe('generateFirm()', () => {
  it.each<Scale>(['small', 'firm'])('gives byte-identical %s data for the same seed', (scale) => {
    const a = generateFirm({ seed: 42, scale, now: NOW });
    const b = generateFirm({ seed: 42, scale, now: NOW });

    expect(fingerprint(a.data)).toBe(fingerprint(b.data));
    expect(JSON.stringify(a.config)).toBe(JSON.stringify(b.config));
  });

  it('gives different data for a different seed', () => {
    const a = generateFirm({ seed: 1, scale: 'small', now: NOW });
    const b = generateFirm({ seed: 2, scale: 'small', now: NOW });

    expect(fingerprint(a.data)).not.toBe(fingerprint(b.data));
    expect(a.data.suppliers.at(0).record.wid).not.toBe(b.data.suppliers.at(0).record.wid);
  });

  it('builds enterprise records by index, the same whichever is asked first', () => {
    const forward = generateFirm({ seed: 7, scale: 'enterprise', now: NOW });
    const backward = generateFirm({ seed: 7, scale: 'enterprise', now: NOW });
    const picks = [199_999, 3, 150_000, 77];

    const first = picks.map((i) => JSON.stringify(forward.data.invoices.at(i).record));
    const second = [...picks].reverse().map((i) => JSON.stringify(backward.data.invoices.at(i).record));

    expect(first).toEqual(second.reverse());
  });

  it('finds a record again from its WID', () => {
    const firm = generateFirm({ seed: 3, scale: 'enterprise', now: NOW });
    const po = firm.data.purchaseOrders.at(12_345).record;

    expect(firm.data.purchaseOrders.indexOf(po.wid)).toBe(12_345);
    expect(firm.data.purchaseOrders.indexOf('0'.repeat(32))).toBeUndefined();
  });
});
