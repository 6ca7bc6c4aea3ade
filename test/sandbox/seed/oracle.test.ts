import { beforeAll, describe, expect, it } from 'vitest';
import { abs, equals, negate, subtract, toAmount } from '../../../lambdas/shared/money';
import type { Oracle, ScenarioChange } from '../../../sandbox/seed';
import type { InvoiceAdjustment, PurchaseOrder, SupplierInvoice } from '../../../sandbox/workday';
import { type LoadedFirm, loadFirm } from './helpers';

function records<T>(all: Iterable<{ record: T }>): T[] {
  return [...all].map((v) => v.record);
}

function lines(po: PurchaseOrder) {
  return [...po.goodsLines, ...po.serviceLines].sort((a, b) => a.lineNumber - b.lineNumber);
}

describe('the oracle on the small firm', () => {
  let loaded: LoadedFirm;
  let oracle: Oracle;
  let pos: PurchaseOrder[];
  let invoices: SupplierInvoice[];
  let memos: InvoiceAdjustment[];
  let projectOf: (id: string) => number;

  beforeAll(() => {
    loaded = loadFirm('small');
    oracle = loaded.firm.oracle();
    pos = records(loaded.firm.data.purchaseOrders.all());
    invoices = records(loaded.firm.data.invoices.all());
    memos = records(loaded.firm.data.adjustments.all());
    const rules = loaded.firm.layout.projects;
    projectOf = (worktagId) => rules.find((p) => p.worktag.id === worktagId)?.procoreId ?? 0;
  });

  const commitmentsOf = (po: PurchaseOrder) => oracle.commitments.filter((c) => c.originId.startsWith(`${po.wid}:`));

  it('turns a PO with header charges into lines on 01-900 × O in the project of its first line', () => {
    const po = pos.find((p) => p.freightAmount !== undefined && p.serviceLines.every((l) => l.lineNumber > 1));
    if (!po) throw new Error('no PO with charges');
    const first = lines(po)[0];
    const project = projectOf(
      first?.worktags.find((w) => w.type === 'Project_ID' || w.type === 'Cost_Center_Reference_ID')?.id ?? '',
    );
    const [commitment] = commitmentsOf(po);

    expect(commitment?.originId).toBe(`${po.wid}:${project}`);
    expect(commitment?.lines).toContainEqual({
      originId: `${po.wid}:charges:tax`,
      costCode: '01-900',
      costType: 'O',
      amount: po.taxAmount,
    });
    expect(commitment?.lines).toContainEqual({
      originId: `${po.wid}:charges:freight`,
      costCode: '01-900',
      costType: 'O',
      amount: po.freightAmount,
    });
    expect(commitment?.lines).toHaveLength(lines(po).length + (po.otherCharges ? 3 : 2));
  });

  it('sends the two splits of a split line to two commitments, split numbers 1 and 2', () => {
    const po = pos.find((p) => lines(p).some((l) => l.splits.length === 2));
    const line = po && lines(po).find((l) => l.splits.length === 2);
    if (!po || !line) throw new Error('no split line');
    const [a, b] = line.splits;
    const all = commitmentsOf(po).flatMap((c) => c.lines.map((l) => ({ ...l, project: c.procoreProjectId })));

    expect(all.find((l) => l.originId === `${po.wid}:${line.lineId}:1`)?.amount).toBe(a?.extendedAmount);
    expect(all.find((l) => l.originId === `${po.wid}:${line.lineId}:2`)?.amount).toBe(b?.extendedAmount);
    expect(
      new Set(all.filter((l) => l.originId.startsWith(`${po.wid}:${line.lineId}:`)).map((l) => l.project)).size,
    ).toBe(2);
    expect(commitmentsOf(po)).toHaveLength(2);
  });

  it('maps Issued to Approved and Canceled to Closed, skips Draft, quarantines the USD PO on the CAD project', () => {
    const issued = pos.find((p) => p.status.id === 'ISSUED' && lines(p).every((l) => l.splits.length === 0));
    const canceled = pos.find((p) => p.status.id === 'CANCELED');
    const draft = pos.find((p) => p.status.id === 'DRAFT');
    const cad = pos.find((p) => lines(p).some((l) => l.worktags.some((w) => w.id === 'PRJ-CA-07')));

    expect(issued && commitmentsOf(issued).map((c) => c.status)).toEqual(['Approved']);
    expect(canceled && commitmentsOf(canceled).every((c) => c.status === 'Closed')).toBe(true);
    expect(draft && oracle.expectedOutcomes.get(`purchaseOrder:${draft.wid}`)).toBe('skipped');
    expect(draft && commitmentsOf(draft)).toEqual([]);
    expect(cad && oracle.quarantineReasons.get(`purchaseOrder:${cad.wid}`)).toContain('currency USD differs');
  });

  it('puts a line without a cost code worktag on the default cost code, and follows the first matching rule', () => {
    const po = pos.find((p) =>
      lines(p).some((l) => l.splits.length === 0 && !l.worktags.some((w) => w.type === 'Custom_Worktag_1_ID')),
    );
    const line = po && lines(po).find((l) => !l.worktags.some((w) => w.type === 'Custom_Worktag_1_ID'));
    const precedence = pos.find(
      (p) =>
        lines(p)[0]?.worktags[0]?.type === 'Cost_Center_Reference_ID' &&
        lines(p)[0]?.worktags[1]?.type === 'Project_ID',
    );
    const projectTag = precedence && lines(precedence)[0]?.worktags[1]?.id;

    expect(
      po && line && commitmentsOf(po)[0]?.lines.find((l) => l.originId === `${po.wid}:${line.lineId}`)?.costCode,
    ).toBe('01-500');
    expect(precedence && commitmentsOf(precedence).map((c) => c.procoreProjectId)).toEqual([
      projectOf(projectTag ?? ''),
    ]);
  });

  it('links the hand-typed commitment carrying the PO number', () => {
    const [typed] = loaded.procore.state.commitments();
    const linked = oracle.commitments.find((c) => c.procoreId !== undefined);

    expect(linked?.procoreId).toBe(typed?.id);
    expect(linked?.number).toBe(typed?.number);
  });

  it('makes two requisitions for an invoice on two POs, items per SOV line', () => {
    const invoice = invoices.find(
      (i) => new Set(i.lines.map((l) => l.purchaseOrderLine?.purchaseOrderWid).filter(Boolean)).size === 2,
    );
    if (!invoice) throw new Error('no two-PO invoice');
    const requisitions = oracle.requisitions.filter((r) => r.originId.startsWith(`${invoice.wid}:`));

    expect(requisitions).toHaveLength(2);
    for (const line of invoice.lines) {
      const link = line.purchaseOrderLine;
      const requisition = requisitions.find(
        (r) => link && r.commitmentOriginId.startsWith(`${link.purchaseOrderWid}:`),
      );
      expect(link && requisition?.items.get(`${link.purchaseOrderWid}:${link.lineId}`)).toBe(line.extendedAmount);
      expect(requisition?.invoiceNumber).toBe(invoice.suppliersInvoiceNumber ?? invoice.invoiceNumber);
    }
  });

  it('gives a PO-backed invoice its charges on a direct cost of their own, and mixed invoices a direct cost too', () => {
    const charged = invoices.find((i) => i.lines.every((l) => l.purchaseOrderLine) && i.freightAmount !== undefined);
    const mixed = invoices.find(
      (i) => i.lines.some((l) => l.purchaseOrderLine) && i.lines.some((l) => !l.purchaseOrderLine),
    );
    const charges = oracle.directCosts.find((d) => charged && d.originId.startsWith(`${charged.wid}:`));
    const other = mixed?.lines.find((l) => !l.purchaseOrderLine);

    expect(charges?.originId).toMatch(/:charges$/);
    expect(charges?.lines.map((l) => l.originId)).toContain(`${charged?.wid}:charges:freight`);
    expect(oracle.directCosts.find((d) => mixed && d.originId.startsWith(`${mixed.wid}:`))?.lines[0]?.originId).toBe(
      `${mixed?.wid}:${other?.lineId}`,
    );
  });

  it('makes credit memo amounts negative, except the one that increases the liability', () => {
    for (const memo of memos.filter((m) => m.status.id === 'APPROVED')) {
      const [cost] = oracle.directCosts.filter((d) => d.originId.startsWith(`${memo.wid}:`));
      const amount = memo.lines[0]?.extendedAmount ?? '0';
      const want = memo.increaseLiability ? toAmount(abs(amount)) : toAmount(negate(abs(amount)));
      expect(cost?.lines[0]?.amount).toBe(want);
      expect(cost?.invoiceNumber).toBe(memo.suppliersInvoiceNumber);
    }
  });

  it('leaves the draft and the cancelled credit memo out of Procore', () => {
    const outOfScope = memos.filter((m) => m.status.id !== 'APPROVED');

    expect(outOfScope.map((m) => m.status.id).sort()).toEqual(['CANCELED', 'DRAFT']);
    for (const memo of outOfScope) {
      expect(oracle.directCosts.filter((d) => d.originId.startsWith(`${memo.wid}:`))).toEqual([]);
      expect(oracle.expectedOutcomes.get(`creditMemo:${memo.wid}`)).toBe('skipped');
    }
  });

  it('links hand-typed vendors by EIN (inactive ones too) and quarantines the duplicates and the foreign one', () => {
    const typed = loaded.procore.state.vendors().filter((v) => v.business_register && v.origin_id === null);
    const byEin = oracle.vendors.filter((v) => typed.some((t) => t.id === v.procoreId));
    const inactive = loaded.procore.state
      .vendors()
      .find((v) => !v.is_active && v.origin_id === null && oracle.vendors.some((o) => o.procoreId === v.id));

    expect(byEin).toHaveLength(typed.length);
    expect(inactive).toBeDefined();
    expect([...oracle.quarantineReasons.keys()].filter((k) => k.startsWith('supplier:'))).toHaveLength(2);
    expect(oracle.untouchedVendors.some((v) => v.originId?.startsWith('vista:'))).toBe(true);
  });

  it('adds each vendor to the directory of every project it has a commitment on', () => {
    for (const vendor of oracle.vendors) {
      const projects = [
        ...new Set(
          oracle.commitments.filter((c) => c.vendorOriginId === vendor.originId).map((c) => c.procoreProjectId),
        ),
      ];
      expect(vendor.projectIds).toEqual(projects.sort((a, b) => a - b));
    }
  });
});

