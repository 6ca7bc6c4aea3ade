import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalQueue, type LocalQueue } from '../../lambdas/adapters/local/queue';
import { createLocalAuditLog, createLocalLedger } from '../../lambdas/adapters/local/stores';
import { createLocalTaxIdSealer } from '../../lambdas/adapters/local/tax-ids';
import { parseCustomerConfig } from '../../lambdas/config/loader';
import type {
  CommitmentCommand,
  DirectCostCommand,
  RequisitionCommand,
  VendorCommand,
} from '../../lambdas/mapping/commands';
import { normalizeVendorName } from '../../lambdas/mapping/vendor';
import { processBatch, toSqsEvent } from '../../lambdas/pipeline/batch';
import { prepareWrites, type WriteDeps, writeBatch, writeMessage } from '../../lambdas/pipeline/write';
import { projectCurrencyOf } from '../../lambdas/pipeline/write-currency';
import type { WriteMessage } from '../../lambdas/pipeline/write-message';
import type { SyncLedger } from '../../lambdas/ports';
import { ProcoreError } from '../../lambdas/shared/errors';
import { stableHash } from '../../lambdas/shared/hash';
import { sum, toAmount } from '../../lambdas/shared/money';
import { FaultPlan } from '../../sandbox/faults';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type Harness,
  type Seed,
  seedCommitment,
  seedCompany,
  startHarness,
} from '../integration/procore/harness';
import { buildConfigInput } from './config/build-config';

const DC_SYNC = ['PATCH', '/rest/v1.0/projects/{project_id}/direct_costs/sync'] as const;
const DC_LINE_SYNC = ['PATCH', '/rest/v1.0/projects/{project_id}/direct_costs/line_items/sync'] as const;
const DC_CREATE = ['POST', '/rest/v1.1/projects/{project_id}/direct_costs'] as const;
const PO_SYNC = ['PATCH', '/rest/v1.0/purchase_order_contracts/sync'] as const;
const PO_LINE_SYNC = [
  'PATCH',
  '/rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items/sync',
] as const;
const VENDOR_LIST = ['GET', '/rest/v1.0/vendors'] as const;
const TOKEN = ['POST', '/oauth/token'] as const;

const CONCRETE = { costCode: '03-300', costType: 'M' };
const LABOR = { costCode: '03-310', costType: 'L' };

interface Rig {
  h: Harness;
  seed: Seed;
  faults: FaultPlan;
  ledger: SyncLedger;
  writes: LocalQueue;
  deps: WriteDeps;
  /** Delivers `messages` as one batch through the writer, as the local runner and the Lambda do. */
  batch(messages: readonly WriteMessage[]): Promise<void>;
  /** An hour later: delivers whatever the queue holds again (retries, parked records) as one batch. */
  redeliver(): Promise<void>;
  status(key: string): Promise<string | undefined>;
}

async function startRig(ledgerOverride?: (ledger: SyncLedger) => SyncLedger): Promise<Rig> {
  const faults = new FaultPlan();
  const h = await startHarness({ sim: { faults } });
  const seed = seedCompany(h.sim);
  const local = createLocalLedger(h.db);
  const ledger = ledgerOverride ? ledgerOverride(local) : local;
  const writes = createLocalQueue(h.db, 'writes', 5, h.clock.now);
  const records = createLocalQueue(h.db, 'records', 5, h.clock.now);
  const deps: WriteDeps = {
    config: parseCustomerConfig(buildConfigInput(), 'test'),
    ledger,
    audit: createLocalAuditLog(h.db),
    logger: h.logger,
    now: h.clock.now,
    procore: h.client,
    writes,
    records,
    taxIds: createLocalTaxIdSealer(randomBytes(32)),
  };
  const redeliver = async () => {
    h.clock.advance(60 * 60_000);
    const deliveries = await writes.receive(100, 60);
    const prepared = await prepareWrites(deps, deliveries);
    for (const delivery of deliveries) {
      if (!(await writeMessage(deps, delivery, prepared))) await writes.delete(delivery.id);
    }
  };
  return {
    h,
    seed,
    faults,
    ledger,
    writes,
    deps,
    async batch(messages) {
      await writes.send(messages.map((m) => JSON.stringify(m)));
      await redeliver();
    },
    redeliver,
    status: async (key) => (await ledger.get(key))?.status,
  };
}

function message(key: string, commands: WriteMessage['commands']): WriteMessage {
  return {
    v: 1,
    runId: 'run-1',
    key,
    rawHash: `raw:${key}`,
    mappingVersion: 'm1',
    mappedHash: `mapped:${key}`,
    commands,
  };
}

