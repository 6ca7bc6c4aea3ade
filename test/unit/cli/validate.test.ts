import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfigInput } from '../config/build-config';
import { runCli } from './capture-io';

describe('ml-connector validate', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-connector-validate-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function writeConfig(name: string, content: unknown): Promise<void> {
    await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }

  it.each([
    ['acme-builders', 2, 'isu'],
    ['summit-contracting', 4, 'oauth'],
  ])('confirms the %s example on stdout and exits 0', async (customer, rules, auth) => {
    const { code, stdout, stderr } = await runCli(['validate', '--config', `examples/customers/${customer}.json`]);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      `✓ examples/customers/${customer}.json is valid: customer ${customer}, ${rules} project rules, Workday auth ${auth}\n`,
    );
  });

  it('resolves --config against the working directory it is given', async () => {
    await writeConfig('one-rule.json', buildConfigInput());

    const { code, stdout } = await runCli(['validate', '--config', 'one-rule.json'], { io: { cwd: dir } });

    expect(code).toBe(0);
    expect(stdout).toContain('1 project rule,');
  });

  it('names a misspelt key with its JSON path and the key it meant, exit 2', async () => {
    const input = buildConfigInput();
    await writeConfig('typo.json', { ...input, workday: { ...input.workday, pageSze: 500 } });

    const { code, stdout, stderr } = await runCli(['validate', '--config', 'typo.json'], { io: { cwd: dir } });

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('$.workday.pageSze: unknown key (did you mean "pageSize"?)');
  });

  it('reports every problem in one message', async () => {
    await writeConfig('many.json', {
      ...buildConfigInput({ customerId: 'ACME', schedule: { rateMinutes: 2 } }),
      invoices: { poBacked: 'both' },
    });

    const { code, stderr } = await runCli(['validate', '--config', 'many.json'], { io: { cwd: dir } });

    expect(code).toBe(2);
    expect(stderr).toMatch(/^✗ many\.json is invalid \(3 problems\):\n/);
    expect(stderr).toContain('  $.customerId: must be 2–40 lowercase letters, digits or "-" (got "ACME")\n');
    expect(stderr).toContain('  $.schedule.rateMinutes: must be between 5 and 1440 (got 2)\n');
    expect(stderr).toContain('  $.invoices.poBacked: must be one of "requisition", "directCost" (got "both")\n');
  });

  it('exits 2 with a clear message when the file does not exist', async () => {
    const { code, stderr } = await runCli(['validate', '--config', 'nowhere.json'], { io: { cwd: dir } });

    expect(code).toBe(2);
    expect(stderr).toBe('✗ nowhere.json: file not found\n');
  });

  it('exits 2 with the line and column of a JSON syntax error', async () => {
    await writeConfig('syntax.json', '{\n  "customerId": "acme",,\n}\n');

    const { code, stderr } = await runCli(['validate', '--config', 'syntax.json'], { io: { cwd: dir } });

    expect(code).toBe(2);
    expect(stderr).toMatch(/^✗ syntax\.json: not valid JSON at line 2, column 24: /);
  });
});
