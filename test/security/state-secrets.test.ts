import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { unseal } from '../../lambdas/adapters/local/secrets';
import { type Sandbox, startSandbox } from '../../sandbox';
import { runCli } from '../unit/cli/capture-io';

/**
 * Invariant 6 (README, "Invariants"): no credential or token leaves its store in clear text. A full sync runs through
 * the CLI at debug level in each Workday auth mode; then every printed line, every column of every table of the
 * state database, the database's raw bytes (WAL included) and the key file are searched for every secret the
 * run knew or was issued, in clear and in base64.
 */

interface Setup {
  sandbox: Sandbox;
  dir: string;
  config: string;
  printed: string[];
  run(args: string[], env?: Record<string, string>, stdin?: string): Promise<{ code: number; stdout: string }>;
}

let current: Setup | undefined;
afterEach(async () => {
  await current?.sandbox.close();
  if (current) rmSync(current.dir, { recursive: true, force: true });
  current = undefined;
});

async function setUp(workdayAuth: 'isu' | 'oauth', seed: number): Promise<Setup> {
  const sandbox = await startSandbox({
    scale: 'small',
    seed,
    workdayAuth,
    rotateRefreshTokens: workdayAuth === 'oauth',
    rateLimit: { hourly: 1_000_000, spike: 100_000 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'mlc-secrets-'));
  const config = await sandbox.writeConfig(dir, { retry: { maxAttempts: 5, baseDelaySeconds: 1 } });
  const printed: string[] = [];
  const setup: Setup = {
    sandbox,
    dir,
    config,
    printed,
    async run(args, env = {}, stdin = '') {
      const result = await runCli([...args, '--config', config], {
        io: { env: { ML_CONNECTOR_LOG_LEVEL: 'debug', ...env }, cwd: dir, stdin: async () => stdin },
      });
      printed.push(result.stdout, result.stderr);
      return result;
    },
  };
  current = setup;
  return setup;
}

/** The state file and everything beside it that SQLite or the store writes (`-wal`, `-shm`, `.key`). */
function stateFiles(dir: string): string[] {
  const state = join(dir, '.ml-connector');
  return readdirSync(state).map((f) => join(state, f));
}

function statePath(dir: string): string {
  const db = stateFiles(dir).find((f) => f.endsWith('.db'));
  if (!db) throw new Error('no state database');
  return db;
}

/** Every value in every column of every table, as text. */
function everyCell(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['audit', 'ledger', 'runs', 'messages', 'secrets', 'tokens']));
    return tables.flatMap((table) =>
      db
        .prepare(`SELECT * FROM "${table}"`)
        .raw()
        .all()
        .flatMap((row) =>
          (row as unknown[]).map((cell) => (Buffer.isBuffer(cell) ? cell.toString('latin1') : String(cell))),
        ),
    );
  } finally {
    db.close();
  }
}

/** The sealed rows of the local store, opened with its key file: what the connector holds, decrypted. */
function unsealed(path: string): { secrets: Record<string, Record<string, string>>; tokens: string[] } {
  const key = Buffer.from(readFileSync(`${path}.key`, 'utf8').trim(), 'base64');
  const db = new Database(path, { readonly: true });
  try {
    const secrets = Object.fromEntries(
      db
        .prepare<[], { system: string; sealed: string }>('SELECT system, sealed FROM secrets')
        .all()
        .map((r) => [r.system, JSON.parse(unseal(key, r.sealed, `secret:${r.system}`)) as Record<string, string>]),
    );
    const tokens = db
      .prepare<[], { name: string; sealed: string }>('SELECT name, sealed FROM tokens')
      .all()
      .map((r) => (JSON.parse(unseal(key, r.sealed, `token:${r.name}`)) as { accessToken: string }).accessToken);
    return { secrets, tokens };
  } finally {
    db.close();
  }
}

/** A secret, and the forms it travels in: clear, base64 (and with its client id, as in Basic auth). */
function formsOf(secret: string, id?: string): string[] {
  const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
  if (id !== undefined) forms.push(Buffer.from(`${id}:${secret}`).toString('base64'));
  return forms;
}

/** Asserts that no form of any secret is in the printed output, any cell, the raw state files or the key file. */
function expectNowhere(setup: Setup, secrets: Record<string, string[]>): void {
  const path = statePath(setup.dir);
  const cells = everyCell(path).join('\n');
  const printed = setup.printed.join('\n');
  const files = stateFiles(setup.dir).map((f) => [f, readFileSync(f)] as const);
  for (const [what, forms] of Object.entries(secrets)) {
    for (const form of forms) {
      expect(form.length, what).toBeGreaterThanOrEqual(8);
      expect(printed.includes(form), `${what} printed`).toBe(false);
      expect(cells.includes(form), `${what} in a database cell`).toBe(false);
      for (const [file, bytes] of files) expect(bytes.includes(Buffer.from(form)), `${what} in ${file}`).toBe(false);
    }
  }
}

function procoreTokens(sandbox: Sandbox): string[] {
  return [...sandbox.procore.state.db.tokens.keys()];
}