function invoice(
  seed: Seed,
  n: number,
  lines: readonly { amount: string; code?: typeof CONCRETE }[],
  projectId = seed.project.id,
): WriteMessage {
  const command: DirectCostCommand = {
    resource: 'directCost',
    originId: `WD-INV-${n}:${projectId}`,
    procoreProjectId: projectId,
    vendorOriginId: 'WD-SUP-1',
    invoiceNumber: `INV-${n}`,
    directCostDate: '2026-05-20',
    currency: 'USD',
    lines: lines.map((line, i) => ({
      originId: `WD-INV-${n}:L${i + 1}`,
      amount: line.amount,
      description: `Line ${i + 1}`,
      budgetCode: line.code ?? CONCRETE,
      rule: 'test',
    })),
  };
  return message(`invoice:WD-INV-${n}`, [command]);
}

function purchaseOrder(seed: Seed, n: number, status: CommitmentCommand['header']['status'] = 'Approved') {
  const command: CommitmentCommand = {
    resource: 'commitment',
    originId: `WD-PO-${n}:${seed.project.id}`,
    procoreProjectId: seed.project.id,
    vendorOriginId: 'WD-SUP-1',
    number: `PO-${n}`,
    currency: 'USD',
    header: { title: `PO ${n}`, status, origin_code: `PO-${n}`, accounting_method: 'amount' },
    lines: [
      { originId: `WD-PO-${n}:1`, amount: '1000.10', description: 'Pour', budgetCode: CONCRETE, rule: 'test' },
      { originId: `WD-PO-${n}:2`, amount: '250.05', description: 'Forms', budgetCode: LABOR, rule: 'test' },
    ],
  };
  return message(`po:WD-PO-${n}`, [command]);
}

function supplier(wid: string, name: string): WriteMessage {
  const command: VendorCommand = {
    resource: 'vendor',
    originId: wid,
    payload: { name, origin_id: wid, origin_data: 'test', is_active: true },
    match: { normalizedName: normalizeVendorName(name) },
  };
  return message(`supplier:${wid}`, [command]);
}

