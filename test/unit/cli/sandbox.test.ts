import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandHandlers } from '../../../cli/commands/index';
import { createSandboxCommand } from '../../../cli/commands/sandbox';
import { main } from '../../../cli/main';
import { loadCustomerConfig } from '../../../lambdas/config/loader';
import { captureIo, runCli } from './capture-io';

async function until(ready: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the sandbox');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ml-connector sandbox', () => {
  let cwd: string;
  let stop: AbortController;
  let capture: ReturnType<typeof captureIo>;
  let exit: Promise<number>;
  let lines: string[];

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'ml-connector-cli-sandbox-'));
    stop = new AbortController();
    capture = captureIo({ cwd });
    const handlers = { ...commandHandlers, sandbox: createSandboxCommand({ stop: stop.signal }) };
    exit = main(
      ['node', 'ml-connector', 'sandbox', '--port', '0', '--seed', '9', '--scale', 'small'],
      capture.io,
      handlers,
    );
    await until(() => capture.stdout().includes('export PROCORE_CLIENT_SECRET='));
    lines = capture.stdout().trimEnd().split('\n');
  });

  afterAll(async () => {
    stop.abort();
    await exit;
    await rm(cwd, { recursive: true, force: true });
  });

  const exported = (): Record<string, string> =>
    Object.fromEntries(
      lines.flatMap((line) => {
        const match = /^export (\w+)=(\S+)$/.exec(line);
        return match?.[1] && match[2] ? [[match[1], match[2]]] : [];
      }),
    );

  it('prints the base URL, then config: PATH, then one export line per credential variable', () => {
    expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toBe(`config: ${join(cwd, '.ml-connector', 'sandbox', 'summit-builders-sandbox.json')}`);
    expect(lines.slice(2).map((l) => l.split('=')[0])).toEqual([
      'export WORKDAY_USERNAME',
      'export WORKDAY_PASSWORD',
      'export PROCORE_CLIENT_ID',
      'export PROCORE_CLIENT_SECRET',
    ]);
    expect(capture.stderr()).toContain('small scale, seed 9');
  });

  it('writes a config that validate accepts, pointing at the printed URL', async () => {
    const path = (lines[1] ?? '').replace(/^config: /, '');

    const config = await loadCustomerConfig(path);
    const validated = await runCli(['validate', '--config', path]);

    expect(config.workday.baseUrl).toBe(lines[0]);
    expect(config.procore.apiBaseUrl).toBe(lines[0]);
    expect(validated.code).toBe(0);
  });

  it('answers a Procore token request made with the printed credentials', async () => {
    const env = exported();

    const reply = await fetch(`${lines[0]}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: env.PROCORE_CLIENT_ID,
        client_secret: env.PROCORE_CLIENT_SECRET,
      }),
    });

    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { token_type: string }).token_type).toBe('bearer');
  });

  it('closes cleanly and exits 0 when stopped', async () => {
    stop.abort();

    expect(await exit).toBe(0);
    expect(capture.stderr()).toContain('Sandbox stopped.');
    await expect(fetch(`${lines[0]}/oauth/token`, { method: 'POST' })).rejects.toThrow();
  });
});
