import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, OAUTH, startHarness, tokenRequest } from './helpers';

const REFRESH = { grant_type: 'refresh_token', refresh_token: OAUTH.refreshToken };

describe('Workday simulator: POST /ccx/oauth2/{tenant}/token (checklist 17)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('trades the refresh token for a bearer token, client authenticated with Basic', async () => {
    h = await startHarness();

    const { status, body, headers } = await tokenRequest(h.url, REFRESH);

    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    expect(h.sim.calls.byOperation['oauth2/token']).toBe(1);
  });

  it('accepts client_id and client_secret in the form body', async () => {
    h = await startHarness();

    const { status } = await tokenRequest(
      h.url,
      { ...REFRESH, client_id: OAUTH.clientId, client_secret: OAUTH.clientSecret },
      { basic: null },
    );

    expect(status).toBe(200);
  });

  it('reports the configured access-token lifetime', async () => {
    h = await startHarness({ oauth: { ...OAUTH, accessTokenTtlSeconds: 900 } });

    const { body } = await tokenRequest(h.url, REFRESH);

    expect(body.expires_in).toBe(900);
  });

  it('rotates the refresh token when configured: the old one is invalid at once', async () => {
    h = await startHarness({ oauth: { ...OAUTH, rotateRefreshTokens: true } });

    const first = await tokenRequest(h.url, REFRESH);
    const reuse = await tokenRequest(h.url, REFRESH);
    const rotated = await tokenRequest(h.url, {
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
    });

    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.refresh_token).not.toBe(OAUTH.refreshToken);
    expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(rotated.status).toBe(200);
    expect(h.sim.currentRefreshToken()).toBe(rotated.body.refresh_token);
  });

  it.each([
    ['an unknown refresh token', () => ({ grant_type: 'refresh_token', refresh_token: 'stolen' })],
    ['a missing refresh token', () => ({ grant_type: 'refresh_token' })],
  ])('answers %s with 400 invalid_grant', async (_name, form) => {
    h = await startHarness();

    const reply = await tokenRequest(h.url, form());

    expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('answers a revoked refresh token with 400 invalid_grant', async () => {
    h = await startHarness();
    h.sim.revokeRefreshToken();

    const reply = await tokenRequest(h.url, REFRESH);

    expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it.each([
    ['a wrong client secret', { basic: [OAUTH.clientId, 'wrong'] as [string, string] }],
    ['no client authentication', { basic: null }],
    ['an unknown tenant', { tenant: 'other' }],
  ])('answers %s with 401 invalid_client', async (_name, options) => {
    h = await startHarness();

    const reply = await tokenRequest(h.url, REFRESH, options);

    expect(reply).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('answers other grants with 400 unsupported_grant_type', async () => {
    h = await startHarness();

    const reply = await tokenRequest(h.url, { grant_type: 'client_credentials' });

    expect(reply).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('throttles the token endpoint with 429 and no Retry-After', async () => {
    h = await startHarness();
    h.sim.faults.force({ type: 'throttle' });

    const reply = await tokenRequest(h.url, REFRESH);

    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBeNull();
  });
});
