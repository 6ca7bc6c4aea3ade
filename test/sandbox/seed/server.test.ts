import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCustomerConfig } from '../../../lambdas/config/loader';
import { FAULT_PROFILES } from '../../../sandbox/faults';
import { type Sandbox, startSandbox } from '../../../sandbox/server';
import { call, responseResults } from '../workday/helpers';
import { NOW } from './helpers';

async function procoreToken(sandbox: Sandbox): Promise<Response> {
  return fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: sandbox.credentials.PROCORE_CLIENT_ID,
      client_secret: sandbox.credentials.PROCORE_CLIENT_SECRET,
    }),
  });
}

describe('startSandbox()', () => {
  let sandbox: Sandbox;
  let dir: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ scale: 'small', seed: 4, now: () => NOW });
    dir = await mkdtemp(join(tmpdir(), 'ml-connector-sandbox-'));
  });

  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves Workday under /ccx/ with the ISU it hands out', async () => {
    const [username = '', tenant = ''] = (sandbox.credentials.WORKDAY_USERNAME ?? '').split('@');
    const reply = await call(sandbox.url, 'Get_Suppliers', '', {
      tenant,
      auth: { kind: 'wsse', username: `${username}@${tenant}`, password: sandbox.credentials.WORKDAY_PASSWORD ?? '' },
    });

    expect(reply.status).toBe(200);
    expect(responseResults(reply, 'Get_Suppliers').Total_Results).toBe(String(sandbox.firm.data.suppliers.count));
  });

  it('serves Procore under /oauth/ and /rest/ with the client it hands out', async () => {
    const token = (await (await procoreToken(sandbox)).json()) as { access_token: string };
    const companyId = String(sandbox.firm.layout.companyId);

    const projects = await fetch(`${sandbox.url}/rest/v1.0/projects?company_id=${companyId}`, {
      headers: { authorization: `Bearer ${token.access_token}`, 'procore-company-id': companyId },
    });

    expect(projects.status).toBe(200);
    expect(((await projects.json()) as unknown[]).length).toBe(sandbox.firm.layout.projects.length);
  });

  it('answers 404 to any other path', async () => {
    expect((await fetch(`${sandbox.url}/elsewhere`)).status).toBe(404);
  });

  it('writes a valid config pointing both systems at itself, overrides laid over it', async () => {
    const path = await sandbox.writeConfig(dir, { workday: { pageSize: 100 }, alarmEmail: 'ops@example.com' });
    const config = await loadCustomerConfig(path);

    expect(path).toBe(join(dir, 'summit-builders-sandbox.json'));
    expect(config.workday).toMatchObject({
      baseUrl: sandbox.url,
      pageSize: 100,
      tenant: 'summit_sandbox',
      auth: 'isu',
    });
    expect(config.procore).toMatchObject({ authBaseUrl: sandbox.url, apiBaseUrl: sandbox.url });
    expect(config.mapping.projects).toHaveLength(4);
    expect(await readFile(path, 'utf8')).not.toContain(sandbox.credentials.WORKDAY_PASSWORD ?? 'none');
  });

  it('rejects overrides that make the config invalid', async () => {
    await expect(sandbox.writeConfig(dir, { schedule: { rateMinutes: 1 } })).rejects.toThrow(/sandbox config/);
  });
});

describe('startSandbox() options', () => {
  it('hands out OAuth credentials, seeds both fault plans and listens on the port asked for', async () => {
    const probe = await startSandbox({ scale: 'small', now: () => NOW });
    const port = Number(new URL(probe.url).port);
    await probe.close();

    const sandbox = await startSandbox({ scale: 'small', port, workdayAuth: 'oauth', faults: 'heavy', now: () => NOW });
    try {
      expect(sandbox.url).toBe(`http://127.0.0.1:${port}`);
      expect(Object.keys(sandbox.credentials).sort()).toEqual([
        'PROCORE_CLIENT_ID',
        'PROCORE_CLIENT_SECRET',
        'WORKDAY_CLIENT_ID',
        'WORKDAY_CLIENT_SECRET',
        'WORKDAY_REFRESH_TOKEN',
      ]);
      expect(sandbox.workday.faults.rates).toEqual(FAULT_PROFILES.heavy);
      expect(sandbox.procore.faults.rates).toEqual(FAULT_PROFILES.heavy);
      const dir = await mkdtemp(join(tmpdir(), 'ml-connector-sandbox-'));
      const config = await loadCustomerConfig(await sandbox.writeConfig(dir));
      await rm(dir, { recursive: true, force: true });
      expect(config.workday.auth).toBe('oauth');
    } finally {
      await sandbox.close();
    }
  });
});
