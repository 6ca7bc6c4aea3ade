import { describe, expect, it } from 'vitest';
import type { CommitmentCommand, MapResult } from '../../../lambdas/mapping/commands';
import { mapPurchaseOrder, poLineIndexEntries } from '../../../lambdas/mapping/purchase-order';
import { sum } from '../../../lambdas/shared/money';
import {
  buildConfig,
  buildPoLine,
  buildPurchaseOrder,
  buildSplit,
  costCenterTag,
  costCodeTag,
  projectTag,
  wid,
} from './builders';

const PO_WID = wid('po-1042');

function commitments(result: MapResult): CommitmentCommand[] {
  if (result.outcome !== 'mapped') throw new Error(`expected mapped, got ${result.outcome}: ${JSON.stringify(result)}`);
  return result.commands.filter((c): c is CommitmentCommand => c.resource === 'commitment');
}

function only(result: MapResult): CommitmentCommand {
  const [first, ...rest] = commitments(result);
  if (first === undefined || rest.length > 0) throw new Error('expected exactly one commitment');
  return first;
}

function reasonOf(result: MapResult): string {
  if (result.outcome === 'mapped') throw new Error('expected a reason, got mapped');
  return result.reason;
}

describe('mapPurchaseOrder()', () => {
  it('maps a PO to a commitment per CONTRACT: origin ids, number, status, vendor and amount-based header', () => {
    const result = mapPurchaseOrder(buildPurchaseOrder(), buildConfig());

    expect(result.outcome).toBe('mapped');
    expect(result.key).toBe(`purchaseOrder:${PO_WID}`);
    const commitment = only(result);
    expect(commitment).toMatchObject({
      resource: 'commitment',
      originId: `${PO_WID}:5001`,
      procoreProjectId: 5001,
      vendorOriginId: wid('supplier-1'),
      number: 'PO-1042',
      currency: 'USD',
      header: {
        title: 'PO-1042 — Acme Concrete, Inc.',
        status: 'Approved',
        origin_code: 'PO-1042',
        accounting_method: 'amount',
        contract_date: '2026-02-01',
      },
    });
    expect(commitment.header).not.toHaveProperty('currency_iso_code');
    expect(commitment).not.toHaveProperty('configuredProjectCurrency');
    expect(commitment.lines).toEqual([
      {
        originId: `${PO_WID}:POL-1042-1`,
        amount: '1000.00',
        description: 'Ready-mix concrete',
        budgetCode: { costCode: '03-300', costType: 'M' },
        rule: 'Project_ID PRJ-1001 → 5001; Custom_Worktag_1_ID WD-CONC → 03-300; SC-MAT → M',
      },
    ]);
  });

  it('uses the memo in the title when the supplier has no descriptor, and sends the memo as description', () => {
    const po = buildPurchaseOrder({ supplier: { wid: wid('supplier-1'), ids: {} }, memo: 'Level 2 slab' });

    const header = only(mapPurchaseOrder(po, buildConfig())).header;

    expect(header.title).toBe('PO-1042 — Level 2 slab');
    expect(header.description).toBe('Level 2 slab');
  });

  it('keeps the title within 255 characters', () => {
    const po = buildPurchaseOrder({
      supplier: { wid: wid('supplier-1'), ids: {}, descriptor: 'Very long name '.repeat(30) },
    });

    const { title } = only(mapPurchaseOrder(po, buildConfig())).header;

    expect(Array.from(title).length).toBeLessThanOrEqual(255);
    expect(title.startsWith('PO-1042 — Very long name')).toBe(true);
    expect(title.endsWith('…')).toBe(true);
  });

  describe('amounts', () => {
    it.each(['0.01', '-125.50', '99999999999.99', '1000', '0.00'])(
      'passes Extended_Amount %s through exactly',
      (amount) => {
        const po = buildPurchaseOrder({ lines: [buildPoLine({ extendedAmount: amount })] });

        expect(only(mapPurchaseOrder(po, buildConfig())).lines[0]?.amount).toBe(amount);
      },
    );

    it('keeps the total of many lines exact to the cent', () => {
      const lines = Array.from({ length: 250 }, (_, i) =>
        buildPoLine({ lineId: `L${i}`, lineNumber: i + 1, extendedAmount: i % 2 === 0 ? '0.10' : '0.20' }),
      );

      const commitment = only(mapPurchaseOrder(buildPurchaseOrder({ lines }), buildConfig()));

      expect(sum(commitment.lines.map((l) => l.amount))).toBe('37.5');
    });

    it('describes quantity, unit and unit cost as Workday sent them, never recomputed', () => {
      const line = buildPoLine({
        description: 'Rebar #5',
        quantity: '12.500',
        unitOfMeasure: 'EA',
        unitCost: '45.1250',
        extendedAmount: '564.06',
      });

      const mapped = only(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig())).lines[0];

      expect(mapped?.description).toBe('Rebar #5 — 12.500 EA × 45.1250');
      expect(mapped?.amount).toBe('564.06');
    });

    it('keeps a long description with its quantity within 255 characters', () => {
      const line = buildPoLine({
        description: 'word '.repeat(80),
        quantity: '3.000',
        unitOfMeasure: 'TON',
        unitCost: '99.9999',
      });

      const description =
        only(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig())).lines[0]?.description ?? '';

      expect(Array.from(description).length).toBeLessThanOrEqual(255);
      expect(description.endsWith('… — 3.000 TON × 99.9999')).toBe(true);
    });
  });

  describe('projects', () => {
    it('applies project rules in order: the first rule whose worktag is on the line wins', () => {
      const line = buildPoLine({ worktags: [costCenterTag('CC-200'), projectTag('PRJ-1001'), costCodeTag('WD-CONC')] });

      const commitment = only(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig()));

      expect(commitment.procoreProjectId).toBe(5001);
    });

    it('reorders the rules and the other project wins', () => {
      const config = buildConfig({
        mapping: {
          projects: [
            { worktag: { type: 'Cost_Center_Reference_ID', id: 'CC-200' }, procoreProjectId: 5002 },
            { worktag: { type: 'Project_ID', id: 'PRJ-1001' }, procoreProjectId: 5001 },
          ],
        },
      });
      const line = buildPoLine({ worktags: [projectTag('PRJ-1001'), costCenterTag('CC-200'), costCodeTag('WD-CONC')] });

      expect(only(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), config)).procoreProjectId).toBe(5002);
    });

    it('gives one commitment per project when lines map to two projects', () => {
      const po = buildPurchaseOrder({
        lines: [
          buildPoLine({ lineId: 'A', lineNumber: 1 }),
          buildPoLine({ lineId: 'B', lineNumber: 2, worktags: [costCenterTag('CC-200'), costCodeTag('WD-CONC')] }),
        ],
      });

      const result = commitments(mapPurchaseOrder(po, buildConfig()));

      expect(result.map((c) => c.originId)).toEqual([`${PO_WID}:5001`, `${PO_WID}:5002`]);
      expect(result.map((c) => c.lines.map((l) => l.originId))).toEqual([[`${PO_WID}:A`], [`${PO_WID}:B`]]);
      expect(result.map((c) => c.number)).toEqual(['PO-1042', 'PO-1042']);
    });

    it('quarantines the whole PO when a line matches no project rule, naming document, line and worktags', () => {
      const po = buildPurchaseOrder({
        lines: [
          buildPoLine({ lineId: 'A', lineNumber: 1 }),
          buildPoLine({ lineId: 'C', lineNumber: 3, worktags: [costCenterTag('CC-999'), costCodeTag('WD-CONC')] }),
        ],
      });

      const result = mapPurchaseOrder(po, buildConfig());

      expect(result.outcome).toBe('quarantined');
      expect(reasonOf(result)).toContain(
        'PO PO-1042 line 3: no project rule matches its worktags (Cost_Center_Reference_ID CC-999, Custom_Worktag_1_ID WD-CONC)',
      );
      expect(reasonOf(result)).toContain(
        "add { worktag: { type: 'Cost_Center_Reference_ID', id: 'CC-999' }, procoreProjectId: <Procore project id> } to mapping.projects",
      );
    });

    it('explains a line with no worktag of the types the rules use', () => {
      const po = buildPurchaseOrder({ lines: [buildPoLine({ worktags: [] })] });

      const reason = reasonOf(mapPurchaseOrder(po, buildConfig()));

      expect(reason).toContain('PO PO-1042 line 1: no project rule matches its worktags (no worktags)');
      expect(reason).toContain('Project_ID, Cost_Center_Reference_ID');
    });

    it('names every bad line in one reason', () => {
      const po = buildPurchaseOrder({
        lines: [
          buildPoLine({ lineId: 'A', lineNumber: 1, worktags: [costCenterTag('CC-1')] }),
          buildPoLine({ lineId: 'B', lineNumber: 2, worktags: [costCenterTag('CC-2')] }),
        ],
      });

      const reason = reasonOf(mapPurchaseOrder(po, buildConfig()));

      expect(reason).toContain('line 1');
      expect(reason).toContain('line 2');
    });

    it('names the line by its id when Workday sent no line number', () => {
      const line = buildPoLine({ lineId: 'POL-X', worktags: [] });
      delete (line as { lineNumber?: number }).lineNumber;

      expect(reasonOf(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig()))).toContain(
        'PO PO-1042 line POL-X:',
      );
    });
  });

  describe('splits', () => {
    it('maps each split separately and gives two commitments when the splits are in two projects', () => {
      const line = buildPoLine({
        lineId: 'L1',
        extendedAmount: '1000.00',
        quantity: '10.000',
        unitOfMeasure: 'CY',
        unitCost: '100.0000',
        worktags: [costCodeTag('WD-CONC')],
        splits: [
          buildSplit({ extendedAmount: '600.00', quantity: '6.000', worktags: [projectTag('PRJ-1001')] }),
          buildSplit({ extendedAmount: '400.00', quantity: '4.000', worktags: [costCenterTag('CC-200')] }),
        ],
      });

      const [first, second] = commitments(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig()));

      expect(first?.originId).toBe(`${PO_WID}:5001`);
      expect(first?.lines).toEqual([
        expect.objectContaining({
          originId: `${PO_WID}:L1:1`,
          amount: '600.00',
          description: 'Ready-mix concrete (split 1/2) — 6.000 CY × 100.0000',
        }),
      ]);
      expect(second?.originId).toBe(`${PO_WID}:5002`);
      expect(second?.lines).toEqual([expect.objectContaining({ originId: `${PO_WID}:L1:2`, amount: '400.00' })]);
    });

    it("fills in the types a split lacks from the line's own worktags, split worktags first", () => {
      const line = buildPoLine({
        worktags: [projectTag('PRJ-1001'), costCodeTag('WD-CONC')],
        splits: [
          buildSplit({ extendedAmount: '250.00', worktags: [costCodeTag('09-100')] }),
          buildSplit({ extendedAmount: '750.00', worktags: [costCenterTag('CC-200')] }),
        ],
      });

      const lines = commitments(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig())).flatMap((c) =>
        c.lines.map((l) => [c.procoreProjectId, l.budgetCode.costCode]),
      );

      // Split 2 keeps the line's Project_ID too, and that rule comes first.
      expect(lines).toEqual([
        [5001, '09-100'],
        [5001, '03-300'],
      ]);
    });

    it('quarantines a split that matches no rule, naming the split', () => {
      const line = buildPoLine({
        worktags: [costCodeTag('WD-CONC')],
        splits: [buildSplit({ extendedAmount: '1000.00', worktags: [costCenterTag('CC-404')] })],
      });

      expect(reasonOf(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig()))).toContain(
        'PO PO-1042 line 1 split 1: no project rule matches its worktags (Cost_Center_Reference_ID CC-404, Custom_Worktag_1_ID WD-CONC)',
      );
    });

    it('quarantines a line whose splits do not add up to it', () => {
      const line = buildPoLine({ extendedAmount: '1000.00', splits: [buildSplit({ extendedAmount: '999.99' })] });

      expect(reasonOf(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig()))).toContain(
        'its splits add up to 999.99 but the line amount is 1000.00',
      );
    });
  });

  describe('budget codes', () => {
    it('passes a cost code the map does not know through unchanged', () => {
      const line = buildPoLine({ worktags: [projectTag('PRJ-1001'), costCodeTag('05-120')] });

      const mapped = only(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig())).lines[0];

      expect(mapped?.budgetCode.costCode).toBe('05-120');
      expect(mapped?.rule).toContain('Custom_Worktag_1_ID 05-120 → 05-120');
    });

    it('uses mapping.costCodes.default when the line has no cost code worktag', () => {
      const config = buildConfig({ mapping: { costCodes: { worktagType: 'Custom_Worktag_1_ID', default: '01-000' } } });
      const line = buildPoLine({ worktags: [projectTag('PRJ-1001')] });

      const mapped = only(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), config)).lines[0];

      expect(mapped?.budgetCode.costCode).toBe('01-000');
      expect(mapped?.rule).toContain('no Custom_Worktag_1_ID → default 01-000');
    });

    it('quarantines a line without a cost code when there is no default', () => {
      const line = buildPoLine({ worktags: [projectTag('PRJ-1001')] });

      const result = mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig());

      expect(result.outcome).toBe('quarantined');
      expect(reasonOf(result)).toContain(
        'PO PO-1042 line 1 has no Custom_Worktag_1_ID worktag and mapping.costCodes.default is null',
      );
    });

    it('quarantines a line with two different cost code worktags', () => {
      const line = buildPoLine({ worktags: [projectTag('PRJ-1001'), costCodeTag('A'), costCodeTag('B')] });

      expect(reasonOf(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig()))).toContain(
        'has 2 Custom_Worktag_1_ID worktags (A, B)',
      );
    });

    it.each([
      ['SC-SUB', 'S', 'SC-SUB → S'],
      ['SC-OTHER', 'O', 'SC-OTHER → default O'],
      [undefined, 'O', 'no spend category → default O'],
    ])('maps spend category %s to cost type %s', (spendCategory, costType, rule) => {
      const line = buildPoLine(spendCategory === undefined ? {} : { spendCategory });
      if (spendCategory === undefined) delete (line as { spendCategory?: string }).spendCategory;

      const mapped = only(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig())).lines[0];

      expect(mapped?.budgetCode.costType).toBe(costType);
      expect(mapped?.rule).toContain(rule);
    });

    it('never reads a worktag value from the object prototype', () => {
      const line = buildPoLine({
        spendCategory: 'constructor',
        worktags: [projectTag('PRJ-1001'), costCodeTag('toString')],
      });

      const mapped = only(mapPurchaseOrder(buildPurchaseOrder({ lines: [line] }), buildConfig())).lines[0];

      expect(mapped?.budgetCode).toEqual({ costCode: 'toString', costType: 'O' });
    });
  });

  describe('status and scope', () => {
    it.each([
      ['Issued', 'Approved'],
      ['closed', 'Closed'],
      ['CANCELED', 'Closed'],
    ])('maps Workday status %s to Procore %s, case-insensitively', (id, status) => {
      const po = buildPurchaseOrder({ status: { id } });

      expect(only(mapPurchaseOrder(po, buildConfig())).header.status).toBe(status);
    });

    it('matches the status descriptor when the ID is not in the map', () => {
      const po = buildPurchaseOrder({ status: { id: 'PO_STATUS_7', descriptor: 'Approved' } });

      expect(only(mapPurchaseOrder(po, buildConfig())).header.status).toBe('Approved');
    });

    it('skips a PO whose status is not in purchaseOrders.statusMap', () => {
      const result = mapPurchaseOrder(
        buildPurchaseOrder({ status: { id: 'Draft', descriptor: 'Draft' } }),
        buildConfig(),
      );

      expect(result.outcome).toBe('skipped');
      expect(reasonOf(result)).toContain('PO status Draft is not in purchaseOrders.statusMap');
    });

    it('skips a PO dated before syncFrom', () => {
      const result = mapPurchaseOrder(buildPurchaseOrder({ documentDate: '2025-12-31' }), buildConfig());

      expect(result).toMatchObject({
        outcome: 'skipped',
        reason: expect.stringContaining('before syncFrom 2026-01-01'),
      });
    });

    it('maps a PO dated on syncFrom, and every PO when there is no syncFrom', () => {
      const { syncFrom: _omit, ...withoutSyncFrom } = buildConfig();

      expect(mapPurchaseOrder(buildPurchaseOrder({ documentDate: '2026-01-01' }), buildConfig()).outcome).toBe(
        'mapped',
      );
      expect(mapPurchaseOrder(buildPurchaseOrder({ documentDate: '2001-01-01' }), withoutSyncFrom).outcome).toBe(
        'mapped',
      );
    });

    it('quarantines a PO without lines', () => {
      const result = mapPurchaseOrder(buildPurchaseOrder({ lines: [] }), buildConfig());

      expect(result.outcome).toBe('quarantined');
      expect(reasonOf(result)).toContain('PO PO-1042 has no goods or service lines');
    });

    it('quarantines a PO whose supplier reference has no WID', () => {
      const result = mapPurchaseOrder(
        buildPurchaseOrder({ supplier: { ids: { Supplier_ID: 'S-1' }, descriptor: 'Acme' } }),
        buildConfig(),
      );

      expect(reasonOf(result)).toContain('PO PO-1042 names its supplier (Acme) without a WID');
    });

    it('quarantines two lines with the same id', () => {
      const po = buildPurchaseOrder({
        lines: [buildPoLine({ lineId: 'X' }), buildPoLine({ lineId: 'X', lineNumber: 2 })],
      });

      expect(reasonOf(mapPurchaseOrder(po, buildConfig()))).toContain('two lines with the id X');
    });
  });

  describe('charges', () => {
    const withCharges = buildConfig({ mapping: { charges: { costCode: '01-900', costType: 'O' } } });

    it('adds one line per non-zero charge in the project of the first line', () => {
      const po = buildPurchaseOrder({
        taxAmount: '82.50',
        freightAmount: '0.00',
        otherCharges: '15.00',
        lines: [
          buildPoLine({ lineId: 'B', lineNumber: 2 }),
          buildPoLine({ lineId: 'A', lineNumber: 1, worktags: [costCenterTag('CC-200'), costCodeTag('WD-CONC')] }),
        ],
      });

      const [in5001, in5002] = commitments(mapPurchaseOrder(po, withCharges));

      expect(in5001?.lines.map((l) => l.originId)).toEqual([`${PO_WID}:B`]);
      expect(in5002?.lines.slice(1)).toEqual([
        {
          originId: `${PO_WID}:charges:tax`,
          amount: '82.50',
          description: 'Tax on PO PO-1042',
          budgetCode: { costCode: '01-900', costType: 'O' },
          rule: 'tax → 5002 (project of PO PO-1042 line 1); mapping.charges → 01-900 × O',
        },
        expect.objectContaining({ originId: `${PO_WID}:charges:other`, amount: '15.00' }),
      ]);
    });

    it("uses the first split's project when the first line is split", () => {
      const po = buildPurchaseOrder({
        freightAmount: '10.00',
        lines: [
          buildPoLine({
            splits: [
              buildSplit({ extendedAmount: '500.00', worktags: [costCenterTag('CC-200')] }),
              buildSplit({ extendedAmount: '500.00', worktags: [projectTag('PRJ-1001')] }),
            ],
            worktags: [costCodeTag('WD-CONC')],
          }),
        ],
      });

      const result = commitments(mapPurchaseOrder(po, withCharges));

      expect(result.find((c) => c.procoreProjectId === 5002)?.lines.at(-1)?.originId).toBe(`${PO_WID}:charges:freight`);
    });

    it('leaves charges out of Procore when mapping.charges.costCode is null, and says so on the commitment', () => {
      const po = buildPurchaseOrder({ taxAmount: '82.50' });

      const commitment = only(mapPurchaseOrder(po, buildConfig()));

      expect(commitment.lines).toHaveLength(1);
      expect(commitment.chargesLeftOut).toEqual([{ kind: 'tax', amount: '82.50', procoreProjectId: 5001 }]);
    });
  });

  describe('currency', () => {
    it('carries the document currency for the writer to check, even one its project may not use', () => {
      const commitment = only(mapPurchaseOrder(buildPurchaseOrder({ currency: 'EUR' }), buildConfig()));

      expect(commitment.currency).toBe('EUR');
      expect(commitment.header).not.toHaveProperty('currency_iso_code');
    });

    it("carries the rule's currency as the fallback for a project Procore has no currency for", () => {
      const config = buildConfig();
      config.mapping.projects = config.mapping.projects.map((rule) =>
        rule.procoreProjectId === 5001 ? { ...rule, currency: 'CAD' } : rule,
      );

      const commitment = only(mapPurchaseOrder(buildPurchaseOrder({ currency: 'EUR' }), config));

      expect(commitment).toMatchObject({ currency: 'EUR', configuredProjectCurrency: 'CAD' });
    });
  });
});