describe('the oracle after the scenario', () => {
  let loaded: LoadedFirm;
  let before: Oracle;
  let changes: ScenarioChange[];
  let after: Oracle;

  beforeAll(() => {
    loaded = loadFirm('small');
    before = loaded.firm.oracle();
    loaded.clock.now += 3_600_000;
    changes = loaded.firm.scenario.afterFirstSync(loaded.workday, loaded.procore);
    after = loaded.firm.oracle();
  });

  it('changes about 1% of the records, at least one of each kind, all in Workday', () => {
    const kinds = new Set(changes.map((c) => c.kind));

    expect(kinds).toEqual(
      new Set(['supplierRenamed', 'purchaseOrderChanged', 'purchaseOrderLineAdded', 'invoiceAdded']),
    );
    for (const change of changes) expect(after.expectedOutcomes.get(change.key)).toBe('written');
    const renamed = changes.find((c) => c.kind === 'supplierRenamed');
    const wid = renamed?.key.split(':')[1] ?? '';
    expect(loaded.workday.store.suppliers.get(wid)?.name).toContain('Holdings');
    expect(loaded.workday.store.suppliers.get(wid)?.enteredAt).toBe(loaded.clock.now);
  });

  it('renames the vendor of a renamed supplier', () => {
    const wid = changes.find((c) => c.kind === 'supplierRenamed')?.key.split(':')[1];
    const vendor = after.vendors.find((v) => v.originId === wid);

    expect(vendor?.name).toContain('Holdings');
    expect(before.vendors.find((v) => v.originId === wid)?.name).not.toContain('Holdings');
  });

  it('keeps the approved contract lines and puts the differences on change order co:1', () => {
    const changed = changes.filter((c) => c.kind !== 'supplierRenamed' && c.kind !== 'invoiceAdded');

    for (const change of changed) {
      const wid = change.key.split(':')[1];
      const old = before.commitments.filter((c) => c.originId.startsWith(`${wid}:`));
      const kept = after.commitments.filter((c) => c.originId.startsWith(`${wid}:`));
      const [co] = after.changeOrders.filter((o) => o.commitmentOriginId.startsWith(`${wid}:`));
      expect(kept).toEqual(old);
      expect(co?.number).toBe(`${kept[0]?.originId}:co:1`);
      const po = loaded.firm.data.purchaseOrders.at(loaded.firm.data.purchaseOrders.indexOf(wid ?? '') ?? 0).record;
      const [line] = co?.lines ?? [];
      if (change.kind === 'purchaseOrderLineAdded') {
        expect(line?.sovOriginId).toBeUndefined();
        expect(line?.amount).toBe(po.serviceLines.at(-1)?.extendedAmount);
      } else {
        const sov = old[0]?.lines.find((l) => l.originId === line?.sovOriginId);
        const now = lines(po).find((l) => `${po.wid}:${l.lineId}` === sov?.originId);
        expect(sov && now && equals(line?.amount ?? '', subtract(now.extendedAmount, sov.amount))).toBe(true);
      }
    }
    expect(before.changeOrders).toEqual([]);
  });

  it('expects the new invoices in Procore', () => {
    for (const change of changes.filter((c) => c.kind === 'invoiceAdded')) {
      const wid = change.key.split(':')[1] ?? '';
      const landed = [...after.directCosts, ...after.requisitions].filter((d) => d.originId.startsWith(`${wid}:`));
      expect(landed.length).toBeGreaterThan(0);
    }
    expect(after.requisitions.length).toBe(before.requisitions.length + 1);
  });

  it('refuses to apply the scenario twice', () => {
    expect(() => loaded.firm.scenario.afterFirstSync(loaded.workday, loaded.procore)).toThrow(/already/);
  });
});

