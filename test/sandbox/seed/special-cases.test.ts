import { beforeAll, describe, expect, it } from 'vitest';
import { parseCustomerConfig } from '../../../lambdas/config/loader';
import type { Oracle, Scale } from '../../../sandbox/seed';
import { countSpecialCases } from './cases';
import { type LoadedFirm, loadFirm, NOW } from './helpers';

describe.each<Scale>(['small', 'firm'])('the %s firm', (scale) => {
  let loaded: LoadedFirm;
  let oracle: Oracle;
  let cases: Record<string, number>;

  beforeAll(() => {
    loaded = loadFirm(scale);
    oracle = loaded.firm.oracle();
    cases = countSpecialCases(loaded, oracle);
  });

  it('has a valid customer config', () => {
    const config = parseCustomerConfig(loaded.firm.config, 'firm');

    expect(config.customerId).toBe('summit-builders-sandbox');
    expect(config.mapping.projects).toHaveLength(loaded.firm.layout.projects.length);
  });

  it('contains at least one of every special case', () => {
    const missing = Object.entries(cases).filter(([name, n]) => n === 0 && name !== 'posBilledMoreThanOnce');

    expect(missing).toEqual([]);
  });

  it('has exactly one CAD project, one unmapped-cost-center invoice, one Increase_Liability memo, no PO billed twice', () => {
    expect(cases).toMatchObject({
      cadProjectsNotMulticurrency: 1,
      invoicesWithUnmappedCostCenter: 1,
      creditMemosIncreasingLiability: 1,
      posBilledMoreThanOnce: 0,
      duplicateVendorQuarantines: 1,
      otherIntegrationQuarantines: 1,
      costTypesMapped: 5,
    });
  });

  it('quarantines what the brief says, for the reason it says', () => {
    const reasons = [...oracle.quarantineReasons.values()];

    expect(reasons.some((r) => r.includes('currency USD differs'))).toBe(true);
    expect(reasons.some((r) => r.includes('no project rule matches') && r.includes('CC-999'))).toBe(true);
    expect(oracle.quarantineReasons.size).toBe(4);
  });

  it('skips drafts and documents dated before syncFrom', () => {
    const skipped = [...oracle.expectedOutcomes].filter(([, o]) => o === 'skipped').map(([key]) => key);

    expect(skipped.filter((k) => k.startsWith('purchaseOrder:'))).toHaveLength(cases.posDraft ?? -1);
    expect(skipped.filter((k) => k.startsWith('invoice:'))).toHaveLength(
      (cases.draftInvoices ?? 0) + (cases.invoicesBeforeSyncFrom ?? 0) + (cases.contingentWorkerInvoices ?? 0),
    );
  });

  it('dates documents within the last 100 days (cut-over ones excepted) and enters them in the past', () => {
    const { today, syncFrom } = loaded.firm.layout;
    const oldest = new Date(Date.parse(`${today}T00:00:00Z`) - 100 * 86_400_000).toISOString().slice(0, 10);
    const { data } = loaded.firm;
    const dated = [
      ...[...data.purchaseOrders.all()].map((v) => ({ date: v.record.documentDate, at: v.enteredAt })),
      ...[...data.invoices.all()].map((v) => ({ date: v.record.invoiceDate, at: v.enteredAt })),
      ...[...data.adjustments.all()].map((v) => ({ date: v.record.adjustmentDate, at: v.enteredAt })),
    ];

    const outside = dated.filter((d) => d.date >= syncFrom && (d.date < oldest || d.date >= today));
    expect(outside).toEqual([]);
    expect(dated.every((d) => d.at < NOW)).toBe(true);
    expect([...data.suppliers.all()].every((v) => v.enteredAt < NOW)).toBe(true);
  });

  it('seeds Procore with one open billing period per project and a budget code for every line the oracle expects', () => {
    const { state } = loaded.procore;
    const lines = [
      ...oracle.commitments.flatMap((c) => c.lines.map((l) => ({ ...l, projectId: c.procoreProjectId }))),
      ...oracle.directCosts.flatMap((d) => d.lines.map((l) => ({ ...l, projectId: d.procoreProjectId }))),
    ];

    for (const project of state.projects()) {
      expect(state.billingPeriods(project.id).filter((p) => p.status === 'open')).toHaveLength(1);
    }
    const missing = lines.filter(
      (l) => !state.budgetCodes(l.projectId).some((b) => b.flat_code === `${l.costCode}.${l.costType}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('the firm scale', () => {
  it('has 15 job sites, hundreds of suppliers and POs, thousands of invoices and ~25 hand-typed vendors', () => {
    const loaded = loadFirm('firm');
    const cases = countSpecialCases(loaded, loaded.firm.oracle());

    expect(cases.usdProjects).toBe(15);
    expect(cases.suppliers).toBeGreaterThanOrEqual(200);
    expect(cases.purchaseOrders).toBeGreaterThanOrEqual(300);
    expect(cases.invoices).toBeGreaterThanOrEqual(2000);
    expect(cases.handTypedVendorsWithoutOrigin).toBeGreaterThanOrEqual(25);
    expect(cases.invoicesWithoutPo).toBeGreaterThan((cases.invoices ?? 0) / 2);
  });
});
