import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../lambdas/pipeline/report';
import { add, toAmount } from '../../../lambdas/shared/money';
import { type CliSandbox, startCliSandbox, syncSettled } from './cli-sandbox';

const AMOUNT = /^-?\d+\.\d{2}$/;

describe('ml-connector report, against the sandbox', () => {
  let cli: CliSandbox;
  let quarantined: string[];
  beforeAll(async () => {
    cli = await startCliSandbox();
    const sync = await syncSettled(cli);
    quarantined = sync.body.problems.map((p) => p.key);
  });
  afterAll(async () => {
    await cli.close();
  });

  it('after a sync, reconciles every project × cost code × cost type except the quarantined documents (exit 1)', async () => {
    const { code, body } = await cli.json<Report>(['report']);

    expect(code).toBe(1);
    expect(body.reconciled).toBe(false);
    expect(body.rows.length).toBeGreaterThan(20);
    const projects = new Set(cli.sandbox.firm.config.mapping.projects.map((r) => r.procoreProjectId));
    for (const row of body.rows) {
      expect(Object.keys(row)).toEqual([
        'procoreProjectId',
        'costCode',
        'costType',
        'workday',
        'procore',
        'difference',
        'records',
      ]);
      for (const figures of [row.workday, row.procore, row.difference]) {
        expect(figures.committed).toMatch(AMOUNT);
        expect(figures.invoiced).toMatch(AMOUNT);
      }
      if (row.procoreProjectId !== null) expect(projects).toContain(row.procoreProjectId);
    }
    const traced = new Set(body.rows.flatMap((r) => r.records));
    expect(traced.size).toBeGreaterThan(0);
    // Quarantined suppliers have no amounts of their own; every traced record is a quarantined document.
    for (const key of traced) expect(quarantined).toContain(key);
    for (const row of body.rows.filter((r) => r.records.length === 0)) {
      expect(row.difference).toEqual({ committed: '0.00', invoiced: '0.00' });
    }
    const unmapped = body.rows.find((r) => r.procoreProjectId === null);
    expect(unmapped?.records).toEqual([quarantined.find((k) => k.startsWith('invoice:'))]);
  });

  it('traces a difference to the commitment whose line was edited in Procore by hand', async () => {
    const state = cli.sandbox.procore.state;
    const line = [...state.db.commitmentLineItems.values()].find(
      (l) => l.origin_id !== null && /^[0-9a-f]{32}:/.test(l.origin_id),
    );
    if (line === undefined || line.origin_id === null) throw new Error('no synced commitment line');
    const key = `purchaseOrder:${line.origin_id.split(':')[0]}`;
    const original = line.amount;
    line.amount = toAmount(add(original, '100.00'));
    try {
      const { code, body } = await cli.json<Report>(['report']);

      expect(code).toBe(1);
      const row = body.rows.find((r) => r.records.includes(key));
      expect(row?.procoreProjectId).toBe(line.project_id);
      expect(row?.difference.committed).toBe('-100.00');
      const human = await cli.run(['report']);
      expect(human.stdout).toContain(`${key}  changed in Procore by hand since the connector wrote it`);
    } finally {
      line.amount = original;
    }
  });

  it('prints an aligned table with the differences traced below it', async () => {
    const { code, stdout } = await cli.run(['report']);

    expect(code).toBe(1);
    expect(stdout).toMatch(/^project +cost code +type +WD committed +PC committed +Δ committed/m);
    expect(stdout).toMatch(/rows differ.*, traced to records:/);
    expect(stdout).toContain('quarantined: ');
  });
});