describe('writer: direct costs in batches', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await rig.h.close();
  });

  it('writes every direct cost of a project with one header sync and one line-item sync, amounts exact', async () => {
    const { h, seed } = rig;
    const messages = [
      invoice(seed, 1, [{ amount: '100.10' }, { amount: '0.20', code: LABOR }]),
      invoice(seed, 2, [{ amount: '12345678.99' }]),
      // A credit memo: negative amounts, exactly as Workday sent them.
      invoice(seed, 3, [{ amount: '-40.05' }, { amount: '-0.01', code: LABOR }]),
    ];

    await rig.batch(messages);

    expect([
      h.sim.calls.count(...DC_SYNC),
      h.sim.calls.count(...DC_LINE_SYNC),
      h.sim.calls.count(...DC_CREATE),
    ]).toEqual([1, 1, 0]);
    const stored = h.sim.state.directCosts(seed.project.id);
    expect(stored.map((d) => d.origin_id)).toEqual(messages.map((m) => m.commands[0]?.originId));
    const totals = stored.map((d) => toAmount(sum(h.sim.state.directCostLineItems(d.id).map((l) => l.amount))));
    expect(totals).toEqual(['100.30', '12345678.99', '-40.06']);
    for (const m of messages) expect(await rig.status(m.key)).toBe('written');
    const ids = (await rig.ledger.get('invoice:WD-INV-3'))?.procoreIds;
    expect(ids?.['WD-INV-3:L2']).toBe(h.sim.state.directCostLineItems(stored[2]?.id ?? 0)[1]?.id);
    expect(h.sim.calls.clientErrors).toBe(0);
  });

  it('splits lines into calls of at most 1000 items without splitting a direct cost across calls', async () => {
    const { h, seed } = rig;
    const lines = Array.from({ length: 300 }, (_, i) => ({ amount: `${i}.01` }));
    const messages = [1, 2, 3, 4].map((n) => invoice(seed, n, lines));

    await rig.batch(messages);

    expect([h.sim.calls.count(...DC_SYNC), h.sim.calls.count(...DC_LINE_SYNC)]).toEqual([1, 2]);
    for (const d of h.sim.state.directCosts(seed.project.id)) {
      expect(h.sim.state.directCostLineItems(d.id)).toHaveLength(300);
    }
    for (const m of messages) expect(await rig.status(m.key)).toBe('written');
  });

  it('creates a direct cost only once when the answer to its header sync was lost', async () => {
    const { h, seed } = rig;
    rig.faults.force({ type: 'lostResponse' });

    await rig.batch([invoice(seed, 1, [{ amount: '10.00' }]), invoice(seed, 2, [{ amount: '20.00' }])]);

    // The sync was applied, its answer dropped, and sent again: matched by origin_id, nothing doubled.
    expect(h.sim.calls.count(...DC_SYNC)).toBe(2);
    expect(h.sim.state.directCosts(seed.project.id).map((d) => d.origin_id)).toEqual([
      `WD-INV-1:${seed.project.id}`,
      `WD-INV-2:${seed.project.id}`,
    ]);
    expect([...h.sim.state.db.directCostLineItems.values()]).toHaveLength(2);
    expect(await rig.status('invoice:WD-INV-1')).toBe('written');
    expect(await rig.status('invoice:WD-INV-2')).toBe('written');
  });

  it('adopts a direct cost written before a crash that the ledger never heard of, without a second one', async () => {
    const { h, seed } = rig;
    const first = invoice(seed, 1, [{ amount: '10.00' }, { amount: '5.00', code: LABOR }]);
    await rig.batch([first]);
    // The ledger forgets it, as after a crash between the Procore write and the ledger write.
    const entry = await rig.ledger.get(first.key);
    if (!entry) throw new Error('not in the ledger');
    await rig.ledger.put({ ...entry, procoreIds: {}, status: 'pending', state: { written: {}, commitments: {} } });
    h.db.prepare("DELETE FROM procore_ids WHERE origin_id LIKE 'WD-INV-1:%'").run();

    await rig.batch([{ ...first, runId: 'run-2' }]);

    expect(h.sim.state.directCosts(seed.project.id)).toHaveLength(1);
    expect([...h.sim.state.db.directCostLineItems.values()].map((l) => l.amount)).toEqual(['10.00', '5.00']);
    expect(await rig.status(first.key)).toBe('written');
  });

  it('quarantines only the record whose line Procore refuses in the line-item sync', async () => {
    const { h, seed } = rig;
    // The budget code is read (and indexed) first, then made inactive in Procore: only its line is refused.
    await h.client.budgetCodes(seed.project.id);
    seed.labor.status = 'inactive';

    await rig.batch([
      invoice(seed, 1, [{ amount: '10.00' }]),
      invoice(seed, 2, [{ amount: '20.00' }, { amount: '2.00', code: LABOR }]),
      invoice(seed, 3, [{ amount: '30.00' }]),
    ]);

    expect(h.sim.calls.count(...DC_LINE_SYNC)).toBe(1);
    expect(await rig.status('invoice:WD-INV-1')).toBe('written');
    expect(await rig.status('invoice:WD-INV-3')).toBe('written');
    const refused = await rig.ledger.get('invoice:WD-INV-2');
    expect(refused?.status).toBe('quarantined');
    expect(refused?.reason).toMatch(/INV-2.*WD-INV-2:L2.*wbs_code_id: is inactive/);
  });

  it('quarantines only the record whose header Procore refuses, and writes no lines for it', async () => {
    const { h, seed } = rig;
    // Another project already holds the origin_id (unique per company): a permanent refusal of that item.
    const other = h.sim.state.addProject({ name: 'Elsewhere', project_number: 'P-200' });
    const id = h.sim.state.nextId();
    h.sim.state.db.directCosts.set(id, { ...emptyDirectCost(other.id), id, origin_id: `WD-INV-2:${seed.project.id}` });

    await rig.batch([invoice(seed, 1, [{ amount: '10.00' }]), invoice(seed, 2, [{ amount: '20.00' }])]);

    expect(await rig.status('invoice:WD-INV-1')).toBe('written');
    const refused = await rig.ledger.get('invoice:WD-INV-2');
    expect(refused?.status).toBe('quarantined');
    expect(refused?.reason).toMatch(/origin_id: has already been taken/);
    expect([...h.sim.state.db.directCostLineItems.values()].map((l) => l.amount)).toEqual(['10.00']);
  });

  it('retries the sync Procore answers 409 (a concurrent write to a direct cost) and writes the change', async () => {
    const { h, seed } = rig;
    await rig.batch([invoice(seed, 1, [{ amount: '10.00' }])]);
    const [stored] = h.sim.state.directCosts(seed.project.id);
    if (!stored) throw new Error('not written');
    h.sim.forceConflict(stored.id);

    const changed = invoice(seed, 1, [{ amount: '11.00' }]);
    await rig.batch([{ ...changed, rawHash: 'raw:changed', mappedHash: 'mapped:changed' }]);

    expect(h.sim.calls.byStatus[409]).toBe(1);
    expect(h.sim.state.directCostLineItems(stored.id).map((l) => l.amount)).toEqual(['11.00']);
    expect(await rig.status('invoice:WD-INV-1')).toBe('written');
  });

  it('parks only the record whose header Procore refuses for a vendor that is not there', async () => {
    const { seed } = rig;
    await rig.ledger.setProcoreIds({ 'WD-SUP-GONE': 999_999 });
    const waiting = invoice(seed, 2, [{ amount: '20.00' }]);
    const command = waiting.commands[0];
    if (command?.resource !== 'directCost') throw new Error('not a direct cost');
    command.vendorOriginId = 'WD-SUP-GONE';

    await rig.batch([invoice(seed, 1, [{ amount: '10.00' }]), waiting]);

    expect(await rig.status('invoice:WD-INV-1')).toBe('written');
    expect((await rig.ledger.get('invoice:WD-INV-2'))?.reason).toMatch(/vendor_id: does not exist/);
    expect((await rig.writes.backlog()).parked).toBe(1);
  });

  it('retries every record of a sync call that keeps failing, and writes them all once it succeeds', async () => {
    const { h, seed } = rig;
    // Reads out of the way first, so that every attempt of the header sync meets a 503.
    await h.client.budgetCodes(seed.project.id);
    await h.client.projectCurrency(seed.project.id);
    await rig.ledger.setProcoreIds({ 'WD-SUP-1': seed.vendor.id });
    rig.faults.force({ type: 'serverError', status: 503 }, 5);
    const messages = [invoice(seed, 1, [{ amount: '10.00' }]), invoice(seed, 2, [{ amount: '20.00' }])];

    await rig.batch(messages);
    const retried = h.logger.entries.filter((e) => e.message === 'record will be retried');
    expect(retried.map((e) => e.key)).toEqual(messages.map((m) => m.key));
    expect(String(retried[0]?.reason)).toMatch(/failed after 5 attempts/);
    expect(h.sim.state.directCosts(seed.project.id)).toEqual([]);

    await rig.redeliver();
    for (const m of messages) expect(await rig.status(m.key)).toBe('written');
    expect(h.sim.state.directCosts(seed.project.id)).toHaveLength(2);
  });

  it('writes the newest version last when one batch holds two versions of a record', async () => {
    const { h, seed } = rig;
    const older = invoice(seed, 1, [{ amount: '10.00' }]);
    const newer = { ...invoice(seed, 1, [{ amount: '11.00' }]), rawHash: 'raw:newer', mappedHash: 'mapped:newer' };

    await rig.batch([older, newer, invoice(seed, 2, [{ amount: '20.00' }])]);

    const amounts = h.sim.state
      .directCosts(seed.project.id)
      .map((d) => [d.origin_id, h.sim.state.directCostLineItems(d.id).map((l) => l.amount)]);
    expect(Object.fromEntries(amounts)).toEqual({
      [`WD-INV-1:${seed.project.id}`]: ['11.00'],
      [`WD-INV-2:${seed.project.id}`]: ['20.00'],
    });
    expect((await rig.ledger.get(older.key))?.mappedHash).toBe('mapped:newer');
  });

  it('parks a direct cost whose vendor is not in Procore yet, and writes the others', async () => {
    const { seed } = rig;
    const waiting = invoice(seed, 2, [{ amount: '20.00' }]);
    const command = waiting.commands[0];
    if (command?.resource !== 'directCost') throw new Error('not a direct cost');
    command.vendorOriginId = 'WD-SUP-UNKNOWN';

    await rig.batch([invoice(seed, 1, [{ amount: '10.00' }]), waiting]);

    expect(await rig.status('invoice:WD-INV-1')).toBe('written');
    expect((await rig.ledger.get('invoice:WD-INV-2'))?.reason).toMatch(/waiting for supplier WD-SUP-UNKNOWN/);
    expect((await rig.writes.backlog()).parked).toBe(1);
  });
});

