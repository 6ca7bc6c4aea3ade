import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../../lambdas/mapping/index';
import type { WorkdayRecord } from '../../../lambdas/workday/records';
import {
  buildConfig,
  buildContext,
  buildCreditMemo,
  buildInvoice,
  buildInvoiceLine,
  buildPoLine,
  buildPurchaseOrder,
  buildSupplier,
  wid,
} from './builders';

describe('mapRecord()', () => {
  const config = buildConfig();
  const context = buildContext([buildPurchaseOrder()], config);

  it.each([
    ['supplier', buildSupplier(), `supplier:${wid('supplier-1')}`, ['vendor']],
    ['purchaseOrder', buildPurchaseOrder(), `purchaseOrder:${wid('po-1042')}`, ['commitment']],
    ['invoice', buildInvoice(), `invoice:${wid('invoice-9')}`, ['directCost']],
    ['creditMemo', buildCreditMemo(), `creditMemo:${wid('adjustment-3')}`, ['directCost']],
  ] as [string, WorkdayRecord, string, string[]][])(
    'maps a %s under its record key',
    (_kind, record, key, resources) => {
      const result = mapRecord(record, config, context);

      expect(result).toMatchObject({ outcome: 'mapped', key });
      expect(result.outcome === 'mapped' ? result.commands.map((c) => c.resource) : []).toEqual(resources);
    },
  );

  it('quarantines an amount that is not a decimal rather than sending it', () => {
    const broken = { ...buildPurchaseOrder(), lines: [{ ...buildPoLine(), extendedAmount: '1,000.00' }] };

    const result = mapRecord(broken, config, context);

    expect(result).toMatchObject({
      outcome: 'quarantined',
      key: `purchaseOrder:${wid('po-1042')}`,
      reason: 'PO PO-1042 line 1: the amount "1,000.00" is not a decimal amount; check it in Workday.',
    });
  });

  it('turns an unexpected error into a quarantine instead of throwing', () => {
    const broken = { ...buildPurchaseOrder(), status: null } as unknown as WorkdayRecord;

    expect(mapRecord(broken, config, context)).toMatchObject({
      outcome: 'quarantined',
      reason: expect.stringContaining('could not be mapped because of an unexpected error'),
    });
  });

  it('quarantines a record of an unknown kind', () => {
    const odd = { kind: 'timesheet', wid: wid('x') } as unknown as WorkdayRecord;

    expect(mapRecord(odd, config, context)).toMatchObject({ outcome: 'quarantined', key: `timesheet:${wid('x')}` });
  });

  it('survives a context that throws', () => {
    const throwing = {
      poLines: () => {
        throw new Error('index unavailable');
      },
    };
    const invoice = buildInvoice({
      lines: [buildInvoiceLine({ purchaseOrderLine: { ids: { Purchase_Order_Line_ID: 'X' } } })],
    });

    expect(mapRecord(invoice, config, throwing)).toMatchObject({
      outcome: 'quarantined',
      reason: expect.stringContaining('index unavailable'),
    });
  });

  it('is deterministic: the same record maps to the same hash', () => {
    const first = mapRecord(buildPurchaseOrder(), config, context);
    const second = mapRecord(buildPurchaseOrder(), config, context);

    expect(first).toEqual(second);
  });
});
