import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJsonPath, loadCustomerConfig, parseCustomerConfig } from '../../../lambdas/config/loader';
import { ConfigError, type ConfigIssue } from '../../../lambdas/shared/errors';
import { buildConfigInput } from './build-config';

const EXAMPLES = ['examples/customers/acme-builders.json', 'examples/customers/summit-contracting.json'];

function issuesOf(run: () => unknown): readonly ConfigIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function issuesFor(input: unknown): readonly ConfigIssue[] {
  return issuesOf(() => parseCustomerConfig(input, 'test.json'));
}

describe('loadCustomerConfig()', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-connector-config-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(EXAMPLES)('accepts the shipped example %s', async (path) => {
    const config = await loadCustomerConfig(path);

    expect(config.customerId).toMatch(/^[a-z0-9-]+$/);
  });

  it('reads the acme example (examples/customers/acme-builders.json)', async () => {
    const config = await loadCustomerConfig('examples/customers/acme-builders.json');

    expect(config.workday.auth).toBe('isu');
    expect(config.mapping.projects.map((rule) => rule.procoreProjectId)).toEqual([5001, 5002]);
    expect(config.invoices.poBacked).toBe('requisition');
  });

  it('reads the summit example with OAuth, direct costs and charges on a cost code', async () => {
    const config = await loadCustomerConfig('examples/customers/summit-contracting.json');

    expect(config.workday.auth).toBe('oauth');
    expect(config.invoices.poBacked).toBe('directCost');
    expect(config.mapping.charges.costCode).not.toBeNull();
    expect(config.syncFrom).toBeDefined();
  });

  it('resolves a relative path against the given working directory', async () => {
    await writeFile(join(dir, 'relative.json'), JSON.stringify(buildConfigInput()));

    const config = await loadCustomerConfig('relative.json', { cwd: dir });

    expect(config.customerId).toBe('acme-builders');
  });

  it('names the file, line and column of a JSON syntax error', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{\n  "customerId": "acme",\n  "schedule": { "rateMinutes": 30 }\n  "workday": {}\n}\n');

    const error = await loadCustomerConfig(path).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error instanceof Error && error.message)).toContain(path);
    expect(error instanceof ConfigError && error.issues[0]?.message).toMatch(/not valid JSON at line 4, column 3/);
  });

  it('locates an unexpected token that Node reports without a position', async () => {
    const path = join(dir, 'token.json');
    await writeFile(path, '{\n  "a": 1,\n  "b": tru }');

    const error = await loadCustomerConfig(path).catch((caught: unknown) => caught);

    expect(error instanceof ConfigError && error.issues[0]?.message).toMatch(/line 3, column \d+: Unexpected token/);
  });

  it('says a missing file is not found', async () => {
    const error = await loadCustomerConfig(join(dir, 'missing.json')).catch((caught: unknown) => caught);

    expect(error instanceof ConfigError && error.issues).toEqual([
      { path: '$', message: expect.stringMatching(/not found/) },
    ]);
  });

  it('says an empty file is empty', async () => {
    const path = join(dir, 'empty.json');
    await writeFile(path, '\n');

    const error = await loadCustomerConfig(path).catch((caught: unknown) => caught);

    expect(error instanceof ConfigError && error.issues[0]?.message).toBe('file is empty');
  });

  it('ignores a byte-order mark', async () => {
    const path = join(dir, 'bom.json');
    await writeFile(path, `\uFEFF${JSON.stringify(buildConfigInput())}`);

    await expect(loadCustomerConfig(path)).resolves.toMatchObject({ customerId: 'acme-builders' });
  });
});

