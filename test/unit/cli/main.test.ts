import { describe, expect, it } from 'vitest';
import {
  type CommandHandler,
  type CommandHandlers,
  EXIT,
  type ReplayOptions,
  type StatusOptions,
  UsageError,
} from '../../../cli/command';
import { commandHandlers } from '../../../cli/commands/index';
import { ConfigError } from '../../../lambdas/shared/errors';
import { runCli } from './capture-io';

const HELP: [string[], string[]][] = [
  [['demo'], ['--json']],
  [['sandbox'], ['--port', '--seed', '--scale', 'enterprise', '--faults', 'heavy']],
  [['validate'], ['--config']],
  [['ping'], ['--config', '--state', '--json']],
  [['sync'], ['--config', '--state', '--dry-run', '--until-idle', '--json']],
  [['status'], ['--config', '--state', '--aws', '--customer', '--json']],
  [
    ['replay'],
    ['--config', '--state', '--key', '--status', 'deadLettered', '--since', '--aws', '--customer', '--json'],
  ],
  [['report'], ['--config', '--state', '--aws', '--customer', '--json']],
  [
    ['secrets', 'set'],
    ['--config', '--state', '--system', 'workday', 'procore', '--aws', '--customer'],
  ],
];

/** Handlers that record the options they were given and succeed. */
function recordingHandlers(): { handlers: CommandHandlers; calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const record = <Options>(name: string): CommandHandler<Options> => {
    return async (options) => {
      calls.push([name, options]);
      return EXIT.ok;
    };
  };
  const handlers: CommandHandlers = {
    demo: record('demo'),
    sandbox: record('sandbox'),
    validate: record('validate'),
    ping: record('ping'),
    sync: record('sync'),
    status: record('status'),
    replay: record('replay'),
    report: record('report'),
    secretsSet: record('secretsSet'),
  };
  return { handlers, calls };
}

