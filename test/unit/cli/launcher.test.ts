import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('bin/ml-connector.js', () => {
  it('runs validate on plain Node through the tsx launcher and exits 0', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['bin/ml-connector.js', 'validate', '--config', 'examples/customers/acme-builders.json'],
      { cwd: process.cwd(), timeout: 30_000 },
    );

    expect(stdout).toContain('✓ examples/customers/acme-builders.json is valid: customer acme-builders');
    expect(stderr).toBe('');
  });
});
