import { afterEach, describe, expect, it } from 'vitest';
import type { ProcoreClient } from '../../../lambdas/procore';
import { type Harness, seedCommitment, seedCompany, startHarness } from './harness';

type Method = Exclude<keyof ProcoreClient, 'stats'>;

describe('every request the Procore client builds', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('is one the strict simulator takes: a published operation, wrapper, fields and query parameters', async () => {
    h = await startHarness({ sim: { switches: { multicurrency: true } } });
    const seed = seedCompany(h.sim);
    const { commitment, lines, period } = seedCommitment(h.sim, seed);
    const [pour] = lines;
    if (pour === undefined) throw new Error('the commitment has no line');
    const project = seed.project.id;
    const client = h.client;
    let changeOrderId = 0;
    let draftId = 0;
    // Typed as a record of every method: a method added to the client without a call here fails the type-check.
    const calls: Record<Method, () => Promise<unknown> | unknown> = {
      clearCaches: () => client.clearCaches(),
      companies: () => client.companies(),
      projects: () => client.projects(),
      project: () => client.project(project),
      projectCurrency: () => client.projectCurrency(project),
      vendors: () => client.vendors(),
      findVendorByOrigin: () => client.findVendorByOrigin('WD-SUP-1'),
      refreshVendors: () => client.refreshVendors(),
      syncVendors: () =>
        client.syncVendors([
          {
            origin_id: 'WD-SUP-2',
            origin_code: 'S-0002',
            origin_data: '{}',
            name: 'Bolt Electric',
            is_active: true,
            business_register_attributes: { type: 'EIN', identifier: '12-3456789' },
          },
        ]),
      projectVendorIds: () => client.projectVendorIds(project),
      addVendorToProject: () => client.addVendorToProject(project, seed.vendor.id),
      budgetCodes: () => client.budgetCodes(project),
      forgetBudgetCodes: () => client.forgetBudgetCodes(project),
      findCommitment: () => client.findCommitment(project, 'WD-PO-1'),
      commitments: () => client.commitments(project),
      commitment: () => client.commitment(project, commitment.id),
      commitmentCurrency: () => client.commitmentCurrency(project, commitment.id),
      syncCommitments: () =>
        client.syncCommitments(project, [
          {
            origin_id: 'WD-PO-2',
            number: 'PO-2',
            vendor_id: seed.vendor.id,
            title: 'PO-2 — Acme Concrete',
            accounting_method: 'amount',
            origin_code: 'PO-2',
            status: 'Draft',
          },
        ]),
      setCommitmentCurrency: async () => {
        const draft = await client.findCommitment(project, 'WD-PO-2');
        draftId = draft?.id ?? 0;
        return client.setCommitmentCurrency(project, draftId, 'EUR');
      },
      syncCommitmentLines: () =>
        client.syncCommitmentLines(project, draftId, [
          { origin_id: 'WD-PO-2:L1', amount: '10.00', description: 'Rebar', wbs_code_id: seed.concrete.id },
        ]),
      deleteCommitmentLine: async () => {
        const [line] = h.sim.state.commitmentLineItems(draftId);
        return client.deleteCommitmentLine(project, draftId, line?.id ?? 0);
      },
      createChangeOrder: async () => {
        const created = await client.createChangeOrder(project, {
          contract_id: commitment.id,
          number: 'WD-PO-1:co:1',
          title: 'PO-1 change 1 from Workday',
          status: 'draft',
        });
        changeOrderId = created.id;
        return created;
      },
      addChangeOrderLine: () =>
        client.addChangeOrderLine(project, changeOrderId, {
          wbs_code_id: String(seed.concrete.id),
          commitment_line_item_id: String(pour.id),
          amount: '25.00',
          description: '[Workday line POL-1] Pour',
        }),
      changeOrderLines: () => client.changeOrderLines(project, changeOrderId),
      updateChangeOrder: () => client.updateChangeOrder(project, changeOrderId, { status: 'approved' }),
      changeOrders: () => client.changeOrders(project, commitment.id),
      openBillingPeriod: () => client.openBillingPeriod(project),
      createRequisition: () =>
        client.createRequisition(project, commitment.id, {
          period_id: period.id,
          origin_id: 'WD-INV-1:WD-PO-1:P',
          invoice_number: 'INV-1',
          billing_date: '2026-05-31',
          requisition_start: '2026-05-01',
          requisition_end: '2026-05-31',
          status: 'draft',
          items: [{ item_type: 'contract_item', line_item_id: pour.id, work_completed_this_period: '100.00' }],
        }),
      findRequisition: () => client.findRequisition(project, 'WD-INV-1:WD-PO-1:P'),
      requisitions: () => client.requisitions(project, commitment.id),
      syncDirectCosts: () =>
        client.syncDirectCosts(project, [
          {
            origin_id: 'WD-INV-2:P',
            direct_cost_type: 'invoice',
            vendor_id: seed.vendor.id,
            invoice_number: 'INV-2',
            status: 'pending',
            direct_cost_date: '2026-05-20',
            currency_iso_code: 'EUR',
          },
        ]),
      syncDirectCostLines: async () => {
        const [cost] = h.sim.state.directCosts(project);
        return client.syncDirectCostLines(project, [
          {
            origin_id: 'WD-INV-2:L1',
            direct_cost_id: cost?.id ?? 0,
            amount: '12.34',
            description: 'Fuel',
            wbs_code_id: seed.concrete.id,
          },
        ]);
      },
      directCosts: () => client.directCosts(project),
    };

    const refused: string[] = [];
    for (const [name, call] of Object.entries(calls)) {
      const before = h.sim.calls.clientErrors;
      try {
        await call();
      } catch (error) {
        refused.push(`${name}: ${String(error)}`);
        continue;
      }
      if (h.sim.calls.clientErrors > before) refused.push(`${name}: answered 4xx`);
    }

    expect(refused).toEqual([]);
    expect(h.sim.calls.byStatus[400]).toBeUndefined();
    expect(h.sim.state.changeOrders(project)).toHaveLength(1);
    expect(h.sim.state.directCosts(project)).toHaveLength(1);
  });
});
