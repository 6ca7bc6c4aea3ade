import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The API client registered in the simulated tenant, and the refresh token minted for the ISU. */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Access-token lifetime; Workday's "Enforce 60 Minutes Access Token Expiry" makes 3600 typical. */
  accessTokenTtlSeconds?: number;
  /** Each refresh returns a new refresh token and invalidates the old one at once. */
  rotateRefreshTokens?: boolean;
}

/** How a bearer token presented on a SOAP call checks out. */
export type BearerState = 'valid' | 'expired' | 'unknown';

/** Issued access tokens and the current refresh token of the one API client. */
export class OAuthTokens {
  private refreshToken: string;
  private refreshRevoked = false;
  private readonly accessTokens = new Map<string, number>();

  constructor(
    private readonly config: OAuthClientConfig,
    private readonly clock: () => number,
  ) {
    this.refreshToken = config.refreshToken;
  }

  /** Trades a refresh token for an access token; undefined when the refresh token is unknown or revoked. */
  exchange(refreshToken: string): { accessToken: string; expiresIn: number; refreshToken?: string } | undefined {
    if (this.refreshRevoked || refreshToken !== this.refreshToken) return undefined;
    const expiresIn = this.config.accessTokenTtlSeconds ?? 3600;
    const accessToken = randomBytes(24).toString('base64url');
    this.accessTokens.set(accessToken, this.clock() + expiresIn * 1000);
    if (!this.config.rotateRefreshTokens) return { accessToken, expiresIn };
    this.refreshToken = randomBytes(24).toString('base64url');
    return { accessToken, expiresIn, refreshToken: this.refreshToken };
  }

  check(accessToken: string): BearerState {
    const expiresAt = this.accessTokens.get(accessToken);
    if (expiresAt === undefined) return 'unknown';
    return this.clock() < expiresAt ? 'valid' : 'expired';
  }

  /** Every access token issued so far becomes expired. */
  expireAll(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, Number.NEGATIVE_INFINITY);
  }

  revokeRefreshToken(): void {
    this.refreshRevoked = true;
  }

  currentRefreshToken(): string {
    return this.refreshToken;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function clientCredentials(authorization: string | undefined, form: URLSearchParams): [string, string] | undefined {
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return undefined;
    return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? [id, secret] : undefined;
}

/** `POST /ccx/oauth2/{tenant}/token`: the refresh-token grant with standard OAuth 2 error bodies. */
export function handleTokenRequest(
  res: ServerResponse,
  body: string,
  authorization: string | undefined,
  tenantKnown: boolean,
  config: OAuthClientConfig,
  tokens: OAuthTokens,
): void {
  const form = new URLSearchParams(body);
  const client = clientCredentials(authorization, form);
  if (!tenantKnown || !client || client[0] !== config.clientId || client[1] !== config.clientSecret) {
    const challenge: Record<string, string> = authorization?.startsWith('Basic ')
      ? { 'www-authenticate': 'Basic realm="Workday"' }
      : {};
    sendJson(res, 401, { error: 'invalid_client' }, challenge);
    return;
  }
  const grant = form.get('grant_type');
  if (grant === null) {
    sendJson(res, 400, { error: 'invalid_request', error_description: 'grant_type is required' });
    return;
  }
  if (grant !== 'refresh_token') {
    sendJson(res, 400, { error: 'unsupported_grant_type' });
    return;
  }
  const issued = tokens.exchange(form.get('refresh_token') ?? '');
  if (!issued) {
    sendJson(res, 400, { error: 'invalid_grant' });
    return;
  }
  sendJson(res, 200, {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
  });
}