describe('writer: budget codes across runs', () => {
  let rig: Rig;
  const WBS = ['GET', '/rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes'] as const;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await rig.h.close();
  });

  it('reuses the codes an earlier run read, and reads again when a line names a code added since', async () => {
    const { h, seed } = rig;
    await rig.batch([invoice(seed, 1, [{ amount: '1.00' }])]);
    h.client.clearCaches();
    const steel = h.sim.state.addCostCode(seed.project.id, { code: '05', name: 'Metals' });
    const materials = [...h.sim.state.db.costTypes.values()].find((t) => t.code === 'M');
    h.sim.state.addBudgetCode(seed.project.id, steel.id, materials?.id ?? 0);

    await rig.batch([invoice(seed, 2, [{ amount: '2.00', code: LABOR }])]);
    expect(h.sim.calls.count(...WBS)).toBe(1);

    await rig.batch([invoice(seed, 3, [{ amount: '3.00', code: { costCode: '05', costType: 'M' } }])]);
    expect(h.sim.calls.count(...WBS)).toBe(2);
    for (const n of [1, 2, 3]) expect(await rig.status(`invoice:WD-INV-${n}`)).toBe('written');
  });

  it('retries on a fresh read a line whose code, read in an earlier run, Procore now refuses', async () => {
    const { h, seed } = rig;
    await rig.batch([invoice(seed, 1, [{ amount: '1.00', code: LABOR }])]);
    h.client.clearCaches();
    seed.labor.status = 'inactive';

    await rig.batch([invoice(seed, 2, [{ amount: '2.00', code: LABOR }])]);
    const retrying = await rig.ledger.get('invoice:WD-INV-2');
    expect(retrying?.status).not.toBe('quarantined');

    await rig.redeliver();
    const refused = await rig.ledger.get('invoice:WD-INV-2');
    expect(refused?.status).toBe('quarantined');
    expect(refused?.reason).toMatch(/budget code 03-310 × L does not exist in Procore project/);
    expect(h.sim.calls.count(...WBS)).toBe(2);
  });
});