describe('the oracle after the second scenario step', () => {
  let loaded: LoadedFirm;
  let first: Oracle;
  let second: Oracle;
  let changes: ScenarioChange[];

  beforeAll(() => {
    loaded = loadFirm('small');
    loaded.clock.now += 3_600_000;
    loaded.firm.scenario.afterFirstSync(loaded.workday, loaded.procore);
    first = loaded.firm.oracle();
    loaded.clock.now += 3_600_000;
    changes = loaded.firm.scenario.afterSecondSync(loaded.workday, loaded.procore);
    second = loaded.firm.oracle();
  });

  it('changes two POs again and gives each a second change order holding only the new difference', () => {
    expect(changes.map((c) => c.kind)).toEqual(['purchaseOrderChanged', 'purchaseOrderChanged']);
    const [amount, addedLine] = changes.map((change) => {
      const wid = change.key.split(':')[1];
      const ours = (o: Oracle) => o.changeOrders.filter((co) => co.commitmentOriginId.startsWith(`${wid}:`));
      const [co1, co2] = ours(second);
      expect(ours(first)).toEqual([co1]);
      expect(co2?.number).toBe(`${co1?.commitmentOriginId}:co:2`);
      return { co1, co2 };
    });
    // Its SOV line changes again, and the line it gains is on no SOV line.
    expect(amount?.co2?.lines.map((l) => l.sovOriginId)).toEqual([amount?.co1?.lines[0]?.sovOriginId, undefined]);
    expect(amount?.co1?.lines[0]?.sovOriginId).toBeDefined();
    // The line the first step added changes: still on no SOV line.
    expect(addedLine?.co2?.lines).toEqual([expect.objectContaining({ sovOriginId: undefined })]);
    for (const line of [...(amount?.co2?.lines ?? []), ...(addedLine?.co2?.lines ?? [])]) {
      expect(equals(line.amount, '0')).toBe(false);
    }
  });

  it('refuses the second step twice', () => {
    expect(() => loaded.firm.scenario.afterSecondSync(loaded.workday, loaded.procore)).toThrow(/already/);
  });
});
