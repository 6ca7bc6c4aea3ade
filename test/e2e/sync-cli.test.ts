import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateDb } from '../../lambdas/adapters/local/state-db';
import { createLocalAuditLog, createLocalLease, createLocalLedger } from '../../lambdas/adapters/local/stores';
import { normalizeVendorName } from '../../lambdas/mapping';
import { OUTCOMES } from '../../lambdas/ports';
import type { WorkdayRecord } from '../../lambdas/workday/records';
import { compareWithProcore } from '../../sandbox';
import { bucketsAddUp, type E2E, startE2E } from './harness';
import { type CliSandbox, type SyncBody, startCliSandbox } from './operate/cli-sandbox';

const SUMMARY_FIELDS = [
  'calls',
  'customerId',
  'dryRun',
  'finishedAt',
  'outcomes',
  'polled',
  'problems',
  'runId',
  'startedAt',
];

describe('ml-connector sync, as the README says', () => {
  let cli: CliSandbox | undefined;
  afterEach(async () => {
    await cli?.close();
    cli = undefined;
  });

  it('prints one JSON summary with every contract field and exits 1 while records need a person', async () => {
    cli = await startCliSandbox(7);

    const { code, body } = await cli.json<Record<string, unknown>>(['sync', '--until-idle']);

    expect(code).toBe(1);
    expect(Object.keys(body).sort()).toEqual([...SUMMARY_FIELDS].sort());
    expect(Object.keys(body.outcomes as object).sort()).toEqual([...OUTCOMES].sort());
    expect(Object.keys(body.polled as object).sort()).toEqual([
      'creditMemos',
      'invoices',
      'purchaseOrders',
      'suppliers',
    ]);
    expect(bucketsAddUp(body as never)).toBe(true);
    expect(body.problems).toContainEqual(
      expect.objectContaining({ status: 'quarantined', reason: expect.any(String) }),
    );
  });

  it('exits 3 while another run holds the lease, and 2 on an invalid config naming the path', async () => {
    cli = await startCliSandbox(7);
    const db = openStateDb(join(cli.dir, '.ml-connector', 'summit-builders-sandbox.db'));
    await createLocalLease(db, Date.now).acquire('another-run', 60_000);
    db.close();

    const held = await cli.run(['sync']);
    expect(held.code).toBe(3);
    expect(held.stderr).toContain('holds the lease');
    expect(held.stdout).toMatch(/^Read from Workday: 0 suppliers, 0 purchaseOrders, 0 invoices, 0 creditMemos$/m);
    const heldJson = await cli.json<Record<string, unknown>>(['sync']);
    expect(heldJson.code).toBe(3);
    expect(Object.keys(heldJson.body).sort()).toEqual([...SUMMARY_FIELDS, 'error'].sort());
    expect(heldJson.body).toMatchObject({
      polled: { suppliers: 0, purchaseOrders: 0, invoices: 0, creditMemos: 0 },
      outcomes: { written: 0, pending: 0 },
      error: { code: 'LEASE_HELD' },
    });
    const replayHeld = await cli.json<Record<string, unknown>>(['replay', '--status', 'quarantined']);
    expect(replayHeld.code).toBe(3);
    expect(replayHeld.body).toMatchObject({
      replayed: { suppliers: 0, purchaseOrders: 0, invoices: 0, creditMemos: 0 },
      error: { code: 'LEASE_HELD' },
    });

    const written = JSON.parse(readFileSync(cli.config, 'utf8')) as { workday: Record<string, unknown> };
    written.workday.pageSze = 10;
    writeFileSync(cli.config, JSON.stringify(written));
    const invalid = await cli.run(['sync']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('$.workday.pageSze');
  });

  it('exits 0 once nothing is left failing: the firm’s deliberate problems fixed as its team would', async () => {
    cli = await startCliSandbox(7);
    const { procore, firm } = cli.sandbox;
    // Procore: hand the vendor another integration owned to Workday, and merge each pair typed twice.
    const free = new Map<string, number[]>();
    for (const vendor of procore.state.db.vendors.values()) {
      if (vendor.origin_id?.startsWith('vista:')) vendor.origin_id = null;
      if (vendor.origin_id !== null) continue;
      const name = normalizeVendorName(vendor.name);
      free.set(name, [...(free.get(name) ?? []), vendor.id]);
    }
    for (const ids of free.values()) for (const id of ids.slice(1)) procore.state.db.vendors.delete(id);
    // Procore: the Canadian project takes documents in other currencies (multicurrency), so its USD PO is written.
    procore.switches.multicurrency = [firm.layout.cadProject.procoreId];
    // Config: a rule for the unmapped cost center.
    const rules = firm.config.mapping?.projects ?? [];
    const first = rules[0];
    if (first === undefined) throw new Error('the firm has project rules');
    await cli.reconfigure({
      mapping: {
        projects: [
          ...rules,
          { worktag: { type: 'Cost_Center_Reference_ID', id: 'CC-999' }, procoreProjectId: first.procoreProjectId },
        ],
      },
    });

    const { code, body } = await cli.json<{ problems: unknown[] }>(['sync', '--until-idle']);

    expect(body.problems).toEqual([]);
    expect(code).toBe(0);
    const cad = procore.state.commitments(firm.layout.cadProject.procoreId).filter((c) => c.origin_id !== null);
    expect(cad.length).toBeGreaterThan(0);
    for (const contract of cad) expect(contract.currency_iso_code).toBe('USD');
  });

  it('exits 3 on a refused Procore secret, quarantining nothing for it; the next sync, fixed, writes it all', async () => {
    cli = await startCliSandbox(7);
    const oracle = cli.sandbox.firm.oracle();
    const wrong = { ...cli.sandbox.credentials, PROCORE_CLIENT_SECRET: 'not-the-procore-secret-0042' };

    const refused = await cli.json<SyncBody & { error: { code: string; message: string } }>(['sync', '--until-idle'], {
      env: wrong,
    });

    expect(refused.code).toBe(3);
    expect(refused.body.error.message).toMatch(/Procore refused the client credentials.*PROCORE_CLIENT_SECRET/);
    // It still reports what it did: everything read from Workday, and where each record stands.
    expect(Object.keys(refused.body).sort()).toEqual([...SUMMARY_FIELDS, 'error'].sort());
    expect(refused.body.polled?.suppliers).toBeGreaterThan(0);
    expect(bucketsAddUp(refused.body as never)).toBe(true);
    expect(refused.body.outcomes.pending).toBeGreaterThan(0);
    expect(refused.body.outcomes.written).toBe(0);
    expect(cli.sandbox.procore.calls.writes).toBe(0);
    const db = openStateDb(join(cli.dir, '.ml-connector', 'summit-builders-sandbox.db'));
    try {
      const audit = createLocalAuditLog(db);
      // Mapping still quarantined what the firm got wrong on purpose; the writer settled nothing at all.
      const quarantined = await audit.query({ outcome: 'quarantined' });
      for (const event of quarantined) {
        expect(event.stage).not.toBe('write');
        expect(oracle.expectedOutcomes.get(event.key)).toBe('quarantined');
      }
      expect((await audit.query({})).filter((e) => e.stage === 'write')).toEqual([]);
      const counts = await createLocalLedger(db).counts();
      expect(counts).toMatchObject({ quarantined: quarantined.length, deadLettered: 0, written: 0 });
      expect(counts.pending).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    // More failed runs than retry.maxAttempts (5) bring no record nearer the dead-letter queue.
    for (let run = 0; run < 5; run++) expect((await cli.run(['sync'], { env: wrong })).code).toBe(3);
    // No Procore secret at all is a setup problem (2), naming where to put it; it settles nothing either.
    const { PROCORE_CLIENT_SECRET: _, ...unset } = cli.sandbox.credentials;
    const missing = await cli.run(['sync'], { env: unset });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /clientSecret: not set: run `ml-connector secrets set --system procore` or export PROCORE_CLIENT_SECRET/,
    );

    const fixed = await cli.json<{ outcomes: Record<string, number>; problems: { key: string }[] }>([
      'sync',
      '--until-idle',
    ]);

    expect(fixed.code).toBe(1);
    expect(fixed.body.outcomes).toMatchObject({ pending: 0, deadLettered: 0 });
    for (const problem of fixed.body.problems) expect(oracle.expectedOutcomes.get(problem.key)).toBe('quarantined');
    expect(compareWithProcore(oracle, cli.sandbox.procore.state)).toEqual([]);
  });

  it('prints no credential anywhere, even at debug level', async () => {
    cli = await startCliSandbox(7);
    const env = { ...cli.sandbox.credentials, ML_CONNECTOR_LOG_LEVEL: 'debug' };

    const run = await cli.run(['sync', '--until-idle', '--json'], { env });

    const printed = run.stdout + run.stderr;
    expect(printed.length).toBeGreaterThan(0);
    const secrets = Object.entries(cli.sandbox.credentials).filter(([name]) => /PASSWORD|SECRET|TOKEN/.test(name));
    expect(secrets.length).toBeGreaterThan(0);
    for (const [, value] of secrets) expect(printed).not.toContain(value);
  });
});

describe('a mapping change', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  const usesPermits = (record: WorkdayRecord): boolean => {
    if (record.kind === 'supplier') return false;
    const lines: { spendCategory?: string | undefined; purchaseOrderLine?: unknown }[] = record.lines;
    // Lines billed on a PO line take the PO's budget code, not their own.
    return lines.some((l) => l.spendCategory === 'SC-PERMITS' && l.purchaseOrderLine === undefined);
  };

  it('re-writes exactly the records whose Procore output it changes', async () => {
    e2e = await startE2E({ seed: 8 });
    const first = await e2e.sync();
    const written = new Set<string>();
    for (const event of await e2e.runtime.audit.query({ runId: first.runId, outcome: 'written' }))
      written.add(event.key);
    const affected = new Set<string>();
    for (const key of written) {
      const record = (await e2e.runtime.audit.lastPolled(key))?.record as WorkdayRecord | undefined;
      if (record !== undefined && usesPermits(record)) affected.add(key);
    }
    expect(affected.size).toBeGreaterThan(0);

    await e2e.reconfigure({ mapping: { costTypes: { bySpendCategory: { 'SC-PERMITS': 'E' } } } });
    const second = await e2e.sync();

    const rewritten = new Set(
      (await e2e.runtime.audit.query({ runId: second.runId, outcome: 'written' })).map((e) => e.key),
    );
    expect([...rewritten].sort()).toEqual([...affected].sort());
    expect(bucketsAddUp(second)).toBe(true);
  });
});
