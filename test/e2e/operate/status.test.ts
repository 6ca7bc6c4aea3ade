import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StatusReport } from '../../../cli/operate/status-read';
import { type CliSandbox, startCliSandbox, syncSettled } from './cli-sandbox';

describe('ml-connector status, against the sandbox', () => {
  let cli: CliSandbox;
  beforeAll(async () => {
    cli = await startCliSandbox();
  });
  afterAll(async () => {
    await cli.close();
  });

  it('before any sync: no cursor, no run, nothing counted (exit 0)', async () => {
    const { code, body } = await cli.json<StatusReport>(['status']);

    expect(code).toBe(0);
    expect(body).toEqual({
      customerId: 'summit-builders-sandbox',
      cursors: { suppliers: null, purchaseOrders: null, invoices: null, creditMemos: null },
      lastRun: null,
      counts: { written: 0, unchanged: 0, skipped: 0, quarantined: 0, deadLettered: 0, pending: 0 },
      deadLetters: 0,
      oldestUnsyncedChange: null,
    });
    const human = await cli.run(['status']);
    expect(human.stdout).toContain('Last run: none yet');
  });

  it('after a sync: cursors set, the last run with its exit code, counts that add up to what was polled', async () => {
    const sync = await syncSettled(cli);

    const { code, body } = await cli.json<StatusReport>(['status']);

    expect(code).toBe(0);
    for (const cursor of Object.values(body.cursors)) expect(cursor).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.lastRun).toEqual({ runId: sync.body.runId, finishedAt: expect.any(String), exitCode: sync.code });
    const polled = Object.values(sync.body.polled ?? {}).reduce((a, b) => a + b, 0);
    expect(Object.values(body.counts).reduce((a, b) => a + b, 0)).toBe(polled);
    expect(body.counts.quarantined).toBe(sync.body.outcomes.quarantined);
    expect(body.deadLetters).toBe(0);
    // Quarantined records wait for a person (counted above); nothing is still on its way.
    expect(body.oldestUnsyncedChange).toBeNull();
  });

  it('reads the state named by --state instead of the default one', async () => {
    const { body } = await cli.json<StatusReport>(['status', '--state', 'elsewhere/other.db']);

    expect(body.lastRun).toBeNull();
    expect(body.cursors.suppliers).toBeNull();
  });

  it('prints an aligned table of cursors and counts for a person', async () => {
    const { stdout } = await cli.run(['status']);

    expect(stdout).toMatch(/^entity +polled up to$/m);
    expect(stdout).toMatch(/^quarantined +\d+$/m);
    expect(stdout).toMatch(/Last run \S+: .*exit 1 \(records need attention\)/);
    expect(stdout).toContain('Oldest unsynced change: ');
  });

  it('answers --aws --customer with bad usage, naming the fix, when no AWS region is set anywhere', async () => {
    const { runCli } = await import('../../unit/cli/capture-io');
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
    vi.stubEnv('AWS_PROFILE', undefined);
    try {
      const { code, stderr } = await runCli(['status', '--aws', '--customer', 'summit-builders-sandbox']);
      expect(code).toBe(2);
      expect(stderr).toContain('no AWS region: set AWS_REGION');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
