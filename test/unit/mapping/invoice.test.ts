import { describe, expect, it } from 'vitest';
import type {
  DirectCostCommand,
  MappingContext,
  MapResult,
  RequisitionCommand,
  WriteCommand,
} from '../../../lambdas/mapping/commands';
import { mapInvoice } from '../../../lambdas/mapping/invoice';
import { sum } from '../../../lambdas/shared/money';
import {
  buildConfig,
  buildContext,
  buildInvoice,
  buildInvoiceLine,
  buildPoBackedLine,
  buildPoLine,
  buildPurchaseOrder,
  buildSplit,
  costCenterTag,
  costCodeTag,
  projectTag,
  wid,
} from './builders';

const INV = wid('invoice-9');
const PO = wid('po-1042');
const PO2 = wid('po-2000');

const poA = buildPurchaseOrder({
  lines: [
    buildPoLine({ lineId: 'POL-A', lineNumber: 1 }),
    buildPoLine({
      lineId: 'POL-S',
      lineNumber: 2,
      worktags: [costCodeTag('WD-CONC')],
      splits: [
        buildSplit({ extendedAmount: '300.00', worktags: [projectTag('PRJ-1001')] }),
        buildSplit({ extendedAmount: '700.00', worktags: [costCenterTag('CC-200')] }),
      ],
    }),
  ],
});
const poB = buildPurchaseOrder({
  wid: PO2,
  documentNumber: 'PO-2000',
  lines: [buildPoLine({ lineId: 'POL-B', worktags: [costCenterTag('CC-200'), costCodeTag('WD-CONC')] })],
});

function commandsOf(result: MapResult): WriteCommand[] {
  if (result.outcome !== 'mapped') throw new Error(`expected mapped, got ${JSON.stringify(result)}`);
  return result.commands;
}

const requisitionsOf = (result: MapResult) =>
  commandsOf(result).filter((c): c is RequisitionCommand => c.resource === 'requisition');
const directCostsOf = (result: MapResult) =>
  commandsOf(result).filter((c): c is DirectCostCommand => c.resource === 'directCost');

function reasonOf(result: MapResult): string {
  if (result.outcome === 'mapped') throw new Error('expected a reason, got mapped');
  return result.reason;
}

