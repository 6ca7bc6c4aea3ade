import { beforeEach, describe, expect, it } from 'vitest';
import { compareWithProcore, type Oracle } from '../../../sandbox/seed';
import { applyOracle, type LoadedFirm, loadFirm } from './helpers';

describe('compareWithProcore()', () => {
  let loaded: LoadedFirm;
  let oracle: Oracle;

  beforeEach(() => {
    loaded = loadFirm('small');
    oracle = loaded.firm.oracle();
  });

  const state = () => loaded.procore.state;

  it('finds nothing to report after a perfect sync, and everything missing before any', () => {
    const before = compareWithProcore(oracle, state());
    applyOracle(oracle, state());

    expect(compareWithProcore(oracle, state())).toEqual([]);
    expect(before.filter((d) => d.kind === 'missing' && d.resource === 'directCost')).toHaveLength(
      oracle.directCosts.length,
    );
  });

  it('compares amounts as decimals: 250.0 equals 250.00, 250.01 does not', () => {
    applyOracle(oracle, state());
    const [line] = state().commitmentLineItems(
      state()
        .commitments()
        .find((c) => c.origin_id !== null)?.id ?? 0,
    );
    if (!line) throw new Error('no line');
    const want = line.amount;

    line.amount = `${want}0`;
    expect(compareWithProcore(oracle, state())).toEqual([]);
    line.amount = '250.01';
    expect(compareWithProcore(oracle, state())).toEqual([
      {
        kind: 'different',
        resource: 'commitmentLine',
        originId: line.origin_id,
        field: 'amount',
        expected: want,
        actual: '250.01',
      },
    ]);
  });

  it('reports a missing direct cost line, an extra vendor and a duplicated commitment', () => {
    applyOracle(oracle, state());
    const [cost] = state().directCosts();
    const [costLine] = state().directCostLineItems(cost?.id ?? 0);
    const commitment = state()
      .commitments()
      .find((c) => c.origin_id !== null);
    if (!costLine || !commitment?.origin_id) throw new Error('nothing applied');
    state().db.directCostLineItems.delete(costLine.id);
    state().addVendor({ name: 'Ghost Supplier', origin_id: 'f'.repeat(32) });
    state().addCommitment(commitment.project_id, { origin_id: commitment.origin_id, number: `${commitment.number}-B` });

    const found = compareWithProcore(oracle, state());

    expect(found).toContainEqual({ kind: 'missing', resource: 'directCostLine', originId: costLine.origin_id });
    expect(found).toContainEqual({ kind: 'extra', resource: 'vendor', originId: 'f'.repeat(32) });
    expect(found).toContainEqual({
      kind: 'duplicate',
      resource: 'commitment',
      originId: commitment.origin_id,
      actual: '2',
    });
  });

  it('reports a wrong field, a wrong budget code, a missing directory entry and an overwritten foreign vendor', () => {
    applyOracle(oracle, state());
    const vendor = state()
      .vendors()
      .find(
        (v) =>
          v.origin_id !== null && oracle.vendors.some((o) => o.originId === v.origin_id && o.projectIds.length > 0),
      );
    const foreign = state()
      .vendors()
      .find((v) => v.origin_id?.startsWith('vista:'));
    const cost = state().directCosts()[0];
    const costLine = state().directCostLineItems(cost?.id ?? 0)[0];
    const otherCode = state()
      .budgetCodes(cost?.project_id ?? 0)
      .find((b) => b.id !== costLine?.wbs_code_id);
    if (!vendor?.origin_id || !foreign || !costLine || !otherCode || !cost?.origin_id)
      throw new Error('nothing applied');
    const projectId = oracle.vendors.find((o) => o.originId === vendor.origin_id)?.projectIds[0];
    vendor.is_active = !vendor.is_active;
    state().db.projectVendors.delete(`${projectId}:${vendor.id}`);
    foreign.origin_id = 'overwritten';
    costLine.wbs_code_id = otherCode.id;
    cost.invoice_number = 'WRONG';

    const found = compareWithProcore(oracle, state()).map((d) => `${d.kind} ${d.resource} ${d.field ?? ''}`);

    expect(found).toEqual(
      expect.arrayContaining([
        'different vendor is_active',
        'missing projectVendor project',
        'different vendor origin_id',
        'extra vendor ',
        'different directCostLine budgetCode',
        'different directCost invoice_number',
      ]),
    );
  });

  it('checks requisition items and change order lines', () => {
    applyOracle(oracle, state());
    const requisition = state().requisitions()[0];
    const item = state()
      .requisitionItems(requisition?.id ?? 0)
      .find((i) => i.work_completed_this_period !== '0.00');
    if (!item || !requisition?.origin_id) throw new Error('no requisition');
    item.work_completed_this_period = '1.00';

    const found = compareWithProcore(oracle, state());

    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'different',
      resource: 'requisition',
      originId: requisition.origin_id,
      actual: '1.00',
    });
  });

  it('accepts a vendor name over 255 characters cut at a word with an ellipsis', () => {
    applyOracle(oracle, state());
    const long = state()
      .vendors()
      .find((v) => v.name.endsWith('…'));
    if (!long) throw new Error('no long name');

    expect(compareWithProcore(oracle, state())).toEqual([]);
    long.name = long.name.slice(0, 200);
    expect(compareWithProcore(oracle, state())).toMatchObject([
      { kind: 'different', resource: 'vendor', field: 'name' },
    ]);
  });

  it('checks change orders after the scenario', () => {
    loaded.firm.scenario.afterFirstSync(loaded.workday, loaded.procore);
    const after = loaded.firm.oracle();
    applyOracle(after, state());
    const [co] = state().changeOrders();
    const [coLine] = state().changeOrderLineItems(co?.id ?? 0);
    if (!coLine || !co) throw new Error('no change order');

    expect(compareWithProcore(after, state())).toEqual([]);
    coLine.amount = '0.01';
    expect(compareWithProcore(after, state())).toMatchObject([
      { kind: 'different', resource: 'changeOrder', originId: co.number, field: 'lines' },
    ]);
    co.status = 'draft';
    expect(compareWithProcore(after, state())).toContainEqual(
      expect.objectContaining({ kind: 'different', resource: 'changeOrder', field: 'status', actual: 'draft' }),
    );
  });
});
