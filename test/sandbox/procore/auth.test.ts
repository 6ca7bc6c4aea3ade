import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, type Harness, readReply, START, startHarness } from './harness';

interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  created_at: number;
  refresh_token?: string;
}

describe('Procore simulator: OAuth client credentials', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const tokenRequest = (init: RequestInit) => fetch(`${h.url}/oauth/token`, { method: 'POST', ...init });

  it('issues a bearer token for a JSON body, with no refresh token', async () => {
    const reply = await readReply<TokenBody>(
      await tokenRequest({
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
      }),
    );
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      access_token: expect.stringMatching(/^eyJ/),
      token_type: 'bearer',
      expires_in: 5400,
      created_at: START / 1000,
    });
  });

  it('accepts an application/x-www-form-urlencoded body', async () => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    const reply = await readReply<TokenBody>(await tokenRequest({ body }));
    expect(reply.status).toBe(200);
    expect(reply.json.token_type).toBe('bearer');
  });

  it('accepts a multipart/form-data body', async () => {
    const form = new FormData();
    form.set('grant_type', 'client_credentials');
    form.set('client_id', CLIENT_ID);
    form.set('client_secret', CLIENT_SECRET);
    const reply = await readReply<TokenBody>(await tokenRequest({ body: form }));
    expect(reply.status).toBe(200);
    expect(reply.json.expires_in).toBe(5400);
  });

  it('answers 401 invalid_client for a wrong secret', async () => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: 'nope' });
    const reply = await readReply<{ error: string }>(await tokenRequest({ body }));
    expect(reply.status).toBe(401);
    expect(reply.json.error).toBe('invalid_client');
  });

  it('answers 400 unsupported_grant_type for other grants', async () => {
    const body = new URLSearchParams({ grant_type: 'password', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    const reply = await readReply<{ error: string }>(await tokenRequest({ body }));
    expect(reply.status).toBe(400);
    expect(reply.json.error).toBe('unsupported_grant_type');
  });

  it('accepts the token on REST routes until created_at + 5400 s on the simulator clock', async () => {
    expect((await h.get(`/rest/v1.0/companies`)).status).toBe(200);
    h.clock.advance(5399_000);
    expect((await h.get(`/rest/v1.0/companies`)).status).toBe(200);
    h.clock.advance(1000);
    const expired = await h.get(`/rest/v1.0/companies`);
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ errors: 'The access token is invalid' });
  });

  it('follows a clock swapped in with setNow()', async () => {
    h.sim.setNow(() => START + 5400_000);
    expect((await h.get('/rest/v1.0/companies')).status).toBe(401);
    h.sim.setNow(() => START);
    expect((await h.get('/rest/v1.0/companies')).status).toBe(200);
  });

  it('answers 401 on every REST route once expireTokens() runs', async () => {
    h.sim.expireTokens();
    for (const path of ['/rest/v1.0/companies', '/rest/v1.0/vendors?company_id=1', '/rest/v1.0/nothing-here']) {
      const reply = await h.get(path);
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ errors: 'The access token is invalid' });
    }
  });

  it('answers 401 for a missing, non-Bearer or unknown token', async () => {
    const missing = await h.get('/rest/v1.0/companies', { noAuth: true });
    const basic = await h.get('/rest/v1.0/companies', { noAuth: true, headers: { Authorization: `Basic ${h.token}` } });
    const unknown = await h.get('/rest/v1.0/companies', { noAuth: true, headers: { Authorization: 'Bearer eyJnope' } });
    expect([missing.status, basic.status, unknown.status]).toEqual([401, 401, 401]);
    expect(unknown.json).toEqual({ errors: 'The access token is invalid' });
  });

  it('reports token info and revokes a token (revoke answers 200 even for nonsense)', async () => {
    const info = await h.get<{ expires_in_seconds: number; application: { uid: string } }>('/oauth/token/info');
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ expires_in_seconds: 5400, application: { uid: CLIENT_ID } });
    const revoke = (token: string) =>
      fetch(`${h.url}/oauth/revoke`, {
        method: 'POST',
        body: new URLSearchParams({ token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
      });
    expect((await revoke('not-a-token')).status).toBe(200);
    expect((await revoke(h.token)).status).toBe(200);
    expect((await h.get('/rest/v1.0/companies')).status).toBe(401);
  });

  it('checks the token before the Procore-Company-Id header', async () => {
    const reply = await h.get('/rest/v1.0/companies', { noAuth: true, noCompany: true });
    expect(reply.status).toBe(401);
  });
});
