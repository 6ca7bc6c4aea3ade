import { request } from 'undici';
import * as z from 'zod';
import type { CachedToken, SecretStore, TokenCache } from '../ports';
import { procoreCredentials } from '../shared/credentials';
import { describeError, ProcoreError } from '../shared/errors';
import { sha256Hex } from '../shared/hash';
import { backoffMs, isTransientNetworkError, retryAfterMs } from '../shared/http';
import { assertBeforeDeadline, errorCode, parseResponse, pause, type Runtime } from './context';
import { classifyProcoreFailure } from './errors';

/** What the token manager needs besides the shared runtime. */
export interface AuthDeps {
  authBaseUrl: string;
  secrets: SecretStore;
  tokens: TokenCache;
  env: Record<string, string | undefined>;
  cycleBudgetMs: number;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  created_at: z.number().optional(),
});

const REFUSAL_MEMORY_MS = 60_000;
// Beyond this, Procore's created_at and our clock disagree; token life is then measured from our clock.
const MAX_SKEW_MS = 5 * 60_000;
const CHECK_CREDENTIALS =
  'check PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET (or the stored procore secret: `ml-connector secrets set --system procore`)';

/**
 * DMSA client-credentials tokens: shared through the TokenCache port, renewed before a request cycle
 * whenever less life is left than the cycle's budget, and renewed once when Procore rejects one.
 */
export class TokenManager {
  private current: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  /** The credentials Procore refused last (their hash), when, and its answer: not sent again for a while. */
  private refused: { fingerprint: string; at: number; error: ProcoreError } | undefined;

  constructor(
    private readonly rt: Runtime,
    private readonly deps: AuthDeps,
  ) {}

  /** A token with at least the cycle budget of life left. */
  async token(): Promise<string> {
    if (this.current && this.fresh(this.current)) return this.current.accessToken;
    this.pending ??= this.obtain().finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).accessToken;
  }

  /** Forgets a token Procore answered 401 to (here and in the cache) and returns a new one. */
  async renewAfterRejection(rejected: string): Promise<string> {
    if (this.current?.accessToken === rejected) this.current = undefined;
    const cached = await this.readCache();
    if (cached?.accessToken === rejected) await this.dropCache();
    return this.token();
  }

  private fresh(token: CachedToken): boolean {
    // A budget longer than half a token's life would renew on every call.
    const budget = Math.min(this.deps.cycleBudgetMs, (token.expiresAt - token.issuedAt) / 2);
    return token.expiresAt - this.rt.now() >= budget;
  }

  private async obtain(): Promise<CachedToken> {
    const cached = await this.readCache();
    if (cached && this.fresh(cached)) {
      this.current = cached;
      return cached;
    }
    const token = await this.fetchToken();
    this.current = token;
    try {
      await this.deps.tokens.put('procore', token);
    } catch (error) {
      this.rt.logger.warn('procore token cache write failed; continuing with the new token', {
        error: describeError(error),
      });
    }
    return token;
  }

  private async readCache(): Promise<CachedToken | undefined> {
    try {
      return await this.deps.tokens.get('procore');
    } catch (error) {
      this.rt.logger.warn('procore token cache read failed; requesting a new token', { error: describeError(error) });
      return undefined;
    }
  }

  private async dropCache(): Promise<void> {
    try {
      await this.deps.tokens.delete('procore');
    } catch (error) {
      this.rt.logger.warn('procore token cache delete failed', { error: describeError(error) });
    }
  }

  /** The stored (else environment) credentials; none set is a ConfigError, which stops the run like Workday's. */
  private credentials(): Promise<{ clientId: string; clientSecret: string }> {
    return procoreCredentials(this.deps.secrets, this.deps.env);
  }

  /** `POST {authBaseUrl}/oauth/token` with the client-credentials grant, retrying throttling and server errors. */
  private async fetchToken(): Promise<CachedToken> {
    const { clientId, clientSecret } = await this.credentials();
    // Every record of a batch asks for a token: credentials just refused are not sent again with each one
    // (for a minute only, so a warm Lambda container is not stuck on a refusal Procore has since taken back).
    const fingerprint = sha256Hex(`${clientId}\0${clientSecret}`);
    const refused = this.refused;
    if (refused?.fingerprint === fingerprint && this.rt.now() - refused.at < REFUSAL_MEMORY_MS) throw refused.error;
    const url = `${this.deps.authBaseUrl}/oauth/token`;
    const what = `POST ${url}`;
    const body = JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    for (let attempt = 1; ; attempt++) {
      assertBeforeDeadline(this.rt, 'the Procore token request');
      const sentAt = this.rt.now();
      let wait: number;
      let last: string;
      let status: number | undefined;
      try {
        const response = await request(url, {
          method: 'POST',
          dispatcher: this.rt.dispatcher,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
        });
        const raw = await response.body.text();
        status = response.statusCode;
        this.rt.logger.debug('procore token request', { status, attempt });
        if (status === 200) return this.toCached(parseResponse(tokenResponse, parseJson(raw), what), sentAt);
        const failure = classifyProcoreFailure(status, raw);
        if (status === 400 || status === 401 || status === 403) {
          const error = new ProcoreError(
            `Procore refused the client credentials at ${url} (HTTP ${status}${failure.detail ? `: ${failure.detail}` : ''}): ` +
              `${CHECK_CREDENTIALS}, and that they belong to the environment of procore.authBaseUrl`,
            { status, failure: 'credentials' },
          );
          this.refused = { fingerprint, at: this.rt.now(), error };
          throw error;
        }
        if (!failure.retryable) {
          // No token, no write: like refused credentials, this stops the run rather than failing each record.
          throw new ProcoreError(
            `Procore token request failed (HTTP ${status}): ${failure.detail}: check procore.authBaseUrl`,
            { status, failure: 'credentials' },
          );
        }
        last = `HTTP ${status}`;
        wait =
          retryAfterMs(response.headers['retry-after'], this.rt.now()) ??
          backoffMs(attempt, this.rt.retry, this.rt.random);
      } catch (error) {
        if (error instanceof ProcoreError) throw error;
        if (!isTransientNetworkError(error)) {
          throw new ProcoreError(
            `could not reach Procore's token endpoint ${url} (${errorCode(error)}): check procore.authBaseUrl and the network`,
            { failure: 'transient' },
            { cause: error },
          );
        }
        last = errorCode(error);
        wait = backoffMs(attempt, this.rt.retry, this.rt.random);
      }
      if (attempt >= this.rt.retry.maxAttempts) {
        throw new ProcoreError(`Procore token request failed after ${attempt} attempts (last: ${last})`, {
          status,
          failure: 'transient',
        });
      }
      this.rt.logger.debug('procore token retry', { attempt, waitMs: wait, reason: last });
      await pause(this.rt, wait, 'the Procore token request', status);
    }
  }

  private toCached(body: z.infer<typeof tokenResponse>, sentAt: number): CachedToken {
    const lifeMs = body.expires_in * 1000;
    let issuedAt = body.created_at === undefined ? sentAt : body.created_at * 1000;
    if (Math.abs(issuedAt - sentAt) > MAX_SKEW_MS) {
      this.rt.logger.warn('procore token created_at disagrees with the local clock; measuring its life locally', {
        skewMs: issuedAt - sentAt,
      });
      issuedAt = sentAt;
    }
    return { accessToken: body.access_token, issuedAt, expiresAt: issuedAt + lifeMs };
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** The fix to name when Procore keeps refusing fresh tokens. */
export const CREDENTIALS_HINT = CHECK_CREDENTIALS;
