import { describe, expect, it } from 'vitest';
import {
  buildChangeOrder,
  changeOrderIndex,
  changeOrderLineDescription,
  diffCommitmentLines,
  readChangeOrderLineMarker,
} from '../../../lambdas/mapping/change-order';
import type { CommitmentCommand, CommitmentLine } from '../../../lambdas/mapping/commands';

function line(ref: string, amount: string, costCode = '03-300'): CommitmentLine {
  return {
    originId: `po:${ref}`,
    amount,
    description: `Line ${ref}`,
    budgetCode: { costCode, costType: 'M' },
    rule: 'test',
  };
}

function commitment(lines: CommitmentLine[]): CommitmentCommand {
  return {
    resource: 'commitment',
    originId: 'po:5001',
    procoreProjectId: 5001,
    vendorOriginId: 'sup',
    number: 'PO-1042',
    currency: 'USD',
    header: { title: 'PO-1042', status: 'Approved', origin_code: 'PO-1042', accounting_method: 'amount' },
    lines,
  };
}

describe('diffCommitmentLines()', () => {
  it('gives nothing when nothing changed, even when the amount is written differently', () => {
    expect(diffCommitmentLines([line('a', '100.00')], [line('a', '100.0')])).toEqual([]);
  });

  it('adds a new line in full, its description marked with the Workday line', () => {
    expect(diffCommitmentLines([line('a', '1')], [line('a', '1'), line('b', '250.75')])).toEqual([
      {
        lineOriginId: 'po:b',
        amount: '250.75',
        description: '[Workday line b] Line b',
        budgetCode: { costCode: '03-300', costType: 'M' },
      },
    ]);
  });

  it('takes a removed line off with the negative of its old amount', () => {
    expect(diffCommitmentLines([line('a', '1'), line('b', '99.99')], [line('a', '1')])).toEqual([
      expect.objectContaining({ lineOriginId: 'po:b', amount: '-99.99' }),
    ]);
  });

  it('gives the exact delta of a changed amount', () => {
    expect(diffCommitmentLines([line('a', '1000.10')], [line('a', '999.95')])).toEqual([
      expect.objectContaining({ lineOriginId: 'po:a', amount: '-0.15' }),
    ]);
    expect(diffCommitmentLines([line('a', '0.01')], [line('a', '99999999999.99')])).toEqual([
      expect.objectContaining({ amount: '99999999999.98' }),
    ]);
  });

  it('moves a line to another budget code as a removal and an addition', () => {
    expect(diffCommitmentLines([line('a', '100.00', '03-300')], [line('a', '100.00', '05-100')])).toEqual([
      expect.objectContaining({ amount: '-100.00', budgetCode: { costCode: '03-300', costType: 'M' } }),
      expect.objectContaining({ amount: '100.00', budgetCode: { costCode: '05-100', costType: 'M' } }),
    ]);
  });
});

describe('buildChangeOrder()', () => {
  it('numbers the change order `<commitment origin id>:co:<n>`', () => {
    const order = buildChangeOrder(commitment([line('a', '120.00')]), [line('a', '100.00')], 2);

    expect(order).toEqual({
      resource: 'changeOrder',
      number: 'po:5001:co:2',
      procoreProjectId: 5001,
      commitmentOriginId: 'po:5001',
      title: 'PO-1042 change 2 from Workday',
      lines: [expect.objectContaining({ lineOriginId: 'po:a', amount: '20.00' })],
    });
  });

  it('returns undefined when nothing differs', () => {
    expect(buildChangeOrder(commitment([line('a', '1')]), [line('a', '1')], 1)).toBeUndefined();
  });

  it('rejects a change order number that is not a positive integer', () => {
    expect(() => buildChangeOrder(commitment([]), [], 0)).toThrow(RangeError);
  });
});

describe('change order identity', () => {
  it('knows the change orders the connector numbered for a commitment, and no other', () => {
    expect(changeOrderIndex('wid:5001', 'wid:5001:co:12')).toBe(12);
    for (const number of ['wid:5001:co:0', 'wid:5001:co:1a', 'wid:5002:co:1', '1', 'CO-7', null]) {
      expect(changeOrderIndex('wid:5001', number)).toBeUndefined();
    }
  });

  it('reads back the PO line a marked description names, splits and charges included', () => {
    for (const origin of ['wid:SOL-12-3', 'wid:SOL-12-3:2', 'wid:charges:tax']) {
      const description = changeOrderLineDescription(origin, 'Pour [phase 2]');
      expect(readChangeOrderLineMarker('wid:5001', description)).toEqual({
        lineOriginId: origin,
        description: 'Pour [phase 2]',
      });
    }
    expect(changeOrderLineDescription('wid:SOL-12-3', 'Pour')).toBe('[Workday line SOL-12-3] Pour');
    expect(changeOrderLineDescription('wid:SOL-12-3', '')).toBe('[Workday line SOL-12-3]');
    expect(readChangeOrderLineMarker('wid:5001', '[Workday line SOL-12-3]')).toEqual({
      lineOriginId: 'wid:SOL-12-3',
      description: '',
    });
    expect(readChangeOrderLineMarker('wid:5001', 'Typed by hand')).toBeUndefined();
    expect(readChangeOrderLineMarker('wid:5001', null)).toBeUndefined();
  });
});