describe('parseCustomerConfig()', () => {
  it('applies every default', () => {
    const config = parseCustomerConfig(buildConfigInput(), 'test.json');

    expect(config.workday.pageSize).toBe(999);
    expect(config.workday.invoiceLookbackDays).toBe(120);
    expect(config.procore.authBaseUrl).toBe('https://login.procore.com');
    expect(config.procore.apiBaseUrl).toBe('https://api.procore.com');
    expect(config.invoices.poBacked).toBe('requisition');
    expect(config.retry).toEqual({ maxAttempts: 5, baseDelaySeconds: 30 });
    expect(config.purchaseOrders.statusMap).toEqual({
      Approved: 'Approved',
      Issued: 'Approved',
      Closed: 'Closed',
      Canceled: 'Closed',
    });
    expect(config.mapping.costCodes).toEqual({ worktagType: 'Custom_Worktag_1_ID', map: {}, default: null });
    expect(config.mapping.costTypes.bySpendCategory).toEqual({});
    expect(config.mapping.charges).toEqual({ costCode: null, costType: 'O' });
  });

  it('allows $schema at the top level', () => {
    const config = parseCustomerConfig({ $schema: '../../customer-config.schema.json', ...buildConfigInput() }, 'x');

    expect(config.customerId).toBe('acme-builders');
  });

  it('rejects a misspelt key and suggests the allowed one', () => {
    const input = buildConfigInput();
    const issues = issuesFor({ ...input, workday: { ...input.workday, pageSze: 500 } });

    expect(issues).toEqual([{ path: '$.workday.pageSze', message: 'unknown key (did you mean "pageSize"?)' }]);
  });

  it('lists the allowed keys when no key is close to an unknown one', () => {
    const issues = issuesFor({ ...buildConfigInput(), credentials: {} });

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('$.credentials');
    expect(issues[0]?.message).toMatch(/^unknown key \(allowed: \$schema, customerId, schedule/);
  });

  it.each(['Acme', 'a', 'acme_builders', 'x'.repeat(41)])('explains the customerId rule for %j', (customerId) => {
    const issues = issuesFor(buildConfigInput({ customerId }));

    expect(issues).toEqual([
      { path: '$.customerId', message: expect.stringContaining('must be 2–40 lowercase letters, digits or "-"') },
    ]);
  });

  it('reports every problem at once, each with its JSON path', () => {
    const input = buildConfigInput();
    const issues = issuesFor({
      ...input,
      customerId: 'Acme Builders',
      schedule: { rateMinutes: 1 },
      workday: { ...input.workday, auth: 'saml' },
      mapping: {
        ...input.mapping,
        projects: [
          { worktag: { type: 'Project_ID', id: 'PRJ-1' }, procoreProjectId: 5001 },
          { worktag: { type: 'Project_ID', id: 'PRJ-2' }, procoreProjectId: 'five' },
        ],
      },
      invoices: { poBacked: 'invoice' },
    });

    expect(issues.map((issue) => issue.path)).toEqual([
      '$.customerId',
      '$.schedule.rateMinutes',
      '$.workday.auth',
      '$.mapping.projects[1].procoreProjectId',
      '$.invoices.poBacked',
    ]);
  });

  it('lists the allowed values of an enum', () => {
    const input = buildConfigInput();
    const issues = issuesFor({ ...input, workday: { ...input.workday, auth: 'saml' } });

    expect(issues[0]?.message).toBe('must be one of "isu", "oauth" (got "saml")');
  });

  it('names a missing required key', () => {
    const { procore: _procore, ...input } = buildConfigInput();

    expect(issuesFor(input)).toEqual([{ path: '$.procore', message: 'required (an object)' }]);
  });

  it.each([
    [4, false],
    [5, true],
    [1440, true],
    [1441, false],
    [7.5, false],
  ])('checks schedule.rateMinutes %d (valid: %s)', (rateMinutes, valid) => {
    const parse = () => parseCustomerConfig(buildConfigInput({ schedule: { rateMinutes } }), 'test.json');

    if (valid) expect(parse().schedule.rateMinutes).toBe(rateMinutes);
    else expect(issuesOf(parse)[0]?.path).toBe('$.schedule.rateMinutes');
  });

  it('states both bounds of rateMinutes', () => {
    const issues = issuesFor(buildConfigInput({ schedule: { rateMinutes: 2 } }));

    expect(issues[0]?.message).toBe('must be between 5 and 1440 (got 2)');
  });

  it.each([
    ['https://api.procore.com', true],
    ['http://localhost:4010', true],
    ['http://127.0.0.1:4010/', true],
    ['http://[::1]:4010', true],
    ['http://api.procore.com', false],
    ['ftp://api.procore.com', false],
    ['not a url', false],
  ])('checks base URL %s (valid: %s)', (apiBaseUrl, valid) => {
    const parse = () => parseCustomerConfig(buildConfigInput({ procore: { companyId: 1, apiBaseUrl } }), 'test.json');

    if (valid) expect(parse().procore.apiBaseUrl).not.toMatch(/\/$/);
    else
      expect(issuesOf(parse)).toEqual([{ path: '$.procore.apiBaseUrl', message: expect.stringMatching(/https:\/\//) }]);
  });

  it('quotes keys that are not identifiers in paths', () => {
    const issues = issuesFor({
      ...buildConfigInput(),
      purchaseOrders: { statusMap: { 'In Progress': 'Started' } },
    });

    expect(issues[0]?.path).toBe('$.purchaseOrders.statusMap["In Progress"]');
    expect(issues[0]?.message).toMatch(/^must be one of "Draft", .*"Closed" \(got "Started"\)$/);
  });

  it('rejects a document that is not an object', () => {
    expect(issuesFor([])).toEqual([{ path: '$', message: 'must be an object (got a list)' }]);
  });
});

describe('formatJsonPath()', () => {
  it('writes indexes in brackets and names after dots', () => {
    expect(formatJsonPath(['mapping', 'projects', 1, 'procoreProjectId'])).toBe(
      '$.mapping.projects[1].procoreProjectId',
    );
  });
});

describe('examples', () => {
  it('acme-builders.json is the documented example', async () => {
    const example: unknown = JSON.parse(await readFile('examples/customers/acme-builders.json', 'utf8'));

    expect(example).toMatchObject({ $schema: '../../customer-config.schema.json', customerId: 'acme-builders' });
  });
});
