import * as z from 'zod';
import type { CustomerConfig } from '../config/schema';
import type { CachedToken, SecretStore, TokenCache, WorkdayIsuSecret, WorkdayOauthSecret } from '../ports';
import { persistRotatedRefreshToken, workdayCredentials } from '../shared/credentials';
import { describeError, WorkdayError } from '../shared/errors';
import { parseJsonOrUndefined } from '../shared/json';
import { type CallLabel, describeCall, post, TransientFailure, type TransportDeps, withRetries } from './transport';

/** How one SOAP call authenticates: a WS-Security UsernameToken, or an OAuth bearer token. */
export type WorkdayCredential =
  | { kind: 'isu'; username: string; password: string }
  | { kind: 'bearer'; accessToken: string };

/** Hands out the credential for each SOAP call and explains rejections. */
export interface WorkdayAuthenticator {
  /** The credential for the next call; an OAuth token missing or about to expire is refreshed first. */
  credential(): Promise<WorkdayCredential>;
  /** Forgets a bearer token Workday rejected, so the next `credential()` refreshes; a no-op for ISU. */
  forget(credential: WorkdayCredential): Promise<void>;
  /** The error for a rejected credential that a refresh cannot (or did not) fix; names what to check, never a secret. */
  rejection(credential: WorkdayCredential, label: CallLabel): WorkdayError;
}

/** What authentication needs: the customer's Workday settings, the credential and token stores, a transport. */
export interface AuthDeps {
  config: Pick<CustomerConfig['workday'], 'baseUrl' | 'tenant' | 'auth'>;
  secrets: SecretStore;
  tokens: TokenCache;
  env: Record<string, string | undefined>;
  transport: TransportDeps;
}

const SET_SECRET = '`ml-connector secrets set --system workday`';
const DEFAULT_EXPIRES_IN_S = 3600;
/** Refresh this long before expiry, so a token never lapses in the middle of a page request. */
const REFRESH_MARGIN_MS = 60_000;

/** An authenticator for the configured mode: `isu` (WS-Security) or `oauth` (refresh-token grant, bearer). */
export function createWorkdayAuthenticator(deps: AuthDeps): WorkdayAuthenticator {
  return deps.config.auth === 'isu' ? isuAuthenticator(deps) : oauthAuthenticator(deps);
}

function isuAuthenticator(deps: AuthDeps): WorkdayAuthenticator {
  let secret: Promise<WorkdayIsuSecret> | undefined;
  return {
    async credential() {
      secret ??= workdayCredentials('isu', deps.secrets, deps.env).then((value) => {
        if ('password' in value) return value;
        throw new WorkdayError('authentication', `Workday ISU credentials are incomplete: run ${SET_SECRET}`);
      });
      const { username, password } = await secret;
      return { kind: 'isu', username, password };
    },
    async forget() {},
    rejection(_credential, label) {
      return new WorkdayError(
        'authentication',
        `Workday rejected the integration system user on ${describeCall(label)} (invalid username or password): ` +
          `check the username (user@${deps.config.tenant}) and password in WORKDAY_USERNAME / WORKDAY_PASSWORD ` +
          `or the secret store (${SET_SECRET}), and that the account is active, not locked, and its password not expired`,
        { context: { operation: label.operation } },
      );
    },
  };
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
});
type TokenResponse = z.output<typeof tokenResponse>;

/** Why the token endpoint refused, from its OAuth error code (`invalid_grant`, `invalid_client`…). */
interface Refusal {
  status: number;
  error: string | undefined;
}

const TOKEN_LABEL: CallLabel = { operation: 'oauth2/token' };