describe('main()', () => {
  it('prints the command list and exit codes for --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);

    expect(code).toBe(0);
    for (const name of ['demo', 'sandbox', 'validate', 'ping', 'sync', 'status', 'replay', 'report', 'secrets']) {
      expect(stdout).toContain(name);
    }
    expect(stdout).toContain('Exit codes');
  });

  it.each(HELP)('prints help for %j with a description and its flags', async (command, flags) => {
    const { code, stdout, stderr } = await runCli([...command, '--help']);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Usage: ml-connector ${command.join(' ')} [options]`);
    for (const flag of flags) expect(stdout).toContain(flag);
  });

  it('exits 2 on an unknown command', async () => {
    const { code, stderr } = await runCli(['synk']);

    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'synk'/);
  });

  it('exits 2 on an unknown option', async () => {
    const { code, stderr } = await runCli(['sync', '--config', 'x.json', '--dryrun']);

    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option '--dryrun'/);
  });

  it('exits 2 without a command', async () => {
    const { code, stderr } = await runCli([]);

    expect(code).toBe(2);
    expect(stderr).toContain('Usage: ml-connector');
  });

  it.each([['validate'], ['ping'], ['sync'], ['status'], ['report'], ['secrets', 'set', '--system', 'workday']])(
    'exits 2 when %j misses --config',
    async (...command) => {
      const { code, stderr } = await runCli(command);

      expect(code).toBe(2);
      expect(stderr).toMatch(/'--config <file>' not specified/);
    },
  );

  it.each([
    [['sandbox', '--scale', 'huge']],
    [['sandbox', '--port', 'eighty']],
    [['sandbox', '--port', '70000']],
    [['secrets', 'set', '--config', 'x.json']],
    [['secrets', 'set', '--config', 'x.json', '--system', 'sap']],
    [['replay', '--config', 'x.json']],
    [['replay', '--config', 'x.json', '--key', 'invoice:1', '--status', 'quarantined']],
    [['replay', '--config', 'x.json', '--key', 'order:1']],
    [['replay', '--config', 'x.json', '--status', 'failed']],
    [['replay', '--config', 'x.json', '--status', 'quarantined', '--since', 'yesterday']],
    [['status', '--aws']],
    [['status', '--customer', 'acme-builders']],
    [['status', '--aws', '--customer', 'Acme']],
    [['status', '--aws', '--customer', 'acme-builders', '--config', 'x.json']],
    [['validate', '--config', 'x.json', '--json']],
    [['validate', '--config', 'x.json', 'extra']],
  ])('exits 2 on bad usage %j', async (args) => {
    const { handlers, calls } = recordingHandlers();

    const { code, stderr } = await runCli(args, { handlers });

    expect(code).toBe(2);
    expect(stderr).toMatch(/error/);
    expect(calls).toEqual([]);
  });

  it('passes parsed, typed options to the handler', async () => {
    const { handlers, calls } = recordingHandlers();

    await runCli(['sync', '--config', 'c.json', '--state', 's.db', '--dry-run', '--json'], { handlers });
    await runCli(['sandbox', '--port', '0', '--seed', '7'], { handlers });
    await runCli(
      ['replay', '--aws', '--customer', 'acme-builders', '--status', 'deadLettered', '--since', '2026-03-01'],
      {
        handlers,
      },
    );
    await runCli(['secrets', 'set', '--config', 'c.json', '--system', 'workday'], { handlers });

    expect(calls).toEqual([
      [
        'sync',
        { target: { kind: 'local', config: 'c.json', state: 's.db' }, dryRun: true, untilIdle: false, json: true },
      ],
      ['sandbox', { port: 0, seed: 7, scale: 'firm', faults: 'none' }],
      [
        'replay',
        {
          target: { kind: 'aws', customerId: 'acme-builders' },
          select: { status: 'deadLettered' },
          since: '2026-03-01T00:00:00.000Z',
          json: false,
        },
      ],
      ['secretsSet', { target: { kind: 'local', config: 'c.json', state: undefined }, system: 'workday' }],
    ]);
  });

  it('returns the exit code the handler returns', async () => {
    const report: CommandHandler<StatusOptions> = async () => EXIT.notRight;

    const { code } = await runCli(['report', '--config', 'c.json'], { handlers: { ...commandHandlers, report } });

    expect(code).toBe(1);
  });

  it('turns a ConfigError from a handler into exit 2 with every problem on stderr', async () => {
    const status: CommandHandler<StatusOptions> = async () => {
      throw new ConfigError('c.json', [{ path: '$.customerId', message: 'bad' }], { context: { source: 'c.json' } });
    };

    const { code, stdout, stderr } = await runCli(['status', '--config', 'c.json'], {
      handlers: { ...commandHandlers, status },
    });

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('✗ c.json is invalid (1 problem):\n  $.customerId: bad\n');
  });

  it('turns a UsageError from a handler into exit 2', async () => {
    const replay: CommandHandler<ReplayOptions> = async () => {
      throw new UsageError('the audit trail has no record invoice:nope');
    };

    const { code, stderr } = await runCli(['replay', '--config', 'c.json', '--key', 'invoice:nope'], {
      handlers: { ...commandHandlers, replay },
    });

    expect(code).toBe(2);
    expect(stderr).toBe('ml-connector replay: the audit trail has no record invoice:nope\n');
  });

  it('turns any other failure into exit 3 and, with --json, still prints one JSON object', async () => {
    const status: CommandHandler<StatusOptions> = async () => {
      throw new Error('state database is locked');
    };

    const { code, stdout, stderr } = await runCli(['status', '--config', 'c.json', '--json'], {
      handlers: { ...commandHandlers, status },
    });

    expect(code).toBe(3);
    expect(stderr).toBe('ml-connector status: state database is locked\n');
    expect(JSON.parse(stdout)).toEqual({ error: { code: 'FAILED', message: 'state database is locked' } });
  });

  it('prints the version', async () => {
    const { code, stdout } = await runCli(['--version']);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
