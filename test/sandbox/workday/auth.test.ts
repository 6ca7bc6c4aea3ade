import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultPlan } from '../../../sandbox/faults';
import {
  type Auth,
  accessToken,
  call,
  faultOf,
  type Harness,
  ISU,
  PASSWORD_DIGEST,
  startHarness,
  TENANT,
} from './helpers';

/** The authentication fault body exactly as §1.10 shows it (whitespace removed). */
const AUTH_FAULT =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>' +
  '<SOAP-ENV:Fault xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wd="urn:com.workday/bsvc">' +
  '<faultcode>SOAP-ENV:Client.authenticationError</faultcode><faultstring>invalid username or password</faultstring>' +
  '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';

describe('Workday simulator: WS-Security UsernameToken (checklist 2)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('accepts user@tenant with a PasswordText password', async () => {
    const reply = await call(h.url, 'Get_Suppliers');

    expect(reply.status).toBe(200);
  });

  it('accepts a password without a Type (PasswordText is the default) and with Nonce/Created', async () => {
    const reply = await call(h.url, 'Get_Suppliers', '', {
      auth: {
        kind: 'wsse',
        passwordType: null,
        extra: '<wsse:Nonce>bm9uY2U=</wsse:Nonce><wsu:Created xmlns:wsu="urn:wsu">2024-06-03T17:00:00Z</wsu:Created>',
      },
    });

    expect(reply.status).toBe(200);
  });

  it.each<[string, Auth]>([
    ['a wrong password', { kind: 'wsse', password: 'nope' }],
    ['a wrong user', { kind: 'wsse', username: `someone@${TENANT}` }],
    ['a username without @tenant', { kind: 'wsse', username: ISU.username }],
    ['another tenant in the username', { kind: 'wsse', username: `${ISU.username}@other` }],
    ['a PasswordDigest password', { kind: 'wsse', passwordType: PASSWORD_DIGEST }],
    ['no security header', { kind: 'none' }],
  ])('answers %s with HTTP 500 and the bare authentication fault', async (_name, auth) => {
    const reply = await call(h.url, 'Get_Suppliers', '', { auth });

    expect(reply.status).toBe(500);
    expect(reply.text).toBe(AUTH_FAULT);
    expect(faultOf(reply).detail).toBeUndefined();
  });
});

describe('Workday simulator: OAuth bearer on SOAP (checklist 2, 17)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ oauth: { clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'refresh-1' } });
  });
  afterEach(() => {
    h.sim.switches.expiredBearerStatus = 401;
  });
  afterAll(() => h.close());

  it('accepts a bearer token from the token endpoint instead of WS-Security', async () => {
    const token = await accessToken(h.url);

    const reply = await call(h.url, 'Get_Suppliers', '', { auth: { kind: 'bearer', token } });

    expect(reply.status).toBe(200);
  });

  it('answers an unknown bearer token with the authentication fault', async () => {
    const reply = await call(h.url, 'Get_Suppliers', '', { auth: { kind: 'bearer', token: 'made-up' } });

    expect(reply.status).toBe(500);
    expect(reply.text).toBe(AUTH_FAULT);
  });

  it('answers an expired bearer with a bare HTTP 401 by default', async () => {
    const token = await accessToken(h.url);
    h.sim.expireAccessTokens();

    const reply = await call(h.url, 'Get_Suppliers', '', { auth: { kind: 'bearer', token } });

    expect(reply.status).toBe(401);
    expect(reply.text).toBe('');
  });

  it('answers an expired bearer with the SOAP authentication fault when expiredBearerStatus is 500', async () => {
    const token = await accessToken(h.url);
    h.sim.expireAccessTokens();
    h.sim.switches.expiredBearerStatus = 500;

    const reply = await call(h.url, 'Get_Suppliers', '', { auth: { kind: 'bearer', token } });

    expect(reply.status).toBe(500);
    expect(reply.text).toBe(AUTH_FAULT);
  });

  it('expires access tokens after expires_in seconds on the simulator clock', async () => {
    const token = await accessToken(h.url);
    h.clock.now += 3599_000;
    const before = await call(h.url, 'Get_Suppliers', '', { auth: { kind: 'bearer', token } });
    h.clock.now += 1_000;
    const after = await call(h.url, 'Get_Suppliers', '', { auth: { kind: 'bearer', token } });

    expect(before.status).toBe(200);
    expect(after.status).toBe(401);
  });

  it('treats the bearer as expired when the fault plan injects tokenExpiry', async () => {
    const token = await accessToken(h.url);
    h.sim.faults.force({ type: 'tokenExpiry' });

    const expired = await call(h.url, 'Get_Suppliers', '', { auth: { kind: 'bearer', token } });
    const next = await call(h.url, 'Get_Suppliers', '', { auth: { kind: 'bearer', token } });

    expect(expired.status).toBe(401);
    expect(next.status).toBe(200);
    expect(h.sim.faults.injected.tokenExpiry).toBe(1);
  });
});

describe('tokenExpiry on a WS-Security call', () => {
  it('has no effect: there is no bearer to expire', async () => {
    const h = await startHarness({ faults: new FaultPlan() });
    h.sim.faults.force({ type: 'tokenExpiry' });

    const reply = await call(h.url, 'Get_Suppliers');

    expect(reply.status).toBe(200);
    await h.close();
  });
});
