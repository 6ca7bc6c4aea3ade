import type { OAuthTokens } from './oauth';
import { authenticationFault } from './soap-faults';
import type { SoapRequest } from './soap-request';

/** Who may call the SOAP endpoint, and how an expired bearer token is answered. */
export interface SoapAuthPolicy {
  tenant: string;
  isu: { username: string; password: string };
  tokens: OAuthTokens;
  /** Workday's answer to an expired bearer is not documented: HTTP 401 (gateway style) or the SOAP auth fault. */
  expiredBearerStatus: 500 | 401;
}

/** `ok`, or `expired401` when the caller must get a bare HTTP 401; any other failure throws the auth fault. */
export type AuthResult = 'ok' | 'expired401';

/**
 * Accepts a WS-Security UsernameToken (`user@tenant`, PasswordText) or an OAuth bearer token from the
 * token endpoint. `forceExpired` is the tokenExpiry fault: the bearer is treated as expired.
 */
export function authenticate(
  soap: SoapRequest,
  authorization: string | undefined,
  policy: SoapAuthPolicy,
  forceExpired: boolean,
): AuthResult {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (bearer !== undefined) {
    const state = policy.tokens.check(bearer);
    if (state === 'valid' && !forceExpired) return 'ok';
    if (state !== 'unknown' && policy.expiredBearerStatus === 401) return 'expired401';
    throw authenticationFault();
  }
  const token = soap.usernameToken;
  if (
    !token?.passwordIsText ||
    token.username !== `${policy.isu.username}@${policy.tenant}` ||
    token.password !== policy.isu.password
  ) {
    throw authenticationFault();
  }
  return 'ok';
}
