import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PingReport } from '../../../cli/operate/ping-types';
import { type CliSandbox, startCliSandbox } from './cli-sandbox';

describe('ml-connector ping, against the sandbox', () => {
  let cli: CliSandbox;
  beforeAll(async () => {
    cli = await startCliSandbox();
  });
  afterAll(async () => {
    await cli.close();
  });

  const check = (report: PingReport, name: string) => report.checks.find((c) => c.name === name);
  const usdProject = () => {
    const commitment = cli.sandbox.firm.oracle().commitments[0];
    if (commitment === undefined) throw new Error('the oracle has no commitment');
    return commitment;
  };

  it('passes every check on a fresh sandbox config and exits 0', async () => {
    const { code, stdout } = await cli.run(['ping']);

    expect(code).toBe(0);
    expect(stdout).toContain('✓ ');
    expect(stdout).not.toContain('✗');
    expect(stdout).toContain('All checks passed.');
    expect(stdout).toContain('budget codes the config names');
  });

  it('prints one JSON object with every check, and lists the worktags no rule maps', async () => {
    const { code, body } = await cli.json<PingReport>(['ping']);

    expect(code).toBe(0);
    expect(body.ok).toBe(true);
    expect(body.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'config',
        'workday.credentials',
        'workday.suppliers',
        'workday.purchaseOrders',
        'workday.invoices',
        'workday.creditMemos',
        'procore.token',
        'procore.company',
      ]),
    );
    for (const rule of cli.sandbox.firm.config.mapping.projects) {
      expect(check(body, `procore.project.${rule.procoreProjectId}`)?.ok).toBe(true);
      expect(check(body, `procore.budgetCodes.${rule.procoreProjectId}`)?.ok).toBe(true);
      expect(check(body, `procore.billingPeriod.${rule.procoreProjectId}`)?.ok).toBe(true);
    }
    for (const c of body.checks) expect(c).toEqual({ name: c.name, ok: true, detail: expect.any(String), fix: null });
    expect(body.unmappedWorktags).toEqual([{ type: 'Cost_Center_Reference_ID', id: 'CC-999', documents: 1 }]);
  });

  it("shows each mapped project's currency from Procore and whether it takes others, in text and in --json", async () => {
    const { layout } = cli.sandbox.firm;
    const cad = layout.cadProject.procoreId;
    const usd = layout.projectIdProjects[0]?.procoreId;

    const { code, body } = await cli.json<PingReport>(['ping']);

    expect(code).toBe(0);
    expect(check(body, `procore.project.${cad}`)?.detail).toContain(
      'currency CAD (its own currency configuration), multicurrency off',
    );
    expect(check(body, `procore.project.${usd}`)?.detail).toContain(
      "currency USD (the company's; it has no currency configuration of its own), multicurrency off",
    );
    const text = await cli.run(['ping']);
    expect(text.stdout).toMatch(new RegExp(`✓ +procore\\.project\\.${cad} .*currency CAD`));
  });

  it('fails the token check with the fix when the Procore secret is wrong (exit 1)', async () => {
    const env = { ...cli.sandbox.credentials, PROCORE_CLIENT_SECRET: 'not-the-secret' };

    const { code, body } = await cli.json<PingReport>(['ping'], { env });

    expect(code).toBe(1);
    expect(body.ok).toBe(false);
    expect(check(body, 'procore.token')).toMatchObject({
      ok: false,
      fix: expect.stringContaining('PROCORE_CLIENT_SECRET'),
    });
    expect(check(body, 'workday.credentials')?.ok).toBe(true);
    expect(JSON.stringify(body)).not.toContain('not-the-secret');
  });

  it('fails the Workday credentials check when the password is wrong, and says where to correct it', async () => {
    const env = { ...cli.sandbox.credentials, WORKDAY_PASSWORD: 'wrong-password' };

    const { code, stdout } = await cli.run(['ping'], { env });

    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ +workday\.credentials/);
    expect(stdout).toContain('→ set WORKDAY_USERNAME (user@tenant) and WORKDAY_PASSWORD');
    expect(stdout).toMatch(/✓ +procore\.token/);
    expect(stdout).not.toContain('wrong-password');
  });

  it('says which Workday credentials are missing when none are set', async () => {
    const { PROCORE_CLIENT_ID = '', PROCORE_CLIENT_SECRET = '' } = cli.sandbox.credentials;

    const { code, body } = await cli.json<PingReport>(['ping'], { env: { PROCORE_CLIENT_ID, PROCORE_CLIENT_SECRET } });

    expect(code).toBe(1);
    expect(check(body, 'workday.credentials')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('WORKDAY_PASSWORD'),
      fix: expect.stringContaining('ml-connector secrets set --system workday'),
    });
  });

  it('names the security domain fix when the integration user may not read invoice adjustments', async () => {
    cli.sandbox.workday.denyOperation('Get_Supplier_Invoice_Adjustments');
    try {
      const { code, body } = await cli.json<PingReport>(['ping']);

      expect(code).toBe(1);
      expect(check(body, 'workday.credentials')?.ok).toBe(true);
      expect(check(body, 'workday.creditMemos')).toMatchObject({
        ok: false,
        fix: expect.stringContaining('security group'),
      });
    } finally {
      cli.sandbox.workday.allowOperation('Get_Supplier_Invoice_Adjustments');
    }
  });

  it('fails a project the app is not permitted to see, naming the project in the fix', async () => {
    const projectId = usdProject().procoreProjectId;
    const project = cli.sandbox.procore.state.db.projects.get(projectId);
    if (project === undefined) throw new Error(`no project ${projectId}`);
    project.permitted = false;
    try {
      const { code, body } = await cli.json<PingReport>(['ping']);

      expect(code).toBe(1);
      expect(check(body, `procore.project.${projectId}`)).toMatchObject({
        ok: false,
        fix: expect.stringContaining(`add the service account to project ${projectId} in Procore's Directory`),
      });
      expect(check(body, `procore.budgetCodes.${projectId}`)).toBeUndefined();
    } finally {
      project.permitted = true;
    }
  });

  it('fails the budget codes of a project when one that recent documents use is deleted', async () => {
    const commitment = usdProject();
    const [line] = commitment.lines;
    if (line === undefined) throw new Error('the commitment has no line');
    const budgetCodes = cli.sandbox.procore.state.db.budgetCodes;
    const flat = `${line.costCode}.${line.costType}`;
    const deleted = [...budgetCodes.values()].find(
      (b) => b.project_id === commitment.procoreProjectId && b.flat_code === flat,
    );
    if (deleted === undefined) throw new Error(`no budget code ${flat}`);
    budgetCodes.delete(deleted.id);
    try {
      const { code, body } = await cli.json<PingReport>(['ping']);

      expect(code).toBe(1);
      const failedCheck = check(body, `procore.budgetCodes.${commitment.procoreProjectId}`);
      expect(failedCheck?.ok).toBe(false);
      expect(failedCheck?.detail).toContain(`${line.costCode} × ${line.costType}`);
      expect(failedCheck?.fix).toContain(`add them to project ${commitment.procoreProjectId}'s budget codes`);
    } finally {
      budgetCodes.set(deleted.id, deleted);
    }
  });

  it('fails the billing period check of a project whose periods are all closed', async () => {
    const projectId = usdProject().procoreProjectId;
    const periods = cli.sandbox.procore.state.billingPeriods(projectId).filter((p) => p.status === 'open');
    for (const p of periods) p.status = 'closed';
    try {
      const { code, body } = await cli.json<PingReport>(['ping']);

      expect(code).toBe(1);
      expect(check(body, `procore.billingPeriod.${projectId}`)).toMatchObject({
        ok: false,
        fix: expect.stringContaining('open a billing period'),
      });
    } finally {
      for (const p of periods) p.status = 'open';
    }
  });

  it('fails, one line each, budget codes the config names that Procore does not have, with no document using them', async () => {
    const projects = [...new Set(cli.sandbox.firm.config.mapping.projects.map((r) => r.procoreProjectId))];
    await cli.reconfigure({
      mapping: { costCodes: { map: { 'WD-NEVER-USED': '99-999' } }, charges: { costCode: '98-000', costType: 'O' } },
    });
    try {
      const { code, body } = await cli.json<PingReport>(['ping']);
      const human = await cli.run(['ping']);

      expect(code).toBe(1);
      expect(check(body, 'procore.costCode.99-999')).toMatchObject({
        ok: false,
        detail: expect.stringContaining('cost code 99-999 (mapping.costCodes.map["WD-NEVER-USED"])'),
        fix: expect.stringContaining('add cost code 99-999'),
      });
      for (const projectId of projects) {
        expect(check(body, `procore.budgetCode.${projectId}.98-000.O`)).toMatchObject({
          ok: false,
          detail: `budget code 98-000 × O (mapping.charges) does not exist in project ${projectId}`,
          fix: expect.stringContaining(`add cost code 98-000 with cost type O to project ${projectId}'s budget`),
        });
      }
      expect(human.stdout).toContain('✗');
      expect(human.stdout).toContain(
        `budget code 98-000 × O (mapping.charges) does not exist in project ${projects[0]}`,
      );
    } finally {
      await cli.reconfigure({});
    }
  });

  it('writes nothing to Procore', async () => {
    await cli.run(['ping']);

    expect(cli.sandbox.procore.calls.writes).toBe(0);
  });
});
