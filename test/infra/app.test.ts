import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadCustomers } from '../../lambdas/config/customers';
import { ConfigError } from '../../lambdas/shared/errors';
import { EXAMPLES } from '../helpers/aws/cdk-app';

const root = new URL('../..', import.meta.url).pathname;
const dirWith = (files: Record<string, unknown>) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-customers-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
  return dir;
};

describe('loadCustomers()', () => {
  it('reads every example customer, validated', async () => {
    const customers = await loadCustomers(EXAMPLES);
    expect(customers.map((c) => c.config.customerId)).toEqual(['acme-builders', 'summit-contracting']);
    expect(customers[0]?.config.retry).toEqual({ maxAttempts: 5, baseDelaySeconds: 30 });
  });

  it('fails on a bad file with the config error, naming the file and each path', async () => {
    const dir = dirWith({ 'broken.json': { customerId: 'Broken!', schedule: { rateMinutes: 1 } } });
    const error = await loadCustomers(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toContain(join(dir, 'broken.json'));
    expect(String(error)).toMatch(/\$\.customerId[\s\S]*\$\.schedule\.rateMinutes/);
  });

  it('refuses two files for one customer and a directory without configs', async () => {
    const { readFile } = await import('node:fs/promises');
    const acme = JSON.parse(await readFile(join(EXAMPLES, 'acme-builders.json'), 'utf8')) as Record<string, unknown>;
    await expect(loadCustomers(dirWith({ 'a.json': acme, 'b.json': acme }))).rejects.toThrow(
      /both configure customer acme-builders/,
    );
    await expect(loadCustomers(dirWith({}))).rejects.toThrow(/no customer config/);
  });
});

describe('bin/app.ts', () => {
  it('stops `cdk synth` with the config error when the customers directory holds a bad file', async () => {
    const dir = dirWith({ 'broken.json': { customerId: 'x' } });
    const run = promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['bin/app.ts'], {
      cwd: root,
      // How the CDK CLI hands `-c customers=…` to the app.
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ customers: dir }) },
    });
    const failure = await run.then(
      () => undefined,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toContain(`${join(dir, 'broken.json')} is invalid`);
    expect(failure?.stderr).toMatch(/\$\.customerId: must be 2–40 lowercase/);
  });
});