describe('writer: purchase order contracts in batches', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await rig.h.close();
  });

  it('syncs the headers of a project once, each contract’s lines, then the approvals once', async () => {
    const { h, seed } = rig;
    const messages = [purchaseOrder(seed, 1), purchaseOrder(seed, 2), purchaseOrder(seed, 3, 'Draft')];

    await rig.batch(messages);

    expect([h.sim.calls.count(...PO_SYNC), h.sim.calls.count(...PO_LINE_SYNC)]).toEqual([2, 3]);
    const contracts = h.sim.state.commitments(seed.project.id).filter((c) => c.origin_id?.startsWith('WD-PO-'));
    expect(contracts.map((c) => [c.origin_id, c.status])).toEqual([
      [`WD-PO-1:${seed.project.id}`, 'Approved'],
      [`WD-PO-2:${seed.project.id}`, 'Approved'],
      [`WD-PO-3:${seed.project.id}`, 'Draft'],
    ]);
    for (const m of messages) expect(await rig.status(m.key)).toBe('written');
    const progress = (await rig.ledger.get('po:WD-PO-1'))?.state as { commitments: Record<string, unknown> };
    expect(Object.keys(progress.commitments)).toEqual([`WD-PO-1:${seed.project.id}`]);
  });

  it('quarantines only the contract whose header Procore refuses', async () => {
    const { h, seed } = rig;
    // Another project already holds the origin_id (unique per company): a permanent refusal of that item.
    const other = h.sim.state.addProject({ name: 'Elsewhere', project_number: 'P-200' });
    h.sim.state.addCommitment(other.id, {
      vendor_id: seed.vendor.id,
      title: 'Elsewhere',
      origin_id: `WD-PO-2:${seed.project.id}`,
      status: 'Draft',
      lines: [],
    });
    const bad = purchaseOrder(seed, 2);

    await rig.batch([purchaseOrder(seed, 1), bad, purchaseOrder(seed, 3)]);

    expect(await rig.status('po:WD-PO-1')).toBe('written');
    expect(await rig.status('po:WD-PO-3')).toBe('written');
    const refused = await rig.ledger.get('po:WD-PO-2');
    expect(refused?.status).toBe('quarantined');
    expect(refused?.reason).toMatch(/PO PO-2.*origin_id: has already been taken/);
    expect([h.sim.calls.count(...PO_SYNC), h.sim.calls.count(...PO_LINE_SYNC)]).toEqual([2, 2]);
  });
});

