import { randomBytes } from 'node:crypto';
import type { RequestContext } from './context';
import { ApiError, isRecord, type Json, type Reply } from './http';
import type { Route } from './router';
import type { ProcoreState, Token } from './state';

/** Lifetime of a client-credentials token. */
export const TOKEN_LIFETIME_S = 5400;

// The ES512 JWT header Procore's tokens start with; the token is opaque to clients all the same.
const JWT_HEADER = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzUxMiJ9';

/** Issues, checks, expires and revokes access tokens on the simulator clock. */
export class TokenStore {
  constructor(
    private readonly state: ProcoreState,
    private readonly now: () => number,
  ) {}

  /** A fresh token valid for 5400 s. */
  issue(): Token {
    const now = this.now();
    const claims = Buffer.from(JSON.stringify({ iat: Math.floor(now / 1000), jti: randomBytes(8).toString('hex') }));
    const token: Token = {
      access_token: `${JWT_HEADER}.${claims.toString('base64url')}.${randomBytes(48).toString('base64url')}`,
      created_at: Math.floor(now / 1000),
      expires_at: now + TOKEN_LIFETIME_S * 1000,
      revoked: false,
    };
    this.state.db.tokens.set(token.access_token, token);
    return token;
  }

  /** The live token named by an `Authorization: Bearer …` header, or undefined. */
  fromHeader(authorization: string | undefined): Token | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const token = m?.[1] ? this.state.db.tokens.get(m[1]) : undefined;
    if (!token || token.revoked || token.expires_at <= this.now()) return undefined;
    return token;
  }

  /** Makes one token expired from now on. */
  expire(token: Token): void {
    token.expires_at = Math.min(token.expires_at, this.now());
  }

  /** Makes every issued token expired. */
  expireAll(): void {
    for (const token of this.state.db.tokens.values()) this.expire(token);
  }

  /** Revokes a token if it exists. */
  revoke(accessToken: string): void {
    const token = this.state.db.tokens.get(accessToken);
    if (token) token.revoked = true;
  }
}

/** The 401 every `/rest/` route answers for a missing, malformed, expired, revoked or unknown token. */
export function invalidToken(): ApiError {
  return new ApiError(401, { errors: 'The access token is invalid' }, { 'WWW-Authenticate': 'Bearer realm="Procore"' });
}

function oauthError(status: number, error: string, description: string): ApiError {
  return new ApiError(status, { error, error_description: description });
}

/** Form fields of a token or revoke request (JSON, urlencoded and multipart bodies arrive here already parsed). */
function formFields(ctx: RequestContext): Record<string, string> {
  if (ctx.body === undefined) return {};
  if (!isRecord(ctx.body)) throw oauthError(400, 'invalid_request', 'The request body must be a JSON object.');
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.body))
    if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
  return fields;
}

function token(ctx: RequestContext): Reply {
  const f = formFields(ctx);
  if (!f.grant_type)
    throw oauthError(400, 'invalid_request', 'The request is missing a required parameter: grant_type.');
  if (f.grant_type !== 'client_credentials') {
    throw oauthError(
      400,
      'unsupported_grant_type',
      'The authorization grant type is not supported by the authorization server.',
    );
  }
  if (f.client_id !== ctx.core.clientId || f.client_secret !== ctx.core.clientSecret) {
    throw oauthError(
      401,
      'invalid_client',
      'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
    );
  }
  const t = ctx.core.tokens.issue();
  return {
    status: 200,
    body: {
      access_token: t.access_token,
      token_type: 'bearer',
      expires_in: TOKEN_LIFETIME_S,
      created_at: t.created_at,
    },
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  };
}

function tokenInfo(ctx: RequestContext): Reply {
  const t = ctx.core.tokens.fromHeader(ctx.headers.authorization);
  if (!t) throw oauthError(401, 'invalid_token', 'The access token is invalid');
  const body: Json = {
    resource_owner_id: null,
    scopes: [],
    expires_in_seconds: Math.max(0, Math.floor((t.expires_at - ctx.state.clock()) / 1000)),
    application: { uid: ctx.core.clientId },
    created_at: t.created_at,
  };
  return { status: 200, body };
}

function revoke(ctx: RequestContext): Reply {
  const f = formFields(ctx);
  // Procore answers 200 whatever the token, so a client cannot probe tokens through this endpoint.
  if (f.token && f.client_id === ctx.core.clientId && f.client_secret === ctx.core.clientSecret) {
    ctx.core.tokens.revoke(f.token);
  }
  return { status: 200, body: {} };
}

/** `/oauth/…` routes (the auth host; the simulator serves it on the same port). */
export const oauthRoutes: Route[] = [
  { method: 'POST', template: '/oauth/token', handler: token },
  { method: 'GET', template: '/oauth/token/info', handler: tokenInfo },
  { method: 'POST', template: '/oauth/revoke', handler: revoke },
];