describe('mapInvoice()', () => {
  const config = buildConfig();
  const context: MappingContext = buildContext([poA, poB], config);

  it('skips an invoice whose status is not in invoices.statuses, naming the key to change', () => {
    const draft = buildInvoice({ status: { id: 'Draft', descriptor: 'Draft' } });

    const result = mapInvoice(draft, config, context);

    expect(result.outcome).toBe('skipped');
    expect(reasonOf(result)).toContain('status Draft, which is not in invoices.statuses');
  });

  it('takes any listed status, by ID or descriptor, in any case', () => {
    const paid = buildInvoice({ status: { id: 'INVOICE_STATUS_9', descriptor: 'paid' } });
    const withPaid = buildConfig({ invoices: { poBacked: 'requisition', statuses: ['Approved', 'Paid'] } });

    expect(mapInvoice(paid, withPaid, buildContext([poA, poB], withPaid)).outcome).toBe('mapped');
  });

  describe('lines without a PO', () => {
    it('become a direct cost per project with CONTRACT origin ids and the supplier invoice number', () => {
      const invoice = buildInvoice({
        memo: 'March pour',
        lines: [
          buildInvoiceLine({ lineId: 'L1', lineOrder: '1', extendedAmount: '125.50' }),
          buildInvoiceLine({
            lineId: 'L2',
            lineOrder: '2',
            extendedAmount: '0.01',
            worktags: [costCenterTag('CC-200'), costCodeTag('09-900')],
            spendCategory: 'SC-SUB',
          }),
        ],
      });

      const result = mapInvoice(invoice, config, context);

      expect(result).toMatchObject({ outcome: 'mapped', key: `invoice:${INV}` });
      expect(directCostsOf(result)).toEqual([
        {
          resource: 'directCost',
          originId: `${INV}:5001`,
          procoreProjectId: 5001,
          vendorOriginId: wid('supplier-1'),
          invoiceNumber: 'ACME-7781',
          directCostDate: '2026-03-15',
          description: 'March pour',
          currency: 'USD',
          lines: [
            {
              originId: `${INV}:L1`,
              amount: '125.50',
              description: 'Concrete pour, level 2',
              budgetCode: { costCode: '03-300', costType: 'M' },
              rule: 'Project_ID PRJ-1001 → 5001; Custom_Worktag_1_ID WD-CONC → 03-300; SC-MAT → M',
            },
          ],
        },
        expect.objectContaining({
          originId: `${INV}:5002`,
          lines: [
            expect.objectContaining({
              originId: `${INV}:L2`,
              amount: '0.01',
              budgetCode: { costCode: '09-900', costType: 'S' },
            }),
          ],
        }),
      ]);
    });

    it("falls back to Workday's Invoice_Number when there is no supplier's number", () => {
      const { suppliersInvoiceNumber: _omit, ...invoice } = buildInvoice();

      expect(directCostsOf(mapInvoice({ ...invoice }, config, context))[0]?.invoiceNumber).toBe('SINV-0009');
    });

    it('numbers split lines 1-based and describes the split quantity', () => {
      const line = buildInvoiceLine({
        lineId: 'L1',
        quantity: '2.000',
        unitCost: '200.0000',
        worktags: [costCodeTag('WD-CONC')],
        splits: [
          buildSplit({ extendedAmount: '100.00', quantity: '0.500', worktags: [projectTag('PRJ-1001')] }),
          buildSplit({ extendedAmount: '300.00', quantity: '1.500', worktags: [costCenterTag('CC-200')] }),
        ],
      });

      const costs = directCostsOf(mapInvoice(buildInvoice({ lines: [line] }), config, context));

      expect(costs.map((c) => c.lines.map((l) => [l.originId, l.amount, l.description]))).toEqual([
        [[`${INV}:L1:1`, '100.00', 'Concrete pour, level 2 (split 1/2) — 0.500 × 200.0000']],
        [[`${INV}:L1:2`, '300.00', 'Concrete pour, level 2 (split 2/2) — 1.500 × 200.0000']],
      ]);
    });

    it('quarantines a line no project rule matches', () => {
      const line = buildInvoiceLine({ lineOrder: '4', worktags: [costCenterTag('CC-404')] });

      const result = mapInvoice(buildInvoice({ lines: [line] }), config, context);

      expect(result.outcome).toBe('quarantined');
      expect(reasonOf(result)).toContain(
        'Invoice SINV-0009 line 4: no project rule matches its worktags (Cost_Center_Reference_ID CC-404)',
      );
    });

    it('quarantines a line without a cost code when there is no default', () => {
      const line = buildInvoiceLine({ worktags: [projectTag('PRJ-1001')] });

      expect(reasonOf(mapInvoice(buildInvoice({ lines: [line] }), config, context))).toContain(
        'Invoice SINV-0009 line 1 has no Custom_Worktag_1_ID worktag and mapping.costCodes.default is null',
      );
    });

    it('keeps the total of many lines exact', () => {
      const lines = Array.from({ length: 99 }, (_, i) =>
        buildInvoiceLine({ lineId: `L${i}`, lineOrder: String(i + 1), extendedAmount: '0.03' }),
      );

      const [cost] = directCostsOf(mapInvoice(buildInvoice({ lines }), config, context));

      expect(sum(cost?.lines.map((l) => l.amount) ?? [])).toBe('2.97');
    });
  });

  describe('lines on POs', () => {
    it('become one requisition per commitment, items on the referenced SOV lines', () => {
      const invoice = buildInvoice({
        lines: [
          buildPoBackedLine('POL-A', { lineId: 'L1', extendedAmount: '250.00' }),
          buildPoBackedLine('POL-B', { lineId: 'L2', extendedAmount: '99999999999.99' }),
        ],
      });

      const requisitions = requisitionsOf(mapInvoice(invoice, config, context));

      expect(requisitions).toEqual([
        {
          resource: 'requisition',
          originId: `${INV}:${PO}:5001`,
          procoreProjectId: 5001,
          commitmentOriginId: `${PO}:5001`,
          vendorOriginId: wid('supplier-1'),
          invoiceNumber: 'ACME-7781',
          currency: 'USD',
          billingDate: '2026-03-15',
          items: [{ commitmentLineOriginId: `${PO}:POL-A`, amount: '250.00' }],
        },
        expect.objectContaining({
          originId: `${INV}:${PO2}:5002`,
          commitmentOriginId: `${PO2}:5002`,
          items: [{ commitmentLineOriginId: `${PO2}:POL-B`, amount: '99999999999.99' }],
        }),
      ]);
    });

    it('adds up invoice lines that bill the same SOV line, exactly', () => {
      const invoice = buildInvoice({
        lines: [
          buildPoBackedLine('POL-A', { lineId: 'L1', extendedAmount: '0.10' }),
          buildPoBackedLine('POL-A', { lineId: 'L2', extendedAmount: '0.20' }),
        ],
      });

      expect(requisitionsOf(mapInvoice(invoice, config, context))[0]?.items).toEqual([
        { commitmentLineOriginId: `${PO}:POL-A`, amount: '0.30' },
      ]);
    });

    it('maps invoice split i to PO line part i when both are split alike', () => {
      const line = buildPoBackedLine('POL-S', {
        extendedAmount: '100.00',
        splits: [
          buildSplit({ extendedAmount: '30.00', worktags: [] }),
          buildSplit({ extendedAmount: '70.00', worktags: [] }),
        ],
      });

      const requisitions = requisitionsOf(mapInvoice(buildInvoice({ lines: [line] }), config, context));

      expect(requisitions.map((r) => [r.originId, r.items])).toEqual([
        [`${INV}:${PO}:5001`, [{ commitmentLineOriginId: `${PO}:POL-S:1`, amount: '30.00' }]],
        [`${INV}:${PO}:5002`, [{ commitmentLineOriginId: `${PO}:POL-S:2`, amount: '70.00' }]],
      ]);
    });

    it('bills all of a split invoice line on the one SOV line of an unsplit PO line', () => {
      const line = buildPoBackedLine('POL-A', {
        extendedAmount: '100.00',
        splits: [
          buildSplit({ extendedAmount: '40.00', worktags: [] }),
          buildSplit({ extendedAmount: '60.00', worktags: [] }),
        ],
      });

      expect(requisitionsOf(mapInvoice(buildInvoice({ lines: [line] }), config, context))[0]?.items).toEqual([
        { commitmentLineOriginId: `${PO}:POL-A`, amount: '100.00' },
      ]);
    });

    it('quarantines an unsplit line billing a split PO line, suggesting poBacked: directCost', () => {
      const result = mapInvoice(buildInvoice({ lines: [buildPoBackedLine('POL-S')] }), config, context);

      expect(result.outcome).toBe('quarantined');
      expect(reasonOf(result)).toContain('Invoice SINV-0009 line 1 bills PO line POL-S, which became 2 Procore lines');
      expect(reasonOf(result)).toContain("invoices.poBacked to 'directCost'");
    });

    it('waits for a PO line the index does not know, naming it as the dependency', () => {
      const result = mapInvoice(buildInvoice({ lines: [buildPoBackedLine('POL-NEW')] }), config, context);

      expect(result).toMatchObject({
        outcome: 'waiting',
        key: `invoice:${INV}`,
        dependency: 'purchaseOrderLine:POL-NEW',
        reason: expect.stringContaining('bills PO line POL-NEW, which is not in Procore yet'),
      });
    });

    it('quarantines rather than waits when another line cannot be mapped anyway', () => {
      const invoice = buildInvoice({
        lines: [buildPoBackedLine('POL-NEW', { lineId: 'L1' }), buildInvoiceLine({ lineId: 'L2', worktags: [] })],
      });

      expect(mapInvoice(invoice, config, context).outcome).toBe('quarantined');
    });

    it('puts header charges on a direct cost of their own, in the first line’s project', () => {
      const withCharges = buildConfig({ mapping: { charges: { costCode: '01-900', costType: 'O' } } });
      const invoice = buildInvoice({
        taxAmount: '12.34',
        freightAmount: '5.00',
        lines: [
          buildPoBackedLine('POL-B', { lineId: 'L2', lineOrder: '2' }),
          buildPoBackedLine('POL-A', { lineId: 'L1', lineOrder: '1' }),
        ],
      });

      const result = mapInvoice(invoice, withCharges, buildContext([poA, poB], withCharges));

      expect(directCostsOf(result)).toEqual([
        expect.objectContaining({
          originId: `${INV}:5001:charges`,
          procoreProjectId: 5001,
          description: 'Charges on Invoice SINV-0009',
          lines: [
            expect.objectContaining({
              originId: `${INV}:charges:tax`,
              amount: '12.34',
              budgetCode: { costCode: '01-900', costType: 'O' },
            }),
            expect.objectContaining({ originId: `${INV}:charges:freight`, amount: '5.00' }),
          ],
        }),
      ]);
    });

    it('leaves charges out with mapping.charges.costCode null and reports them on the requisition', () => {
      const invoice = buildInvoice({ taxAmount: '12.34', lines: [buildPoBackedLine('POL-A')] });

      const result = mapInvoice(invoice, config, context);

      expect(directCostsOf(result)).toEqual([]);
      expect(requisitionsOf(result)[0]?.chargesLeftOut).toEqual([
        { kind: 'tax', amount: '12.34', procoreProjectId: 5001 },
      ]);
    });
  });

  describe('with invoices.poBacked: directCost', () => {
    const directConfig = buildConfig({ invoices: { poBacked: 'directCost' } });
    const directContext = buildContext([poA, poB], directConfig);

    it("sends PO lines to a direct cost in the PO line's project, coded by the invoice line's own worktags", () => {
      const line = buildPoBackedLine('POL-B', {
        worktags: [projectTag('PRJ-1001'), costCodeTag('07-100')],
        spendCategory: 'SC-SUB',
      });

      const result = mapInvoice(buildInvoice({ lines: [line] }), directConfig, directContext);

      expect(requisitionsOf(result)).toEqual([]);
      expect(directCostsOf(result)).toEqual([
        expect.objectContaining({
          originId: `${INV}:5002`,
          lines: [
            {
              originId: `${INV}:SIL-1`,
              amount: '400.00',
              description: 'Concrete pour, level 2',
              budgetCode: { costCode: '07-100', costType: 'S' },
              rule: 'PO line POL-B → 5002; Custom_Worktag_1_ID 07-100 → 07-100; SC-SUB → S',
            },
          ],
        }),
      ]);
    });

    it('quarantines a PO line on the invoice without a cost code of its own', () => {
      const result = mapInvoice(buildInvoice({ lines: [buildPoBackedLine('POL-A')] }), directConfig, directContext);

      expect(reasonOf(result)).toContain('Invoice SINV-0009 line 1 has no Custom_Worktag_1_ID worktag');
    });

    it('adds charges to the direct cost of the first line’s project', () => {
      const withCharges = buildConfig({
        invoices: { poBacked: 'directCost' },
        mapping: { charges: { costCode: '01-900', costType: 'O' } },
      });
      const invoice = buildInvoice({
        otherCharges: '7.00',
        lines: [buildPoBackedLine('POL-A', { worktags: [costCodeTag('WD-CONC')] })],
      });

      const [cost, ...others] = directCostsOf(mapInvoice(invoice, withCharges, buildContext([poA], withCharges)));

      expect(others).toEqual([]);
      expect(cost?.originId).toBe(`${INV}:5001`);
      expect(cost?.lines.map((l) => l.originId)).toEqual([`${INV}:SIL-1`, `${INV}:charges:other`]);
    });
  });

  describe('mixed invoices and scope', () => {
    it('gives requisitions and direct costs side by side, charges on the direct cost', () => {
      const withCharges = buildConfig({ mapping: { charges: { costCode: '01-900', costType: 'O' } } });
      const invoice = buildInvoice({
        taxAmount: '1.00',
        lines: [
          buildInvoiceLine({ lineId: 'L1', lineOrder: '1' }),
          buildPoBackedLine('POL-A', { lineId: 'L2', lineOrder: '2' }),
        ],
      });

      const result = mapInvoice(invoice, withCharges, buildContext([poA], withCharges));

      expect(commandsOf(result).map((c) => [c.resource, 'originId' in c ? c.originId : ''])).toEqual([
        ['requisition', `${INV}:${PO}:5001`],
        ['directCost', `${INV}:5001`],
      ]);
      expect(directCostsOf(result)[0]?.lines.map((l) => l.originId)).toEqual([`${INV}:L1`, `${INV}:charges:tax`]);
    });

    it('skips an invoice dated before syncFrom', () => {
      const result = mapInvoice(buildInvoice({ invoiceDate: '2025-11-30' }), config, context);

      expect(result).toMatchObject({
        outcome: 'skipped',
        reason: expect.stringContaining('before syncFrom 2026-01-01'),
      });
    });

    it('quarantines an invoice without lines', () => {
      expect(reasonOf(mapInvoice(buildInvoice({ lines: [] }), config, context))).toContain(
        'Invoice SINV-0009 has no lines',
      );
    });

    it('carries the document currency on requisitions and direct costs for the writer to check', () => {
      const result = mapInvoice(buildInvoice({ currency: 'EUR' }), config, context);

      expect(result.outcome).toBe('mapped');
      const commands = result.outcome === 'mapped' ? result.commands : [];
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) expect(command).toMatchObject({ currency: 'EUR' });
    });
  });
});
