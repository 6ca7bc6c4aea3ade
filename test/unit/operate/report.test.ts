import { describe, expect, it } from 'vitest';
import { unmappedWorktags } from '../../../cli/operate/ping-run';
import {
  type CostEntry,
  costInvoice,
  costPurchaseOrder,
  type PoLinePlacements,
  type ProcoreCost,
  reconcile,
} from '../../../lambdas/pipeline/report';
import {
  buildConfig,
  buildCreditMemo,
  buildInvoice,
  buildPoBackedLine,
  buildPoLine,
  buildPurchaseOrder,
  buildSplit,
  costCenterTag,
  costCodeTag,
  projectTag,
} from '../mapping/builders';

const at = (procoreProjectId: number | null, costCode: string | null, costType: string | null) => ({
  procoreProjectId,
  costCode,
  costType,
});

describe('costPurchaseOrder()', () => {
  it('places each line as the mapper would, and a line no rule maps with its worktags and no project', () => {
    const po = buildPurchaseOrder({
      lines: [
        buildPoLine(),
        buildPoLine({ lineId: 'POL-2', lineNumber: 2, worktags: [costCenterTag('CC-999'), costCodeTag('22-100')] }),
      ],
    });

    const entries = costPurchaseOrder(po, buildConfig(), new Map());

    expect(entries).toEqual([
      { key: `purchaseOrder:${po.wid}`, measure: 'committed', ...at(5001, '03-300', 'M'), amount: '1000.00' },
      {
        key: `purchaseOrder:${po.wid}`,
        measure: 'committed',
        ...at(null, '22-100', 'M'),
        amount: '1000.00',
        unmatchedWorktags: [costCenterTag('CC-999'), costCodeTag('22-100')],
      },
    ]);
  });

  it('places splits one by one and remembers them for the invoice lines that bill the PO line', () => {
    const splits = [
      buildSplit({ extendedAmount: '600.00', worktags: [projectTag('PRJ-1001')] }),
      buildSplit({ extendedAmount: '400.00', worktags: [costCenterTag('CC-200')] }),
    ];
    // The line's own worktags fill in types a split lacks, so the project tags live on the splits only.
    const po = buildPurchaseOrder({ lines: [buildPoLine({ worktags: [costCodeTag('WD-CONC')], splits })] });
    const placements: PoLinePlacements = new Map();

    const entries = costPurchaseOrder(po, buildConfig(), placements);

    expect(entries?.map((e) => [e.procoreProjectId, e.amount])).toEqual([
      [5001, '600.00'],
      [5002, '400.00'],
    ]);
    expect(placements.get('POL-1042-1')).toEqual([at(5001, '03-300', 'M'), at(5002, '03-300', 'M')]);
  });

  it('keeps charges left out by mapping.charges as rows without cost code and type', () => {
    const po = buildPurchaseOrder({ taxAmount: '80.00', freightAmount: '0' });

    const entries = costPurchaseOrder(po, buildConfig(), new Map());

    expect(entries?.at(-1)).toEqual({
      key: `purchaseOrder:${po.wid}`,
      measure: 'committed',
      ...at(5001, null, null),
      amount: '80.00',
    });
    expect(entries).toHaveLength(2);
  });

  it('leaves out POs whose status is not mapped or that are dated before syncFrom', () => {
    const config = buildConfig();

    expect(costPurchaseOrder(buildPurchaseOrder({ status: { id: 'Draft' } }), config, new Map())).toBeUndefined();
    expect(costPurchaseOrder(buildPurchaseOrder({ documentDate: '2025-12-31' }), config, new Map())).toBeUndefined();
  });
});

