import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSandbox, startCliSandbox } from './cli-sandbox';

describe('ml-connector secrets set, against the sandbox', () => {
  let cli: CliSandbox;
  beforeAll(async () => {
    cli = await startCliSandbox();
  });
  afterAll(async () => {
    await cli.close();
  });

  const credentials = () => {
    const c = cli.sandbox.credentials;
    return {
      workday: { username: c.WORKDAY_USERNAME, password: c.WORKDAY_PASSWORD },
      procore: { clientId: c.PROCORE_CLIENT_ID, clientSecret: c.PROCORE_CLIENT_SECRET },
    };
  };
  const stateDir = () => join(cli.dir, '.ml-connector');

  it('stores each system from stdin, encrypted under a 0600 key file, and never prints or stores them in clear', async () => {
    for (const system of ['workday', 'procore'] as const) {
      const { code, stdout, stderr } = await cli.run(['secrets', 'set', '--system', system], {
        env: {},
        stdin: JSON.stringify(credentials()[system]),
      });

      expect(code).toBe(0);
      expect(stdout).toContain(`Stored the ${system === 'workday' ? 'Workday isu' : 'Procore'} credentials`);
      expect(`${stdout}${stderr}`).not.toContain(Object.values(credentials()[system])[1]);
    }
    const key = join(stateDir(), 'summit-builders-sandbox.db.key');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const bytes = readdirSync(stateDir())
      .filter((f) => f.startsWith('summit-builders-sandbox.db'))
      .map((f) => readFileSync(join(stateDir(), f)).toString('latin1'))
      .join('');
    expect(bytes).not.toContain(credentials().workday.password);
    expect(bytes).not.toContain(credentials().procore.clientSecret);
  });

  it('lets a sync run with the credential variables removed from the environment', async () => {
    const { code, body } = await cli.json<{ outcomes: Record<string, number> }>(['sync', '--until-idle'], { env: {} });

    expect(code).toBe(1);
    expect(body.outcomes.written).toBeGreaterThan(100);
  });

  it('prefers the store over the environment', async () => {
    const env = { ...cli.sandbox.credentials, PROCORE_CLIENT_SECRET: 'stale-secret-in-env' };

    const { code } = await cli.run(['ping'], { env });

    expect(code).toBe(0);
  });

  it('answers JSON without a required field with bad usage naming the field (exit 2)', async () => {
    const { code, stderr } = await cli.run(['secrets', 'set', '--system', 'procore'], {
      stdin: JSON.stringify({ clientId: 'only-the-id' }),
    });

    expect(code).toBe(2);
    expect(stderr).toContain('$.clientSecret');
  });

  it('answers input that is not JSON with bad usage, without echoing it (exit 2)', async () => {
    const { code, stderr } = await cli.run(['secrets', 'set', '--system', 'workday'], { stdin: 'password=hunter2' });

    expect(code).toBe(2);
    expect(stderr).toContain('stdin is not valid JSON');
    expect(stderr).not.toContain('hunter2');
  });

  it('refuses an unknown key rather than storing it', async () => {
    const input = { ...credentials().procore, refreshToken: 'x' };

    const { code, stderr } = await cli.run(['secrets', 'set', '--system', 'procore'], { stdin: JSON.stringify(input) });

    expect(code).toBe(2);
    expect(stderr).toContain('refreshToken');
  });
});