describe('writer: currency from Procore', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await rig.h.close();
  });

  function inCurrency(m: WriteMessage, currency: string): WriteMessage {
    return { ...m, commands: m.commands.map((c) => (c.resource === 'vendor' ? c : { ...c, currency })) };
  }

  it('quarantines a EUR purchase order for a USD project (no currency in the config), writing nothing for it', async () => {
    const { h, seed } = rig;
    // The project has no currency configuration of its own: it takes the company's USD.
    expect(rig.deps.config.mapping.projects.every((r) => r.currency === undefined)).toBe(true);

    await rig.batch([inCurrency(purchaseOrder(seed, 7), 'EUR'), purchaseOrder(seed, 8)]);

    const refused = await rig.ledger.get('po:WD-PO-7');
    expect(refused?.status).toBe('quarantined');
    expect(refused?.reason).toContain(
      `PO PO-7 in Procore project ${seed.project.id} is in EUR but Procore project ${seed.project.id} uses USD (the company's; it has no currency configuration of its own) without multicurrency`,
    );
    expect(refused?.reason).toContain('enable multicurrency on project');
    expect(await rig.status('po:WD-PO-8')).toBe('written');
    expect(h.sim.state.commitments(seed.project.id).map((c) => c.origin_id)).toEqual([`WD-PO-8:${seed.project.id}`]);
    // One read of each configuration per run, whatever the number of documents.
    expect(
      h.sim.calls.count('GET', '/rest/v1.0/companies/{company_id}/projects/{project_id}/currency_configuration'),
    ).toBe(1);
    expect(h.sim.calls.count('GET', '/rest/v1.0/companies/{company_id}/currency_configuration')).toBe(1);
  });

  it('quarantines a USD invoice for a project whose own configuration says CAD', async () => {
    const { h, seed } = rig;
    const project = h.sim.state.db.projects.get(seed.project.id);
    if (project === undefined) throw new Error('seeded project');
    Object.assign(project, { currency_iso_code: 'CAD', currency_configured: true });

    await rig.batch([invoice(seed, 1, [{ amount: '10.00' }])]);

    expect((await rig.ledger.get('invoice:WD-INV-1'))?.reason).toContain(
      `Invoice INV-1 in Procore project ${seed.project.id} is in USD but Procore project ${seed.project.id} uses CAD (its own currency configuration) without multicurrency`,
    );
    expect(h.sim.calls.count(...DC_SYNC)).toBe(0);
  });

  it('writes a direct cost in its own currency on a multicurrency project', async () => {
    const { h, seed } = rig;
    h.sim.switches.multicurrency = [seed.project.id];

    await rig.batch([
      inCurrency(invoice(seed, 1, [{ amount: '99.95' }]), 'EUR'),
      invoice(seed, 2, [{ amount: '1.00' }]),
    ]);

    expect(await rig.status('invoice:WD-INV-1')).toBe('written');
    expect(await rig.status('invoice:WD-INV-2')).toBe('written');
    const stored = h.sim.state.directCosts(seed.project.id);
    expect(stored.map((d) => [d.origin_id, d.currency_iso_code])).toEqual([
      [`WD-INV-1:${seed.project.id}`, 'EUR'],
      [`WD-INV-2:${seed.project.id}`, 'USD'],
    ]);
    expect(h.sim.state.directCostLineItems(stored[0]?.id ?? 0).map((l) => l.amount)).toEqual(['99.95']);
  });

  it('quarantines an invoice on a contract in another currency: a requisition has no currency of its own', async () => {
    const { h, seed } = rig;
    h.sim.switches.multicurrency = [seed.project.id];
    const { commitment, lines } = seedCommitment(h.sim, seed);
    await rig.ledger.setProcoreIds({ 'WD-PO-1': commitment.id, 'WD-POL-1': lines[0]?.id ?? 0 });
    const requisition: RequisitionCommand = {
      resource: 'requisition',
      originId: `WD-INV-9:WD-PO-1:${seed.project.id}`,
      procoreProjectId: seed.project.id,
      commitmentOriginId: 'WD-PO-1',
      vendorOriginId: 'WD-SUP-1',
      invoiceNumber: 'INV-9',
      currency: 'EUR',
      billingDate: '2026-05-20',
      items: [{ commitmentLineOriginId: 'WD-POL-1', amount: '10.00' }],
    };

    await rig.batch([message('invoice:WD-INV-9', [requisition])]);

    const refused = await rig.ledger.get('invoice:WD-INV-9');
    expect(refused?.status).toBe('quarantined');
    expect(refused?.reason).toContain(
      `Invoice INV-9 on commitment WD-PO-1 is in EUR but its purchase order contract ${commitment.id} in Procore project ${seed.project.id} is in USD`,
    );
    expect(refused?.reason).toContain('set invoices.poBacked to "directCost"');
    expect(h.sim.state.requisitions(seed.project.id)).toEqual([]);

    // A contract in the invoice's currency takes it.
    commitment.currency_iso_code = 'EUR';
    await rig.batch([message('invoice:WD-INV-9', [requisition])]);
    expect(await rig.status('invoice:WD-INV-9')).toBe('written');
    expect(h.sim.state.requisitions(seed.project.id)).toHaveLength(1);
  });

  it('takes a requisition written before commands carried a currency as unchanged when it maps again', async () => {
    const { h, seed } = rig;
    const { commitment, lines } = seedCommitment(h.sim, seed);
    await rig.ledger.setProcoreIds({ 'WD-PO-1': commitment.id, 'WD-POL-1': lines[0]?.id ?? 0 });
    const requisition: RequisitionCommand = {
      resource: 'requisition',
      originId: `WD-INV-8:WD-PO-1:${seed.project.id}`,
      procoreProjectId: seed.project.id,
      commitmentOriginId: 'WD-PO-1',
      vendorOriginId: 'WD-SUP-1',
      invoiceNumber: 'INV-8',
      currency: 'USD',
      billingDate: '2026-05-20',
      items: [{ commitmentLineOriginId: 'WD-POL-1', amount: '10.00' }],
    };
    await rig.batch([message('invoice:WD-INV-8', [requisition])]);
    // What an earlier version of the connector remembered: the hash of the command without its currency.
    const entry = await rig.ledger.get('invoice:WD-INV-8');
    if (entry === undefined) throw new Error('not written');
    const { currency: _, ...before } = requisition;
    const state = entry.state as { written: Record<string, string> };
    await rig.ledger.put({ ...entry, state: { ...state, written: { [requisition.originId]: stableHash(before) } } });

    await rig.batch([{ ...message('invoice:WD-INV-8', [requisition]), mappingVersion: 'm2' }]);

    expect(await rig.status('invoice:WD-INV-8')).not.toBe('quarantined');
    expect(h.sim.state.requisitions(seed.project.id)).toHaveLength(1);
  });

  it('uses mapping.projects[].currency only when Procore has no currency for the project or the company', () => {
    const none = { project_id: 5001, currency_iso_code: null, configured_on: null, multicurrency_enabled: false };
    const company = { ...none, currency_iso_code: 'USD', configured_on: 'company' as const };

    expect(projectCurrencyOf(none, undefined)).toBeUndefined();
    expect(projectCurrencyOf(none, 'CAD')).toMatchObject({
      currency: 'CAD',
      source: expect.stringContaining('mapping'),
    });
    expect(projectCurrencyOf(company, 'CAD')).toMatchObject({ currency: 'USD', multicurrency: false });
  });

  it("sets a contract's currency after its sync on a multicurrency project", async () => {
    const { h, seed } = rig;
    h.sim.switches.multicurrency = true;

    await rig.batch([inCurrency(purchaseOrder(seed, 1), 'EUR'), purchaseOrder(seed, 2)]);

    const contracts = h.sim.state.commitments(seed.project.id);
    expect(contracts.map((c) => [c.origin_id, c.currency_iso_code ?? 'USD', c.status])).toEqual([
      [`WD-PO-1:${seed.project.id}`, 'EUR', 'Approved'],
      [`WD-PO-2:${seed.project.id}`, 'USD', 'Approved'],
    ]);
    // Only the contract not in the project's currency needs the extra call.
    expect(h.sim.calls.count('PATCH', '/rest/v1.0/purchase_order_contracts/{id}')).toBe(1);
  });
});