describe('costInvoice()', () => {
  it('puts a line on a PO where that PO line landed, whatever the invoice line carries', () => {
    const config = buildConfig();
    const placements: PoLinePlacements = new Map();
    costPurchaseOrder(buildPurchaseOrder(), config, placements);
    const invoice = buildInvoice({ lines: [buildPoBackedLine('POL-1042-1', { spendCategory: 'SC-SUB' })] });

    const entries = costInvoice(invoice, config, placements);

    expect(entries).toEqual([
      { key: `invoice:${invoice.wid}`, measure: 'invoiced', ...at(5001, '03-300', 'M'), amount: '400.00' },
    ]);
  });

  it("takes the invoice line's own budget code when invoices on POs become direct costs", () => {
    const config = buildConfig({ invoices: { poBacked: 'directCost' } });
    const placements: PoLinePlacements = new Map();
    costPurchaseOrder(buildPurchaseOrder(), config, placements);
    const invoice = buildInvoice({
      lines: [buildPoBackedLine('POL-1042-1', { spendCategory: 'SC-SUB', worktags: [costCodeTag('WD-CONC')] })],
    });

    expect(costInvoice(invoice, config, placements)?.[0]).toMatchObject(at(5001, '03-300', 'S'));
  });

  it('makes a credit memo negative unless it increases liability', () => {
    const config = buildConfig();

    expect(costInvoice(buildCreditMemo(), config, new Map())?.[0]?.amount).toBe('-100.00');
    expect(costInvoice(buildCreditMemo({ increaseLiability: true }), config, new Map())?.[0]?.amount).toBe('100.00');
  });

  it('leaves out invoices whose status is not in invoices.statuses', () => {
    expect(costInvoice(buildInvoice({ status: { id: 'Draft' } }), buildConfig(), new Map())).toBeUndefined();
  });

  it('bills each invoice split on the matching PO split', () => {
    const config = buildConfig();
    const placements: PoLinePlacements = new Map();
    const splits = [
      buildSplit({ worktags: [projectTag('PRJ-1001')] }),
      buildSplit({ worktags: [costCenterTag('CC-200')] }),
    ];
    const poLine = buildPoLine({ worktags: [costCodeTag('WD-CONC')], splits });
    costPurchaseOrder(buildPurchaseOrder({ lines: [poLine] }), config, placements);
    const line = buildPoBackedLine('POL-1042-1', {
      extendedAmount: '300.00',
      splits: [
        buildSplit({ extendedAmount: '100.00', worktags: [] }),
        buildSplit({ extendedAmount: '200.00', worktags: [] }),
      ],
    });

    const entries = costInvoice(buildInvoice({ lines: [line] }), config, placements);

    expect(entries?.map((e) => [e.procoreProjectId, e.amount])).toEqual([
      [5001, '100.00'],
      [5002, '200.00'],
    ]);
  });
});

describe('reconcile()', () => {
  const workday = (key: string, measure: 'committed' | 'invoiced', amount: string, place = at(5001, '03-300', 'M')) =>
    ({ key, measure, amount, ...place }) satisfies CostEntry;
  const procore = (key: string, measure: 'committed' | 'invoiced', amount: string): ProcoreCost => ({
    key,
    measure,
    amount,
    procoreProjectId: 5001,
    costCode: '03-300',
    costType: 'M',
  });

  it('reconciles rows whose records agree, with amounts as two-decimal strings', () => {
    const report = reconcile(
      [workday('purchaseOrder:a', 'committed', '1000'), workday('invoice:b', 'invoiced', '400.5')],
      [procore('purchaseOrder:a', 'committed', '1000.00'), procore('invoice:b', 'invoiced', '400.50')],
    );

    expect(report).toEqual({
      reconciled: true,
      rows: [
        {
          ...at(5001, '03-300', 'M'),
          workday: { committed: '1000.00', invoiced: '400.50' },
          procore: { committed: '1000.00', invoiced: '400.50' },
          difference: { committed: '0.00', invoiced: '0.00' },
          records: [],
        },
      ],
    });
  });

  it('traces a difference to the records that disagree, including objects only Procore has', () => {
    const report = reconcile(
      [workday('purchaseOrder:a', 'committed', '1000.00'), workday('purchaseOrder:c', 'committed', '5.00')],
      [
        procore('purchaseOrder:a', 'committed', '1100.00'),
        procore('purchaseOrder:c', 'committed', '5.00'),
        procore('procore:directCost:77', 'invoiced', '12.00'),
      ],
    );

    expect(report.reconciled).toBe(false);
    expect(report.rows[0]?.difference).toEqual({ committed: '-100.00', invoiced: '-12.00' });
    expect(report.rows[0]?.records).toEqual(['procore:directCost:77', 'purchaseOrder:a']);
  });

  it('shows charges left out of Procore without counting them as a difference', () => {
    const report = reconcile([workday('purchaseOrder:a', 'committed', '80.00', at(5001, null, null))], []);

    expect(report.reconciled).toBe(true);
    expect(report.rows[0]).toMatchObject({ workday: { committed: '80.00' }, difference: { committed: '0.00' } });
  });
});

describe('unmappedWorktags()', () => {
  it('counts documents per worktag of the rule types, ignoring other worktag types', () => {
    const rules = buildConfig().mapping.projects;
    const entry = (key: string) => ({
      key,
      measure: 'invoiced' as const,
      amount: '1.00',
      ...at(null, '22-100', 'O'),
      unmatchedWorktags: [costCenterTag('CC-999'), { type: 'Region_Reference_ID', id: 'REG-WEST' }],
    });

    expect(unmappedWorktags([entry('invoice:a'), entry('invoice:a'), entry('invoice:b')], rules)).toEqual([
      { type: 'Cost_Center_Reference_ID', id: 'CC-999', documents: 2 },
    ]);
  });
});
