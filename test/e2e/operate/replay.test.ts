import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../../cli/operate/status-read';
import { openLocalRuntime } from '../../../cli/runtime/local';
import { loadCustomerConfig } from '../../../lambdas/config/loader';
import { countByEntity } from '../../../lambdas/pipeline/summary';
import { silentLogger } from '../../../lambdas/shared/logger';
import { type CliSandbox, type SyncBody, startCliSandbox, syncSettled } from './cli-sandbox';

describe('ml-connector replay, against the sandbox', () => {
  let cli: CliSandbox;
  let invoiceKey: string;
  beforeAll(async () => {
    cli = await startCliSandbox();
    const sync = await syncSettled(cli);
    const unmapped = sync.body.problems.find((p) => p.reason.includes('CC-999'));
    if (unmapped === undefined) throw new Error('the small firm has no invoice on CC-999');
    invoiceKey = unmapped.key;
  });
  afterAll(async () => {
    await cli.close();
  });

  it('writes a quarantined invoice once its worktag is mapped: fix the config, then replay --status quarantined', async () => {
    const target = cli.sandbox.firm.layout.projects[0];
    if (target === undefined) throw new Error('no project');
    addEveryCostType(cli, target.procoreId, '22-100');
    const rules = cli.sandbox.firm.config.mapping.projects;
    const rule = { worktag: { type: 'Cost_Center_Reference_ID', id: 'CC-999' }, procoreProjectId: target.procoreId };
    await cli.reconfigure({ mapping: { projects: [...rules, rule] } });

    const { code, body } = await cli.json<SyncBody>(['replay', '--status', 'quarantined']);

    expect(body.replayed).toEqual(countByEntity(body.problems.map((p) => p.key).concat(invoiceKey)));
    expect(Object.values(body.replayed ?? {}).reduce((a, b) => a + b, 0)).toBe(4);
    expect(body.polled).toBeUndefined();
    expect(body.outcomes).toMatchObject({ written: 1, quarantined: 3 });
    expect(body.problems.map((p) => p.key)).not.toContain(invoiceKey);
    // The others are still quarantined (vendor conflicts, currency), so the run is not all right.
    expect(code).toBe(1);
    const wid = invoiceKey.split(':')[1];
    const written = cli.sandbox.procore.state
      .directCosts(target.procoreId)
      .find((d) => d.origin_id === `${wid}:${target.procoreId}`);
    expect(written).toBeDefined();
  });

  it('replays one record by key and exits 0 when it is right; unchanged output costs no Procore write', async () => {
    const writes = cli.sandbox.procore.calls.writes;

    const { code, body } = await cli.json<SyncBody>(['replay', '--key', invoiceKey]);

    expect(code).toBe(0);
    expect(body.replayed).toEqual({ suppliers: 0, purchaseOrders: 0, invoices: 1, creditMemos: 0 });
    expect(body.outcomes.unchanged).toBe(1);
    expect(cli.sandbox.procore.calls.writes).toBe(writes);
  });

  it('replays nothing when --since is after every outcome', async () => {
    const { code, body } = await cli.json<SyncBody>(['replay', '--status', 'quarantined', '--since', '2999-01-01']);

    expect(code).toBe(0);
    expect(body.replayed).toEqual({ suppliers: 0, purchaseOrders: 0, invoices: 0, creditMemos: 0 });
  });

  it('answers a key the audit trail does not know with bad usage (exit 2)', async () => {
    const { code, stdout, stderr } = await cli.run(['replay', '--key', `invoice:${'f'.repeat(32)}`]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`the audit trail has no record invoice:${'f'.repeat(32)}`);
  });

  it('replays dead-lettered records and removes their messages from the dead-letter queues', async () => {
    const key = await deadLetterOneSupplier(cli);
    expect((await cli.json<StatusReport>(['status'])).body.deadLetters).toBe(1);

    const { code, body } = await cli.json<SyncBody>(['replay', '--status', 'deadLettered']);

    expect(code).toBe(0);
    expect(body.replayed).toEqual({ suppliers: 1, purchaseOrders: 0, invoices: 0, creditMemos: 0 });
    expect(body.outcomes.unchanged).toBe(1);
    const status = await cli.json<StatusReport>(['status']);
    expect(status.body.deadLetters).toBe(0);
    expect(status.body.counts.deadLettered).toBe(0);
    const human = await cli.run(['replay', '--key', key]);
    expect(human.stdout).toMatch(/^Replayed: 1 suppliers, 0 purchaseOrders, 0 invoices, 0 creditMemos$/m);
  });
});

/** Budget codes for a cost code with every cost type, as a person would add them in Procore. */
function addEveryCostType(cli: CliSandbox, projectId: number, fullCode: string): void {
  const state = cli.sandbox.procore.state;
  const costCode = state.costCodes(projectId).find((c) => c.full_code === fullCode);
  if (costCode === undefined) throw new Error(`no cost code ${fullCode} in ${projectId}`);
  for (const type of state.costTypes()) state.addBudgetCode(projectId, costCode.id, type.id);
}

/** Puts a written supplier in the state a dead-lettered one is in: ledger, audit trail and a DLQ message. */
async function deadLetterOneSupplier(cli: CliSandbox): Promise<string> {
  const config = await loadCustomerConfig(cli.config);
  const rt = openLocalRuntime({ config, cwd: cli.dir, env: {}, logger: silentLogger });
  try {
    const [event] = (await rt.audit.latestByOutcome('written')).filter((e) => e.key.startsWith('supplier:'));
    if (event === undefined) throw new Error('no written supplier');
    const entry = await rt.ledger.get(event.key);
    if (entry === undefined) throw new Error(`no ledger entry for ${event.key}`);
    const at = new Date().toISOString();
    await rt.ledger.put({
      ...entry,
      status: 'deadLettered',
      reason: 'gave up after 5 attempts: HTTP 503',
      updatedAt: at,
    });
    await rt.audit.append([{ runId: 'dead', key: event.key, at, stage: 'write', outcome: 'deadLettered' }]);
    await rt.writes.send([JSON.stringify({ v: 1, runId: 'dead', key: event.key })]);
    rt.db.prepare("UPDATE messages SET queue = 'writes-dlq' WHERE queue = 'writes'").run();
    return event.key;
  } finally {
    await rt.close();
  }
}
