import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../../cli/operate/status-read';
import type { PlannedAction } from '../../../lambdas/pipeline/plan';
import { type CliSandbox, type SyncBody, startCliSandbox, syncSettled } from './cli-sandbox';

type DryRunBody = SyncBody & { planned: PlannedAction[] };

describe('ml-connector sync --dry-run, against the sandbox', () => {
  let cli: CliSandbox;
  beforeEach(async () => {
    cli = await startCliSandbox();
  });
  afterEach(async () => {
    await cli.close();
  });

  it('plans creates on a fresh state, with budget codes and rules, and writes nothing anywhere', async () => {
    const { code, body } = await cli.json<DryRunBody>(['sync', '--dry-run']);

    expect(code).toBe(1);
    expect(body.dryRun).toBe(true);
    expect(cli.sandbox.procore.calls.writes).toBe(0);
    const oracle = cli.sandbox.firm.oracle();
    const planned = (action: string, resource: string) =>
      new Set(body.planned.filter((a) => a.action === action && a.resource === resource).map((a) => a.originId));
    const created = (resource: string) => planned('create', resource);
    for (const commitment of oracle.commitments) {
      // A commitment typed into Procore by hand with the PO's number is linked, not duplicated.
      const action = commitment.procoreId === undefined ? 'create' : 'link';
      expect(planned(action, 'commitment')).toContain(commitment.originId);
    }
    for (const cost of oracle.directCosts) expect(created('directCost')).toContain(cost.originId);
    for (const requisition of oracle.requisitions) expect(created('requisition')).toContain(requisition.originId);
    const line = body.planned.find((a) => a.resource === 'commitmentLine');
    expect(line?.reason).toMatch(/on budget code \S+ × \S+ \(wbs \d+\) by (Project_ID|Cost_Center_Reference_ID) /);
    for (const action of body.planned) {
      expect(Object.keys(action)).toEqual(['key', 'action', 'resource', 'originId', 'reason']);
    }
    const quarantined = body.problems.map((p) => p.key).sort();
    const expected = [...oracle.expectedOutcomes].filter(([, o]) => o === 'quarantined').map(([k]) => k);
    expect(quarantined).toEqual(expected.sort());
    const polled = Object.values(body.polled ?? {}).reduce((a, b) => a + b, 0);
    expect(Object.values(body.outcomes).reduce((a, b) => a + b, 0)).toBe(polled);

    const status = await cli.json<StatusReport>(['status']);
    expect(status.body.cursors).toEqual({ suppliers: null, purchaseOrders: null, invoices: null, creditMemos: null });
    expect(Object.values(status.body.counts).every((n) => n === 0)).toBe(true);
    expect(status.body.lastRun).toBeNull();
  });

  it("checks each document's currency against its project's in Procore, as the writer does", async () => {
    const cad = cli.sandbox.firm.layout.cadProject.procoreId;

    const { body } = await cli.json<DryRunBody>(['sync', '--dry-run']);

    const wrongCurrency = body.problems.filter((p) => p.reason.includes(`Procore project ${cad} uses CAD`));
    expect(wrongCurrency).toHaveLength(1);
    expect(wrongCurrency[0]?.reason).toMatch(
      new RegExp(
        `^PO \\S+ in Procore project ${cad} is in USD but Procore project ${cad} uses CAD \\(its own currency configuration\\) without multicurrency`,
      ),
    );

    // With multicurrency on, the same PO is planned, its contract's currency set after the sync.
    cli.sandbox.procore.switches.multicurrency = [cad];
    const again = await cli.json<DryRunBody>(['sync', '--dry-run']);
    const key = wrongCurrency[0]?.key;
    expect(again.body.problems.map((p) => p.key)).not.toContain(key);
    const planned = again.body.planned.find((a) => a.key === key && a.resource === 'commitment');
    expect(planned).toMatchObject({
      action: 'create',
      reason: expect.stringContaining('contract currency set to USD'),
    });
  });

  it('after a sync, leaves cursors and ledger where they were and plans nothing to write', async () => {
    await syncSettled(cli);
    const before = await cli.json<StatusReport>(['status']);
    const writes = cli.sandbox.procore.calls.writes;

    const { body } = await cli.json<DryRunBody>(['sync', '--dry-run']);

    expect(cli.sandbox.procore.calls.writes).toBe(writes);
    expect(body.outcomes.written).toBe(0);
    expect(body.planned.filter((a) => a.action === 'create' || a.action === 'update')).toEqual([]);
    const after = await cli.json<StatusReport>(['status']);
    expect(after.body).toEqual(before.body);
  });

  it('prints the plan for a person, saying nothing was written', async () => {
    const { stdout } = await cli.run(['sync', '--dry-run']);

    expect(stdout).toMatch(/^record +action +resource +origin id +why$/m);
    expect(stdout).toContain('Dry run: nothing was written to Procore or to the state.');
    expect(stdout).toMatch(/quarantine +vendor/);
  });
});
