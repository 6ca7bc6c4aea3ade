import type { Oracle } from '../../../sandbox/seed';
import type { GoodsLine, InvoiceLine, ServiceLine, Worktag } from '../../../sandbox/workday';
import type { LoadedFirm } from './helpers';

/** Counts every special case of the brief from the data itself (not from the generator's own labels). */
export function countSpecialCases({ firm, procore }: LoadedFirm, oracle: Oracle): Record<string, number> {
  const { state } = procore;
  const { data, layout } = firm;
  const config = firm.config;
  const suppliers = [...data.suppliers.all()].map((v) => v.record);
  const pos = [...data.purchaseOrders.all()].map((v) => v.record);
  const invoices = [...data.invoices.all()].map((v) => v.record);
  const memos = [...data.adjustments.all()].map((v) => v.record);
  const rules = config.mapping.projects;
  const projectOf = (tags: readonly Worktag[]) =>
    rules.find((r) => tags.some((t) => t.type === r.worktag.type && t.id === r.worktag.id))?.procoreProjectId;
  const poLines = pos.flatMap((po) => [...po.goodsLines, ...po.serviceLines] as (GoodsLine | ServiceLine)[]);
  const goods = pos.flatMap((po) => po.goodsLines);
  const costCodeValues = new Set(
    [...poLines, ...invoices.flatMap((i) => i.lines)].flatMap(
      (l: { worktags: Worktag[]; splits: { worktags: Worktag[] }[] }) =>
        [...l.worktags, ...l.splits.flatMap((s) => s.worktags)]
          .filter((w) => w.type === 'Custom_Worktag_1_ID')
          .map((w) => w.id),
    ),
  );
  const map = config.mapping.costCodes.map ?? {};
  const billedBy = new Map<string, number>();
  for (const invoice of invoices) {
    for (const wid of new Set(
      invoice.lines.flatMap((l) => (l.purchaseOrderLine ? [l.purchaseOrderLine.purchaseOrderWid] : [])),
    )) {
      billedBy.set(wid, (billedBy.get(wid) ?? 0) + 1);
    }
  }
  const poCount = (invoice: { lines: InvoiceLine[] }) =>
    new Set(invoice.lines.flatMap((l) => (l.purchaseOrderLine ? [l.purchaseOrderLine.purchaseOrderWid] : []))).size;
  const reasons = [...oracle.quarantineReasons.values()];
  const typed = state.vendors().filter((v) => v.origin_id === null);
  const linked = new Set(oracle.vendors.flatMap((v) => (v.procoreId === undefined ? [] : [v.procoreId])));
  const poNumbers = new Map(pos.map((po) => [po.documentNumber, po]));
  const syncFrom = config.syncFrom ?? '';
  const count = <T>(items: readonly T[], test: (item: T) => boolean) => items.filter(test).length;

  return {
    usdProjects: count(state.projects(), (p) => p.currency_iso_code === 'USD'),
    cadProjectsNotMulticurrency: count(
      state.projects(),
      (p) => p.currency_iso_code === 'CAD' && procore.switches.multicurrency === false,
    ),
    projectIdRules: count(rules, (r) => r.worktag.type === 'Project_ID'),
    costCenterRules: count(rules, (r) => r.worktag.type === 'Cost_Center_Reference_ID'),
    costCodeValuesMapped: count([...costCodeValues], (v) => v in map),
    costCodeValuesPassedThrough: count([...costCodeValues], (v) => !(v in map)),
    linesWithoutCostCode: count(
      poLines,
      (l) => l.splits.length === 0 && !l.worktags.some((w) => w.type === 'Custom_Worktag_1_ID'),
    ),
    costTypesMapped: new Set([
      ...Object.values(config.mapping.costTypes.bySpendCategory ?? {}),
      config.mapping.costTypes.default,
    ]).size,
    suppliers: suppliers.length,
    inactiveSuppliers: count(suppliers, (s) => s.statusHistory.at(-1)?.status === 'INACTIVE'),
    suppliersPendingApproval: count(suppliers, (s) => s.approvalStatus?.id !== 'APPROVED'),
    einSuppliers: count(suppliers, (s) => s.taxIds.some((t) => t.type === 'USA-EIN')),
    nonEinTaxIdSuppliers: count(suppliers, (s) => s.taxIds.some((t) => t.type !== 'USA-EIN')),
    suppliersWithoutTaxId: count(suppliers, (s) => s.taxIds.length === 0),
    suppliersWithBankAccounts: count(suppliers, (s) => s.settlementAccounts.length > 0),
    namesWithAmpersand: count(suppliers, (s) => s.name.includes('&')),
    namesWithApostrophe: count(suppliers, (s) => /['’]/.test(s.name)),
    namesWithAccents: count(suppliers, (s) => /\p{M}/u.test(s.name.normalize('NFD'))),
    namesWithEmoji: count(suppliers, (s) => /\p{Extended_Pictographic}/u.test(s.name)),
    namesOver255: count(suppliers, (s) => s.name.length > 255),
    handTypedVendorsWithoutOrigin: typed.length,
    handTypedMatchedByEin: count(typed, (v) => linked.has(v.id) && v.business_register !== null),
    handTypedMatchedByName: count(typed, (v) => linked.has(v.id) && v.business_register === null),
    duplicateVendorQuarantines: count(reasons, (r) => r.startsWith('candidate vendors')),
    otherIntegrationQuarantines: count(reasons, (r) => r.includes('another integration')),
    purchaseOrders: pos.length,
    goodsLines: goods.length,
    serviceLines: count(poLines, (l) => !('quantity' in l)),
    deliverableLines: pos.flatMap((po) => po.deliverableLines).length,
    poLinesSplitAcrossProjects: count(poLines, (l) => new Set(l.splits.map((s) => projectOf(s.worktags))).size === 2),
    posOnTwoProjects: count(
      pos,
      (po) =>
        new Set(
          [...po.goodsLines, ...po.serviceLines].flatMap((l) =>
            (l.splits.length ? l.splits : [l]).map((x) => projectOf(x.worktags)),
          ),
        ).size === 2,
    ),
    quantitiesWith3Decimals: count(goods, (l) => /^\d+\.\d{3}$/.test(l.quantity)),
    unitCostsWith4Decimals: count(goods, (l) => /^\d+\.\d{4}$/.test(l.unitCost)),
    posWithCharges: count(
      pos,
      (po) => po.taxAmount !== '0.00' || po.freightAmount !== undefined || po.otherCharges !== undefined,
    ),
    posIssued: count(pos, (po) => po.status.descriptor === 'Issued'),
    posApproved: count(pos, (po) => po.status.descriptor === 'Approved'),
    posDraft: count(pos, (po) => po.status.descriptor === 'Draft'),
    posCanceled: count(pos, (po) => po.status.descriptor === 'Canceled'),
    posOnCadProject: count(pos, (po) =>
      [...po.goodsLines, ...po.serviceLines].some((l) => projectOf(l.worktags) === layout.cadProject.procoreId),
    ),
    handTypedCommitments: count(state.commitments(), (c) => c.origin_id === null && poNumbers.has(c.number)),
    invoices: invoices.length,
    invoicesWithoutPo: count(invoices, (i) => poCount(i) === 0),
    invoicesOnOnePo: count(invoices, (i) => poCount(i) === 1),
    invoicesOnTwoPos: count(invoices, (i) => poCount(i) === 2),
    invoicesMixingPoAndOtherLines: count(invoices, (i) => poCount(i) > 0 && i.lines.some((l) => !l.purchaseOrderLine)),
    invoicesWithCharges: count(invoices, (i) => i.taxAmount !== '0.00' || i.freightAmount !== undefined),
    posBilledMoreThanOnce: count([...billedBy.values()], (n) => n > 1),
    draftInvoices: count(invoices, (i) => i.status.descriptor === 'Draft'),
    invoicesBeforeSyncFrom: count(invoices, (i) => i.invoiceDate < syncFrom),
    invoicesWithUnmappedCostCenter: count(invoices, (i) =>
      i.lines.some((l) => l.worktags.some((w) => w.id === layout.unmappedCostCenter.id)),
    ),
    contingentWorkerInvoices: count(invoices, (i) => i.contingentWorker !== undefined),
    creditMemos: memos.length,
    creditMemosIncreasingLiability: count(memos, (m) => m.increaseLiability),
    draftCreditMemos: count(memos, (m) => m.status.id === 'DRAFT'),
    cancelledCreditMemos: count(memos, (m) => m.status.id === 'CANCELED'),
  };
}