function oauthAuthenticator(deps: AuthDeps): WorkdayAuthenticator {
  const { transport, tokens } = deps;
  let current: CachedToken | undefined;
  let refreshing: Promise<CachedToken> | undefined;

  // Early by a minute, or by half the lifetime for tokens shorter than two minutes.
  const usable = (token: CachedToken) =>
    token.expiresAt - transport.now() > Math.min(REFRESH_MARGIN_MS, (token.expiresAt - token.issuedAt) / 2);

  async function oauthSecret(): Promise<WorkdayOauthSecret> {
    const value = await workdayCredentials('oauth', deps.secrets, deps.env);
    if ('refreshToken' in value) return value;
    throw new WorkdayError('authentication', `Workday OAuth credentials are incomplete: run ${SET_SECRET}`);
  }

  async function requestToken(secret: WorkdayOauthSecret): Promise<TokenResponse | Refusal> {
    const url = `${deps.config.baseUrl}/ccx/oauth2/${encodeURIComponent(deps.config.tenant)}/token`;
    const basic = Buffer.from(`${secret.clientId}:${secret.clientSecret}`).toString('base64');
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      authorization: `Basic ${basic}`,
    };
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: secret.refreshToken }).toString();
    return withRetries(transport, TOKEN_LABEL, async () => {
      const reply = await post(transport, TOKEN_LABEL, url, headers, body);
      if (reply instanceof TransientFailure) return reply;
      if (reply.status === 429) return new TransientFailure('throttled', 'HTTP 429 from the token endpoint');
      if (reply.status >= 500)
        return new TransientFailure('unavailable', `HTTP ${reply.status} from the token endpoint`);
      const json = parseJsonOrUndefined(reply.text);
      if (reply.status !== 200) return { status: reply.status, error: oauthError(json) };
      const parsed = tokenResponse.safeParse(json);
      if (parsed.success) return parsed.data;
      throw new WorkdayError('malformed', 'the Workday token endpoint answered 200 without a usable access_token', {
        context: { operation: TOKEN_LABEL.operation },
      });
    });
  }

  /** The refresh-token grant; a rotated refresh token is saved before the new access token is used or cached. */
  async function refresh(): Promise<CachedToken> {
    let secret = await oauthSecret();
    let answer = await requestToken(secret);
    if (!('access_token' in answer) && answer.error === 'invalid_grant') {
      // Another process may have rotated the refresh token since we read it: try the stored one once.
      const latest = await oauthSecret();
      if (latest.refreshToken !== secret.refreshToken) {
        secret = latest;
        answer = await requestToken(secret);
      }
    }
    if (!('access_token' in answer)) throw refusalError(answer);
    if (answer.refresh_token !== undefined && answer.refresh_token !== secret.refreshToken) {
      await saveRotated(secret, answer.refresh_token);
    }
    const issuedAt = transport.now();
    const token = {
      accessToken: answer.access_token,
      issuedAt,
      expiresAt: issuedAt + (answer.expires_in ?? DEFAULT_EXPIRES_IN_S) * 1000,
    };
    await tokens.put('workday', token);
    return token;
  }

  async function saveRotated(secret: WorkdayOauthSecret, refreshToken: string): Promise<void> {
    try {
      await persistRotatedRefreshToken(deps.secrets, secret, refreshToken);
    } catch (error) {
      throw new WorkdayError(
        'authentication',
        'Workday issued a new refresh token (the old one no longer works) but it could not be saved to the ' +
          `secret store (${describeError(error)}): fix the store's access, then mint a new refresh token in Workday ` +
          `and run ${SET_SECRET}`,
        { cause: error },
      );
    }
    transport.logger.info('Workday rotated the OAuth refresh token; the new one is saved in the secret store');
  }

  /** A cached token another run stored, else a new one; concurrent callers share one refresh. */
  function renew(): Promise<CachedToken> {
    refreshing ??= (async () => {
      const cached = await tokens.get('workday');
      const token = cached !== undefined && usable(cached) ? cached : await refresh();
      current = token;
      return token;
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  return {
    async credential() {
      const token = current !== undefined && usable(current) ? current : await renew();
      return { kind: 'bearer', accessToken: token.accessToken };
    },
    async forget(credential) {
      if (credential.kind !== 'bearer') return;
      if (current?.accessToken === credential.accessToken) current = undefined;
      const cached = await tokens.get('workday');
      if (cached?.accessToken === credential.accessToken) await tokens.delete('workday');
    },
    rejection(_credential, label) {
      return new WorkdayError(
        'authentication',
        `Workday rejected a freshly issued OAuth access token on ${describeCall(label)}: check that the API client ` +
          'is registered for integrations with the Procurement and Supplier Accounts scopes, and that the Workday ' +
          'account its refresh token was minted for is active and may use web services; then mint a new refresh ' +
          `token and run ${SET_SECRET}`,
        { context: { operation: label.operation } },
      );
    },
  };
}

function oauthError(json: unknown): string | undefined {
  const parsed = z.object({ error: z.string().max(100) }).safeParse(json);
  return parsed.success ? parsed.data.error : undefined;
}

function refusalError(refusal: Refusal): WorkdayError {
  const context = { operation: TOKEN_LABEL.operation, status: refusal.status, oauthError: refusal.error };
  if (refusal.error === 'invalid_grant') {
    return new WorkdayError(
      'authentication',
      'Workday refused the OAuth refresh token (invalid_grant: expired, revoked or already used): mint a new ' +
        `refresh token in Workday (Manage Refresh Tokens for Integrations) and store it with ${SET_SECRET}`,
      { context },
    );
  }
  if (refusal.error === 'invalid_client' || refusal.status === 401) {
    return new WorkdayError(
      'authentication',
      'Workday refused the OAuth client (invalid_client): check the client ID and secret against View API Clients ' +
        `in Workday, and update them in WORKDAY_CLIENT_ID / WORKDAY_CLIENT_SECRET or with ${SET_SECRET}`,
      { context },
    );
  }
  const said = refusal.error === undefined ? `HTTP ${refusal.status}` : `HTTP ${refusal.status}, ${refusal.error}`;
  return new WorkdayError(
    'authentication',
    `the Workday token endpoint refused the refresh (${said}): check workday.baseUrl and workday.tenant, and the ` +
      `OAuth credentials (${SET_SECRET})`,
    { context },
  );
}