describe('writer: vendors', () => {
  it('asks the ledger about each of its own vendors once per client, not in every batch', async () => {
    const asked: string[] = [];
    const rig = await startRig((ledger) => ({
      ...ledger,
      procoreId: (originId) => {
        asked.push(originId);
        return ledger.procoreId(originId);
      },
    }));
    try {
      await rig.batch([supplier('WD-SUP-A', 'Alpha Rebar'), supplier('WD-SUP-B', 'Beta Formwork')]);
      asked.length = 0;

      await rig.batch([supplier('WD-SUP-C', 'Gamma Pumps')]);

      // The new supplier itself, and the vendors whose origin is not known to be ours (the seeded one).
      expect(asked.sort()).toEqual(['WD-SUP-1', 'WD-SUP-C']);
      expect(await rig.status('supplier:WD-SUP-C')).toBe('written');
    } finally {
      await rig.h.close();
    }
  });

  it('opens a sealed EIN only into the vendor call; a seal that does not open fails its supplier alone', async () => {
    const rig = await startRig();
    const { h } = rig;
    const withEin = (wid: string, name: string, sealed: string): WriteMessage => {
      const m = supplier(wid, name);
      const [command] = m.commands as [VendorCommand];
      command.payload.business_register_attributes = { type: 'EIN', sealed };
      return m;
    };
    try {
      const sealed = await rig.deps.taxIds.seal('12-3456789');
      const foreign = await createLocalTaxIdSealer(randomBytes(32)).seal('98-7654321');

      await rig.batch([withEin('WD-SUP-E', 'Echo Electric', sealed), withEin('WD-SUP-F', 'Foxtrot Framing', foreign)]);

      const vendors = [...h.sim.state.db.vendors.values()];
      expect(vendors.find((v) => v.origin_id === 'WD-SUP-E')?.business_register).toMatchObject({
        type: 'ein',
        identifier: '12-3456789',
      });
      expect(await rig.status('supplier:WD-SUP-E')).toBe('written');
      expect(vendors.some((v) => v.origin_id === 'WD-SUP-F')).toBe(false);
      expect(await rig.status('supplier:WD-SUP-F')).not.toBe('written');
      // Back on the queue for a retry, the other supplier settled.
      const { inFlight, delayed } = await rig.writes.depth();
      expect(inFlight + delayed).toBe(1);
      const logged = JSON.stringify(h.logger.entries);
      expect(logged).toMatch(/does not open/);
      for (const value of ['12-3456789', '98-7654321']) expect(logged).not.toContain(value);
    } finally {
      await rig.h.close();
    }
  });

  it('links a vendor typed into Procore after the run read its vendors, instead of creating a duplicate', async () => {
    const rig = await startRig();
    const { h } = rig;
    try {
      await rig.batch([supplier('WD-SUP-A', 'Alpha Rebar')]);
      const typed = h.sim.state.addVendor({ name: 'Harbor Steel Works' });
      const reads = h.sim.calls.count(...VENDOR_LIST);

      await rig.batch([supplier('WD-SUP-H', 'Harbor Steel Works')]);

      expect(h.sim.calls.count(...VENDOR_LIST)).toBe(reads + 1);
      const named = [...h.sim.state.db.vendors.values()].filter((v) => v.name === 'Harbor Steel Works');
      expect(named.map((v) => [v.id, v.origin_id])).toEqual([[typed.id, 'WD-SUP-H']]);
      expect(await rig.ledger.procoreId('WD-SUP-H')).toBe(typed.id);
    } finally {
      await rig.h.close();
    }
  });
});

