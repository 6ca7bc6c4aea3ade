import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretStore, TokenCache } from '../../../lambdas/ports';
import { WorkdayError } from '../../../lambdas/shared/errors';
import {
  callsOf,
  type Harness,
  ISU,
  OAUTH,
  query,
  readAll,
  rejectionOf,
  seedSuppliers,
  startHarness,
  T0,
  TENANT,
} from './harness';

/** Asks the simulator's token endpoint directly whether a refresh token still works. */
async function refreshStatus(h: Harness, refreshToken: string): Promise<number> {
  const response = await request(`${h.url}/ccx/oauth2/${TENANT}/token`, {
    method: 'POST',
    dispatcher: h.dispatcher,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${OAUTH.clientId}:${OAUTH.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  await response.body.dump();
  return response.statusCode;
}

describe('Workday ISU authentication (WS-Security UsernameToken)', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('reads with user@tenant and a PasswordText password that needs escaping', async () => {
    h = await startHarness({ auth: 'isu' });
    seedSuppliers(h.sim, 2);

    const pages = await readAll(h.client(), query('suppliers'));

    expect(pages.map((p) => p.records.length)).toEqual([2]);
    expect(callsOf(h.sim, 'oauth2/token')).toBe(0);
  });

  it('takes the ISU from the environment when the store has none', async () => {
    h = await startHarness({ auth: 'isu' });
    await h.secrets.put('workday', {});
    const env = { WORKDAY_USERNAME: `${ISU.username}@${TENANT}`, WORKDAY_PASSWORD: ISU.password };

    await expect(h.client({ env }).probe('suppliers')).resolves.toEqual({ totalResults: 0 });
  });

  it('fails a wrong password with an authentication error after exactly one call, naming what to check', async () => {
    h = await startHarness({ auth: 'isu' });
    await h.secrets.put('workday', { username: `${ISU.username}@${TENANT}`, password: 'not-the-password' });
    const client = h.client();

    const error = await rejectionOf(readAll(client, query('suppliers')));

    expect(error).toBeInstanceOf(WorkdayError);
    expect(error).toMatchObject({ kind: 'authentication', retryable: false });
    expect((error as Error).message).toMatch(/WORKDAY_PASSWORD.*secrets set --system workday/);
    expect((error as Error).message).not.toContain('not-the-password');
    expect(h.sim.calls.total).toBe(1);
    expect(client.stats).toMatchObject({ calls: 1, retries: 0 });
  });
});

describe('Workday OAuth authentication (refresh-token grant, bearer on SOAP)', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('refreshes once, sends the bearer token and caches it in the TokenCache with its expiry', async () => {
    h = await startHarness({ auth: 'oauth' });
    seedSuppliers(h.sim, 3);
    h.config.pageSize = 1;

    const pages = await readAll(h.client(), query('suppliers'));
    const again = await h.client().probe('suppliers');

    expect(pages).toHaveLength(3);
    expect(again).toEqual({ totalResults: 3 });
    expect(callsOf(h.sim, 'oauth2/token')).toBe(1);
    expect(await h.tokens.get('workday')).toEqual({
      accessToken: expect.any(String),
      issuedAt: T0,
      expiresAt: T0 + 3_600_000,
    });
  });

  it('shares one refresh between concurrent callers', async () => {
    h = await startHarness({ auth: 'oauth' });
    const client = h.client();

    await Promise.all([client.probe('suppliers'), client.probe('purchaseOrders'), client.probe('invoices')]);

    expect(callsOf(h.sim, 'oauth2/token')).toBe(1);
  });

  it('persists a rotated refresh token before using the access token; the old one no longer works', async () => {
    h = await startHarness({ auth: 'oauth', sim: { oauth: { ...OAUTH, rotateRefreshTokens: true } } });
    const events: string[] = [];
    const secrets: SecretStore = {
      get: (system) => h.secrets.get(system),
      async put(system, value) {
        events.push(`secret saved, SOAP calls so far: ${callsOf(h.sim, 'Get_Suppliers')}`);
        await h.secrets.put(system, value);
      },
    };
    const tokens: TokenCache = {
      get: (name) => h.tokens.get(name),
      delete: (name) => h.tokens.delete(name),
      async put(name, token) {
        events.push('access token cached');
        await h.tokens.put(name, token);
      },
    };

    await h.client({ secrets, tokens }).probe('suppliers');

    const stored = await h.secrets.get('workday');
    expect(events).toEqual(['secret saved, SOAP calls so far: 0', 'access token cached']);
    expect(stored).toEqual({ ...OAUTH, refreshToken: h.sim.currentRefreshToken() });
    expect(stored?.refreshToken).not.toBe(OAUTH.refreshToken);
    expect(await refreshStatus(h, OAUTH.refreshToken)).toBe(400);
    expect(h.logger.entries).toContainEqual(
      expect.objectContaining({ level: 'info', message: expect.stringMatching(/rotated/) }),
    );
  });

  it('neither uses nor caches the access token when the rotated refresh token cannot be saved', async () => {
    h = await startHarness({ auth: 'oauth', sim: { oauth: { ...OAUTH, rotateRefreshTokens: true } } });
    const secrets: SecretStore = {
      get: (system) => h.secrets.get(system),
      put: async () => {
        throw new Error('secret store is read-only');
      },
    };

    const error = await rejectionOf(h.client({ secrets }).probe('suppliers'));

    expect(error).toMatchObject({
      kind: 'authentication',
      message: expect.stringMatching(/could not be saved.*read-only/),
    });
    expect(await h.tokens.get('workday')).toBeUndefined();
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(0);
  });

  it('picks up a refresh token another process rotated while this one was refreshing', async () => {
    h = await startHarness({ auth: 'oauth', sim: { oauth: { ...OAUTH, rotateRefreshTokens: true } } });
    let raced = false;
    const secrets: SecretStore = {
      async get(system) {
        const value = await h.secrets.get(system);
        if (!raced) {
          raced = true;
          // The other process refreshes (rotating the token) and saves the new one after this read.
          await h.client().probe('suppliers');
          await h.tokens.delete('workday');
        }
        return value;
      },
      put: (system, value) => h.secrets.put(system, value),
    };

    await expect(h.client({ secrets }).probe('suppliers')).resolves.toEqual({ totalResults: 0 });

    expect(callsOf(h.sim, 'oauth2/token')).toBe(3);
    expect((await h.secrets.get('workday'))?.refreshToken).toBe(h.sim.currentRefreshToken());
  });

  it.each([401, 500] as const)(
    'refreshes once and carries on when the access token expires mid-run (expired bearer answered %i)',
    async (status) => {
      h = await startHarness({ auth: 'oauth', sim: { switches: { expiredBearerStatus: status } } });
      seedSuppliers(h.sim, 3);
      h.config.pageSize = 1;
      const client = h.client();
      const pages = [];

      for await (const page of client.pages(query('suppliers'))) {
        pages.push(page);
        if (page.page === 1) h.sim.expireAccessTokens();
      }

      expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
      expect(callsOf(h.sim, 'oauth2/token')).toBe(2);
      expect(callsOf(h.sim, 'Get_Suppliers')).toBe(4);
      expect(client.stats).toEqual({ calls: 6, retries: 1, pages: 3 });
    },
  );

  it('refreshes ahead of expiry, without a rejected call, when less than a minute is left', async () => {
    h = await startHarness({ auth: 'oauth', sim: { oauth: { ...OAUTH, accessTokenTtlSeconds: 600 } } });
    seedSuppliers(h.sim, 2);
    h.config.pageSize = 1;
    const client = h.client();
    const pages = [];

    for await (const page of client.pages(query('suppliers'))) {
      pages.push(page);
      h.clock.now += 550_000;
    }

    expect(pages).toHaveLength(2);
    expect(callsOf(h.sim, 'oauth2/token')).toBe(2);
    expect(client.stats.retries).toBe(0);
  });

  it('gives up after one refresh when the new token is rejected too', async () => {
    h = await startHarness({ auth: 'oauth' });
    const client = h.client();
    await client.probe('suppliers');
    // A tokenExpiry fault expires the bearer of the request it hits; the token request in between draws one too.
    h.sim.faults.force({ type: 'tokenExpiry' }, 3);

    const error = await rejectionOf(client.probe('suppliers'));

    expect(error).toMatchObject({
      kind: 'authentication',
      message: expect.stringMatching(/freshly issued OAuth access token/),
    });
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(3);
    expect(callsOf(h.sim, 'oauth2/token')).toBe(2);
  });

  it('reports a revoked refresh token (invalid_grant) with how to mint and store a new one', async () => {
    h = await startHarness({ auth: 'oauth' });
    h.sim.revokeRefreshToken();

    const error = await rejectionOf(readAll(h.client(), query('suppliers')));

    expect(error).toMatchObject({ kind: 'authentication', retryable: false });
    expect((error as Error).message).toMatch(
      /invalid_grant.*new refresh token.*ml-connector secrets set --system workday/,
    );
    expect(callsOf(h.sim, 'oauth2/token')).toBe(1);
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(0);
  });

  it('reports a wrong client secret (invalid_client) naming the client ID and secret to check', async () => {
    h = await startHarness({ auth: 'oauth' });
    await h.secrets.put('workday', { ...OAUTH, clientSecret: 'wrong-secret' });

    const error = await rejectionOf(h.client().probe('suppliers'));

    expect(error).toMatchObject({
      kind: 'authentication',
      message: expect.stringMatching(/invalid_client.*client ID and secret/),
    });
    expect((error as Error).message).not.toContain('wrong-secret');
  });
});
