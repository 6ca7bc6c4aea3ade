import { afterEach, describe, expect, it } from 'vitest';
import { describeError } from '../../../lambdas/shared/errors';
import { type Harness, ISU, OAUTH, query, readAll, rejectionOf, seedSuppliers, startHarness, TENANT } from './harness';

/** Every message of an error and its causes, as a person or a log would see them. */
function errorText(error: unknown): string {
  const parts: string[] = [describeError(error)];
  for (let cause = error; cause instanceof Error; cause = cause.cause) parts.push(cause.message);
  return parts.join('\n');
}

function expectNoSecret(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('WorkdayClient: secrets never reach logs or error messages', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('keeps the ISU password out of debug logs and the authentication error', async () => {
    h = await startHarness({ auth: 'isu' });
    seedSuppliers(h.sim, 2);
    await readAll(h.client(), query('suppliers'));
    const wrongPassword = 'Wr0ng-Pa55word';
    await h.secrets.put('workday', { username: `${ISU.username}@${TENANT}`, password: wrongPassword });

    const error = await rejectionOf(h.client().probe('suppliers'));

    const secrets = [ISU.password, wrongPassword];
    expect(h.logger.entries.filter((e) => e.level === 'debug').length).toBeGreaterThanOrEqual(2);
    expectNoSecret(JSON.stringify(h.logger.entries), secrets);
    expectNoSecret(errorText(error), secrets);
  });

  it('keeps the client secret, refresh tokens and access tokens out of logs and errors', async () => {
    h = await startHarness({ auth: 'oauth', sim: { oauth: { ...OAUTH, rotateRefreshTokens: true } } });
    seedSuppliers(h.sim, 3);
    h.config.pageSize = 1;
    const seen = new Set<string>([OAUTH.clientSecret, OAUTH.refreshToken]);
    const client = h.client();

    for await (const page of client.pages(query('suppliers'))) {
      seen.add(h.sim.currentRefreshToken());
      seen.add((await h.tokens.get('workday'))?.accessToken ?? OAUTH.clientSecret);
      if (page.page === 1) h.sim.expireAccessTokens();
    }
    h.sim.revokeRefreshToken();
    await h.tokens.delete('workday');
    const error = await rejectionOf(h.client().probe('suppliers'));

    const basic = Buffer.from(`${OAUTH.clientId}:${OAUTH.clientSecret}`).toString('base64');
    expect(seen.size).toBeGreaterThanOrEqual(5);
    expectNoSecret(JSON.stringify(h.logger.entries), [...seen, basic]);
    expectNoSecret(errorText(error), [...seen, basic]);
  });
});