describe('poLineIndexEntries()', () => {
  it('lists each PO line with the SOV lines it became', () => {
    const po = buildPurchaseOrder({
      lines: [
        buildPoLine({ lineId: 'A' }),
        buildPoLine({
          lineId: 'B',
          lineNumber: 2,
          worktags: [costCodeTag('WD-CONC')],
          splits: [
            buildSplit({ extendedAmount: '300.00', worktags: [projectTag('PRJ-1001')] }),
            buildSplit({ extendedAmount: '700.00', worktags: [costCenterTag('CC-200')] }),
          ],
        }),
      ],
    });

    const a = [{ procoreProjectId: 5001, commitmentLineOriginId: `${PO_WID}:A`, amount: '1000.00' }];
    const b = [
      { procoreProjectId: 5001, commitmentLineOriginId: `${PO_WID}:B:1`, amount: '300.00' },
      { procoreProjectId: 5002, commitmentLineOriginId: `${PO_WID}:B:2`, amount: '700.00' },
    ];
    // Each line under its ID and under its number in the PO, the two ways an invoice line may name it.
    expect(poLineIndexEntries(po, buildConfig())).toEqual([
      { purchaseOrderWid: PO_WID, lineId: 'A', parts: a },
      { purchaseOrderWid: PO_WID, lineId: 'PO-1042 line 1', parts: a },
      { purchaseOrderWid: PO_WID, lineId: 'B', parts: b },
      { purchaseOrderWid: PO_WID, lineId: 'PO-1042 line 2', parts: b },
    ]);
  });

  it('is empty for a PO that is skipped or quarantined', () => {
    expect(poLineIndexEntries(buildPurchaseOrder({ status: { id: 'Draft' } }), buildConfig())).toEqual([]);
    expect(poLineIndexEntries(buildPurchaseOrder({ lines: [buildPoLine({ worktags: [] })] }), buildConfig())).toEqual(
      [],
    );
  });
});
