import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { CustomerConfigLayer } from '../../lib/constructs/customer-config-layer';
import { PipelineFunction } from '../../lib/constructs/pipeline-function';
import { startSandbox } from '../../sandbox/index';
import { buildTestApp, EXAMPLES, TEST_ENV } from '../helpers/aws/cdk-app';

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

describe('synthesis', () => {
  it('puts no credential into any template or asset, even with every credential variable set', async () => {
    const sandbox = await startSandbox({ scale: 'small' });
    const saved = { ...process.env };
    try {
      Object.assign(process.env, sandbox.credentials);
      const { app, outdir } = await buildTestApp();
      app.synth();
      const written = filesUnder(outdir).map((file) => readFileSync(file, 'utf8'));
      expect(written.length).toBeGreaterThan(4);
      for (const value of Object.values(sandbox.credentials)) {
        for (const text of written) expect(text).not.toContain(value);
      }
    } finally {
      process.env = saved;
      await sandbox.close();
    }
  });

  it('bundles a handler into one ESM file with a source map and no SQLite, which loads and asks for its environment', async () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Bundle', { env: TEST_ENV });
    const config = new CustomerConfigLayer(stack, 'Config', {
      customerId: 'acme-builders',
      configPath: join(EXAMPLES, 'acme-builders.json'),
    });
    new PipelineFunction(stack, 'Writer', {
      handler: 'writer',
      description: 'bundle check',
      config,
      timeout: Duration.minutes(1),
      serviceName: 'ml-connector',
    });
    const assembly = app.synth();
    const bundle = readdirSync(assembly.directory)
      .map((dir) => join(assembly.directory, dir, 'index.mjs'))
      .find((file) => existsSync(file));
    expect(bundle).toBeDefined();
    const path = bundle ?? '';
    expect(existsSync(`${path}.map`)).toBe(true);
    const code = readFileSync(path, 'utf8');
    expect(code).not.toContain('better-sqlite3');
    expect(code.length).toBeLessThan(2_000_000);
    // Plain Node, no environment: the module loads, then its environment check names what is missing.
    const failure = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(path).href)})`],
      {
        env: {},
      },
    ).then(
      () => undefined,
      (e: unknown) => e as { stderr: string },
    );
    expect(failure?.stderr).toMatch(/the function environment is invalid/);
    expect(failure?.stderr).toMatch(/WRITES_QUEUE_URL: not set/);
    expect(failure?.stderr).toMatch(/PROCORE_SECRET_ID: not set/);
  });
});