describe('secrets at rest and in output after a full sync', () => {
  it('ISU: credentials set through `secrets set` stay sealed in the store and appear nowhere in clear', async () => {
    const setup = await setUp('isu', 11);
    const env = setup.sandbox.credentials;
    const workday = { username: env.WORKDAY_USERNAME, password: env.WORKDAY_PASSWORD };
    const procore = { clientId: env.PROCORE_CLIENT_ID, clientSecret: env.PROCORE_CLIENT_SECRET };

    expect((await setup.run(['secrets', 'set', '--system', 'workday'], {}, JSON.stringify(workday))).code).toBe(0);
    expect((await setup.run(['secrets', 'set', '--system', 'procore'], {}, JSON.stringify(procore))).code).toBe(0);
    // No credential in the environment: the run reads them from the encrypted store.
    const first = await setup.run(['sync', '--until-idle', '--json']);
    const second = await setup.run(['sync', '--until-idle', '--json']);

    expect([0, 1]).toContain(first.code);
    expect([0, 1]).toContain(second.code);
    expect(JSON.parse(first.stdout).outcomes.written).toBeGreaterThan(0);
    const path = statePath(setup.dir);
    // The search covers what it claims: debug lines were printed, and the run records are among the cells and bytes.
    const { runId } = JSON.parse(first.stdout) as { runId: string };
    expect(setup.printed.join('\n')).toContain('"level":"debug"');
    expect(everyCell(path).join('\n')).toContain(runId);
    expect(stateFiles(setup.dir).some((f) => readFileSync(f).includes(Buffer.from(runId)))).toBe(true);
    const held = unsealed(path);
    expect(held.secrets.workday?.password).toBe(workday.password);
    expect(held.secrets.procore?.clientSecret).toBe(procore.clientSecret);
    expect(held.tokens.length).toBeGreaterThan(0);
    expectNowhere(setup, {
      'Workday password': formsOf(String(workday.password), workday.username),
      'Procore client secret': formsOf(String(procore.clientSecret), procore.clientId),
      ...Object.fromEntries(held.tokens.map((t, i) => [`cached access token ${i}`, formsOf(t)])),
      ...Object.fromEntries(procoreTokens(setup.sandbox).map((t, i) => [`Procore access token ${i}`, formsOf(t)])),
    });
    expect(statSync(`${path}.key`).mode & 0o777).toBe(0o600);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('OAuth: a refresh token Workday rotates is persisted sealed, and no token, old or new, appears in clear', async () => {
    const setup = await setUp('oauth', 12);
    const env = setup.sandbox.credentials;
    const seedRefreshToken = String(env.WORKDAY_REFRESH_TOKEN);

    const first = await setup.run(['sync', '--until-idle', '--json'], env);
    // Every access token expires: the next run must refresh with the rotated token from the store.
    setup.sandbox.workday.expireAccessTokens();
    const second = await setup.run(['sync', '--until-idle', '--json'], env);

    expect([0, 1]).toContain(first.code);
    expect([0, 1]).toContain(second.code);
    const rotated = setup.sandbox.workday.currentRefreshToken();
    expect(rotated).not.toBe(seedRefreshToken);
    const held = unsealed(statePath(setup.dir));
    expect(held.secrets.workday?.refreshToken).toBe(rotated);
    expectNowhere(setup, {
      'seed refresh token': formsOf(seedRefreshToken),
      'rotated refresh token': formsOf(rotated),
      'Workday client secret': formsOf(String(env.WORKDAY_CLIENT_SECRET), env.WORKDAY_CLIENT_ID),
      'Procore client secret': formsOf(String(env.PROCORE_CLIENT_SECRET), env.PROCORE_CLIENT_ID),
      ...Object.fromEntries(held.tokens.map((t, i) => [`cached access token ${i}`, formsOf(t)])),
      ...Object.fromEntries(procoreTokens(setup.sandbox).map((t, i) => [`Procore access token ${i}`, formsOf(t)])),
    });
  });

  it('rejected credentials: the failed run names the problem without echoing the secret it was given', async () => {
    const setup = await setUp('isu', 13);
    const wrongPassword = 'Wrong-Distinctive-Pa55word!';
    const wrongSecret = 'wrong-distinctive-procore-secret-0042';

    const workday = await setup.run(['sync', '--json'], {
      ...setup.sandbox.credentials,
      WORKDAY_PASSWORD: wrongPassword,
    });
    const procore = await setup.run(['sync', '--json'], {
      ...setup.sandbox.credentials,
      PROCORE_CLIENT_SECRET: wrongSecret,
    });
    const badInput = await setup.run(
      ['secrets', 'set', '--system', 'procore'],
      {},
      `{"clientSecret": "${wrongSecret}"`,
    );

    expect(workday.code).toBe(3);
    expect(procore.code).toBe(3);
    expect(procore.stdout).toMatch(/Procore refused the client credentials/);
    expect(badInput.code).toBe(2);
    expect(setup.printed.join('\n')).toMatch(/credentials/i);
    expect(existsSync(statePath(setup.dir))).toBe(true);
    expectNowhere(setup, {
      'wrong Workday password': formsOf(wrongPassword),
      'wrong Procore secret': formsOf(wrongSecret),
      'Workday password': formsOf(String(setup.sandbox.credentials.WORKDAY_PASSWORD)),
      'Procore client secret': formsOf(String(setup.sandbox.credentials.PROCORE_CLIENT_SECRET)),
    });
  });
});
