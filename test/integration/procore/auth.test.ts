import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ProcoreError, stopsTheRun } from '../../../lambdas/shared/errors';
import { FaultPlan } from '../../../sandbox/faults';
import { CLIENT_ID, CLIENT_SECRET, type Harness, seedCompany, startHarness } from './harness';

const TOKEN_ROUTE = ['POST', '/oauth/token'] as const;
const LIFE_MS = 5400 * 1000;

describe('Procore client: tokens', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('reuses one token across calls and keeps it in the TokenCache with its issue and expiry time', async () => {
    h = await startHarness();
    await h.client.companies();
    await h.client.projects();
    await h.client.companies();
    expect(h.sim.calls.count(...TOKEN_ROUTE)).toBe(1);
    const cached = await h.tokens.get('procore');
    const issuedAt = Math.floor(h.clock.now() / 1000) * 1000;
    expect(cached).toMatchObject({ issuedAt, expiresAt: issuedAt + LIFE_MS });
    // A second client (another Lambda invocation) picks the cached token up.
    await h.makeClient().companies();
    expect(h.sim.calls.count(...TOKEN_ROUTE)).toBe(1);
  });

  it('renews the token before a cycle when less life than the budget is left, without a 401', async () => {
    h = await startHarness({ client: { cycleBudgetMs: 10 * 60_000 } });
    await h.client.companies();
    h.clock.advance(LIFE_MS - 9 * 60_000);
    await h.client.companies();
    expect(h.sim.calls.count(...TOKEN_ROUTE)).toBe(2);
    expect(h.sim.calls.byStatus[401]).toBeUndefined();
    expect((await h.tokens.get('procore'))?.expiresAt).toBe(Math.floor(h.clock.now() / 1000) * 1000 + LIFE_MS);
  });

  it('gets one new token and retries once when Procore expires the token mid-run', async () => {
    h = await startHarness();
    const { project } = seedCompany(h.sim);
    await h.client.project(project.id);
    const first = (await h.tokens.get('procore'))?.accessToken;
    h.sim.expireTokens();
    const again = await h.client.project(project.id);
    expect(again.id).toBe(project.id);
    expect(h.sim.calls.byStatus[401]).toBe(1);
    expect(h.sim.calls.count(...TOKEN_ROUTE)).toBe(2);
    expect(h.client.stats).toMatchObject({ calls: 3, retries: 1, clientErrors: 1 });
    expect((await h.tokens.get('procore'))?.accessToken).not.toBe(first);
  });

  it('stops the run, naming the variables to check, when a fresh token is refused too', async () => {
    const faults = new FaultPlan();
    h = await startHarness({ sim: { faults } });
    await h.client.companies();
    // The API call, the token request (where the fault does nothing) and the retry.
    faults.force({ type: 'tokenExpiry' }, 3);
    const error = await h.client.companies().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcoreError);
    expect(error).toMatchObject({ status: 401, failure: 'credentials', retryable: false });
    expect((error as Error).message).toMatch(/PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET/);
    expect(h.sim.calls.byStatus[401]).toBe(2);
  });

  it('answers wrong client credentials with an error that stops the run, names the variables, never the values', async () => {
    h = await startHarness();
    await h.secrets.put('procore', { clientId: CLIENT_ID, clientSecret: 'not-the-secret-value' });
    const error = await h.client.companies().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, failure: 'credentials', code: 'PROCORE_CREDENTIALS' });
    expect(stopsTheRun(error)).toBe(true);
    expect((error as Error).message).toMatch(/PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET/);
    expect((error as Error).message).not.toContain('not-the-secret-value');
    expect(h.sim.calls.count(...TOKEN_ROUTE)).toBe(1);
    expect(h.client.stats.calls).toBe(0);
  });

  it('does not send credentials Procore just refused again, but sends them once they change or a minute passed', async () => {
    h = await startHarness();
    const { project } = seedCompany(h.sim);
    await h.secrets.put('procore', { clientId: CLIENT_ID, clientSecret: 'not-the-secret-value' });
    await expect(h.client.companies()).rejects.toMatchObject({ failure: 'credentials' });
    await expect(h.client.project(project.id)).rejects.toMatchObject({ failure: 'credentials' });
    expect(h.sim.calls.count(...TOKEN_ROUTE)).toBe(1);
    h.clock.advance(60_000);
    await expect(h.client.companies()).rejects.toMatchObject({ failure: 'credentials' });
    expect(h.sim.calls.count(...TOKEN_ROUTE)).toBe(2);

    await h.secrets.put('procore', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect((await h.client.project(project.id)).id).toBe(project.id);
    expect(h.sim.calls.count(...TOKEN_ROUTE)).toBe(3);
  });

  it('answers missing credentials with a config error that stops the run, naming the environment variables', async () => {
    h = await startHarness();
    await h.secrets.put('procore', {});
    const error = await h
      .makeClient({ env: {} })
      .companies()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(stopsTheRun(error)).toBe(true);
    expect(JSON.stringify((error as ConfigError).issues)).toMatch(/PROCORE_CLIENT_ID/);
  });

  it('logs at debug level without a token, the client secret or a tax id', async () => {
    const faults = new FaultPlan();
    h = await startHarness({ sim: { faults } });
    const { project } = seedCompany(h.sim);
    h.sim.state.addVendor({
      name: 'Taxed Co',
      business_register: {
        id: 1,
        type: 'ein',
        identifier: '98-7654321',
        verified_at: null,
        verification_status: 'unverified',
      },
    });
    await h.client.vendors();
    h.sim.expireTokens();
    faults.force({ type: 'throttle' });
    await h.client.project(project.id);
    await h.client.syncVendors([{ origin_id: 'WD-BAD', name: 'Bad', country_code: 'ZZ' }]);
    const failed = await h.client.commitment(project.id, 1).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ProcoreError);

    const logged = JSON.stringify(h.logger.entries);
    expect(h.logger.entries.some((e) => e.level === 'debug')).toBe(true);
    const issued = [...h.sim.state.db.tokens.keys()];
    expect(issued.length).toBeGreaterThanOrEqual(2);
    for (const token of issued) {
      expect(logged).not.toContain(token);
      expect((failed as Error).message).not.toContain(token);
    }
    expect(logged).not.toContain(CLIENT_SECRET);
    expect(logged).not.toContain('7654321');
  });
});
