import { describe, expect, it } from 'vitest';
import type { DirectCostCommand, MapResult, RequisitionCommand } from '../../../lambdas/mapping/commands';
import { mapCreditMemo } from '../../../lambdas/mapping/invoice';
import {
  buildConfig,
  buildContext,
  buildCreditMemo,
  buildInvoiceLine,
  buildPoBackedLine,
  buildPoLine,
  buildPurchaseOrder,
  buildSplit,
  costCodeTag,
  projectTag,
  wid,
} from './builders';

const ADJ = wid('adjustment-3');
const PO = wid('po-1042');

function commandsOf(result: MapResult) {
  if (result.outcome !== 'mapped') throw new Error(`expected mapped, got ${JSON.stringify(result)}`);
  return result.commands;
}
const directCostsOf = (r: MapResult) =>
  commandsOf(r).filter((c): c is DirectCostCommand => c.resource === 'directCost');
const requisitionsOf = (r: MapResult) =>
  commandsOf(r).filter((c): c is RequisitionCommand => c.resource === 'requisition');

describe('mapCreditMemo()', () => {
  const config = buildConfig();
  const context = buildContext([buildPurchaseOrder({ lines: [buildPoLine({ lineId: 'POL-A' })] })], config);

  it('maps like an invoice with origin ids from the adjustment WID and its key', () => {
    const result = mapCreditMemo(buildCreditMemo(), config, context);

    expect(result).toMatchObject({ outcome: 'mapped', key: `creditMemo:${ADJ}` });
    expect(directCostsOf(result)).toEqual([
      expect.objectContaining({
        originId: `${ADJ}:5001`,
        invoiceNumber: 'ADJ-0003',
        lines: [expect.objectContaining({ originId: `${ADJ}:SIL-1`, amount: '-100.00' })],
      }),
    ]);
  });

  it.each([
    [false, '100.00', '-100.00'],
    [false, '-100.00', '-100.00'],
    [false, '0.00', '0.00'],
    [true, '100.00', '100.00'],
    [true, '-100.00', '100.00'],
  ])('with increaseLiability %s turns %s into %s', (increaseLiability, amount, expected) => {
    const memo = buildCreditMemo({ increaseLiability, lines: [buildInvoiceLine({ extendedAmount: amount })] });

    expect(directCostsOf(mapCreditMemo(memo, config, context))[0]?.lines[0]?.amount).toBe(expected);
  });

  it('negates split amounts and charges as well', () => {
    const withCharges = buildConfig({ mapping: { charges: { costCode: '01-900', costType: 'O' } } });
    const memo = buildCreditMemo({
      freightAmount: '12.50',
      lines: [
        buildInvoiceLine({
          extendedAmount: '100.00',
          worktags: [costCodeTag('WD-CONC')],
          splits: [
            buildSplit({ extendedAmount: '25.00', worktags: [projectTag('PRJ-1001')] }),
            buildSplit({ extendedAmount: '75.00', worktags: [projectTag('PRJ-1001')] }),
          ],
        }),
      ],
    });

    const [cost] = directCostsOf(mapCreditMemo(memo, withCharges, context));

    expect(cost?.lines.map((l) => [l.originId, l.amount])).toEqual([
      [`${ADJ}:SIL-1:1`, '-25.00'],
      [`${ADJ}:SIL-1:2`, '-75.00'],
      [`${ADJ}:charges:freight`, '-12.50'],
    ]);
  });

  it('credits PO lines through a requisition with negative work completed', () => {
    const memo = buildCreditMemo({ lines: [buildPoBackedLine('POL-A', { extendedAmount: '40.00' })] });

    expect(requisitionsOf(mapCreditMemo(memo, config, context))).toEqual([
      expect.objectContaining({
        originId: `${ADJ}:${PO}:5001`,
        items: [{ commitmentLineOriginId: `${PO}:POL-A`, amount: '-40.00' }],
      }),
    ]);
  });

  it('waits for an unknown PO line like an invoice', () => {
    const memo = buildCreditMemo({ lines: [buildPoBackedLine('POL-ZZ')] });

    expect(mapCreditMemo(memo, config, context)).toMatchObject({
      outcome: 'waiting',
      dependency: 'purchaseOrderLine:POL-ZZ',
    });
  });

  it('names the credit memo in reasons and skips one dated before syncFrom', () => {
    const unmapped = buildCreditMemo({ lines: [buildInvoiceLine({ worktags: [] })] });

    expect(mapCreditMemo(unmapped, config, context)).toMatchObject({
      outcome: 'quarantined',
      reason: expect.stringContaining('Credit memo ADJ-0003 line 1: no project rule matches'),
    });
    expect(mapCreditMemo(buildCreditMemo({ invoiceDate: '2025-01-01' }), config, context).outcome).toBe('skipped');
  });
});