function emptyDirectCost(projectId: number) {
  return {
    id: 0,
    project_id: projectId,
    direct_cost_type: 'invoice' as const,
    vendor_id: null,
    employee_id: null,
    invoice_number: 'X-1',
    description: null,
    direct_cost_date: null,
    received_date: null,
    payment_date: null,
    status: 'draft' as const,
    terms: null,
    origin_id: null,
    origin_data: null,
    currency_iso_code: null,
    currency_exchange_rate: null,
    created_at: '2026-06-01T12:00:00Z',
    updated_at: '2026-06-01T12:00:00Z',
    deleted_at: null,
  };
}

describe('writer: refused Procore credentials', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await rig.h.close();
  });

  it('fails the batch as a whole and settles no record; the same batch is written once they are fixed', async () => {
    const { h, seed } = rig;
    await h.secrets.put('procore', { clientId: CLIENT_ID, clientSecret: 'not-the-client-secret' });
    const messages = [
      supplier('WD-SUP-9', 'Bay Rebar'),
      purchaseOrder(seed, 1),
      invoice(seed, 1, [{ amount: '10.00' }]),
    ];
    await rig.writes.send(messages.map((m) => JSON.stringify(m)));

    const error = await writeBatch(rig.deps, toSqsEvent(await rig.writes.receive(100, 60))).catch((e: unknown) => e);

    expect(error).toMatchObject({ failure: 'credentials', status: 401 });
    expect((error as Error).message).toMatch(/Procore refused the client credentials/);
    for (const m of messages) {
      expect(await rig.ledger.get(m.key)).toBeUndefined();
      expect(await rig.deps.audit.query({ key: m.key })).toEqual([]);
    }
    // One token request for the whole batch: refused credentials are not sent again per record.
    expect(h.sim.calls.count(...TOKEN)).toBe(1);
    expect(h.sim.calls.writes).toBe(0);

    await h.secrets.put('procore', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    h.clock.advance(61_000);
    const again = await rig.writes.receive(100, 60);
    const result = await writeBatch(rig.deps, toSqsEvent(again));

    expect(again).toHaveLength(messages.length);
    expect(result.batchItemFailures).toEqual([]);
    for (const m of messages) expect(await rig.status(m.key)).toBe('written');
  });

  it('processBatch: tries no record after one whose failure stops the run, and rethrows it', async () => {
    const messages = ['a', 'b', 'c'].map((id) => ({ id, receiptHandle: id, body: '{}', receiveCount: 1 }));
    const refused = new ProcoreError('Procore refused the client credentials', { status: 401, failure: 'credentials' });
    const tried: string[] = [];

    const error = await processBatch(toSqsEvent(messages), async (m) => {
      tried.push(m.id);
      if (m.id === 'b') throw refused;
      return false;
    }).catch((e: unknown) => e);

    expect(error).toBe(refused);
    expect(tried).toEqual(['a', 'b']);
    // Any other failure stays one record's: reported as a batch item failure, the rest of the batch goes on.
    const partial = await processBatch(toSqsEvent(messages), async (m) => {
      if (m.id === 'b') throw new ProcoreError('refused', { status: 422, failure: 'permanent' });
      return false;
    });
    expect(partial.batchItemFailures).toEqual([{ itemIdentifier: 'b' }]);
  });
});
