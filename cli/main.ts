import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RunStopped } from '../lambdas/pipeline/summary';
import { ConfigError, describeError } from '../lambdas/shared/errors';
import packageJson from '../package.json' with { type: 'json' };
import {
  type CommandHandler,
  type CommandHandlers,
  EXIT,
  type ExitCode,
  type LocalTarget,
  type ReplayOptions,
  type ReplayStatus,
  type SandboxFaults,
  type SandboxScale,
  type SecretSystem,
  type Target,
  UsageError,
} from './command';
import { commandHandlers } from './commands/index';
import { humanOutput, type Io, writeJson } from './io';
import { printSummary } from './output/summary';

/** Runs the CLI on `argv` (shaped like `process.argv`: node, script, arguments) and resolves to its exit code; never throws. */
export async function main(
  argv: readonly string[],
  io: Io,
  handlers: CommandHandlers = commandHandlers,
): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const dispatch = async <Options>(name: string, handler: CommandHandler<Options>, options: Options, json: boolean) => {
    exitCode = await runHandler(io, name, json, () => handler(options, { io }));
  };
  try {
    await buildProgram(io, handlers, dispatch).parseAsync(argv);
  } catch (error) {
    // exitOverride turns every commander exit into a throw: help and --version are 0, any usage error is 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.stderr(`ml-connector: ${describeError(error)}\n`);
    return EXIT.failed;
  }
  return exitCode;
}

type Dispatch = <Options>(
  name: string,
  handler: CommandHandler<Options>,
  options: Options,
  json: boolean,
) => Promise<void>;

interface TargetFlags {
  config?: string | undefined;
  state?: string | undefined;
  aws?: true | undefined;
  customer?: string | undefined;
}

// What commands with a required --config (ping, sync) receive.
interface LocalFlags {
  config: string;
  state?: string | undefined;
}

interface JsonFlag {
  json?: true | undefined;
}

const JSON_HELP = 'print one JSON object on stdout; human output goes to stderr';
const CONFIG_HELP = 'customer config file (JSON)';
const STATE_HELP = 'state database (default: .ml-connector/<customerId>.db under the working directory)';

const EXIT_CODES_HELP = `
Exit codes:
  0  done, nothing left failing
  1  done, but a record (for report a difference, for ping a check) is not right
  2  bad usage or invalid config
  3  the run failed before finishing`;

function buildProgram(io: Io, handlers: CommandHandlers, dispatch: Dispatch): Command {
  const program = new Command('ml-connector')
    .description('Keeps Procore in step with Workday: suppliers, purchase orders, supplier invoices and credit memos.')
    .version(packageJson.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);

  program
    .command('demo')
    .description('run a full sync against the built-in sandbox (a firm with 15 job sites) and print the reconciliation')
    .option('--json', JSON_HELP)
    .action(async (flags: JsonFlag) => {
      const json = flags.json === true;
      await dispatch('demo', handlers.demo, { json }, json);
    });

  program
    .command('sandbox')
    .description('serve the simulated Workday tenant and Procore company on one loopback port until interrupted')
    .addOption(new Option('--port <n>', 'port to listen on (0 picks a free one)').argParser(integerArg(0, 65_535)))
    .addOption(new Option('--seed <n>', 'seed of the generated data').argParser(integerArg(0, 2 ** 31 - 1)))
    .addOption(
      new Option('--scale <scale>', 'size of the simulated firm')
        .choices(['small', 'firm', 'enterprise'])
        .default('firm'),
    )
    .addOption(
      new Option('--faults <level>', 'injected fault rate').choices(['none', 'light', 'heavy']).default('none'),
    )
    .action(async (flags: { port?: number; seed?: number; scale: SandboxScale; faults: SandboxFaults }) => {
      const options = { port: flags.port, seed: flags.seed, scale: flags.scale, faults: flags.faults };
      await dispatch('sandbox', handlers.sandbox, options, false);
    });

  program
    .command('validate')
    .description('check a customer config file offline; lists every problem with its JSON path')
    .requiredOption('--config <file>', CONFIG_HELP)
    .action(async (flags: { config: string }) => {
      await dispatch('validate', handlers.validate, { config: flags.config }, false);
    });

  program
    .command('ping')
    .description('check config, credentials, projects and budget codes against the live Workday and Procore')
    .requiredOption('--config <file>', CONFIG_HELP)
    .option('--state <path>', STATE_HELP)
    .option('--json', JSON_HELP)
    .action(async (flags: LocalFlags & JsonFlag) => {
      const json = flags.json === true;
      await dispatch('ping', handlers.ping, { target: localTarget(flags), json }, json);
    });

  program
    .command('sync')
    .description('run one sync cycle (poll Workday, map, write to Procore) and exit')
    .requiredOption('--config <file>', CONFIG_HELP)
    .option('--state <path>', STATE_HELP)
    .option('--dry-run', 'write nothing to Procore or the state; print what would be done')
    .option('--until-idle', 'wait out retry delays until every record of the cycle is terminal or parked')
    .option('--json', JSON_HELP)
    .action(async (flags: LocalFlags & JsonFlag & { dryRun?: true; untilIdle?: true }) => {
      const json = flags.json === true;
      const options = {
        target: localTarget(flags),
        dryRun: flags.dryRun === true,
        untilIdle: flags.untilIdle === true,
        json,
      };
      await dispatch('sync', handlers.sync, options, json);
    });

  addTargetOptions(
    program
      .command('status')
      .description('show cursors, the last run, record counts, dead letters and the oldest unsynced change'),
  )
    .option('--json', JSON_HELP)
    .action(async (flags: TargetFlags & JsonFlag, command: Command) => {
      const json = flags.json === true;
      await dispatch('status', handlers.status, { target: resolveTarget(command, flags), json }, json);
    });

  addTargetOptions(
    program.command('replay').description('re-run map and write for records from the audit trail (--key or --status)'),
  )
    .addOption(new Option('--key <key>', 'one record, e.g. invoice:<WID>').argParser(recordKeyArg))
    .addOption(
      new Option('--status <status>', 'every record with this outcome')
        .choices(['quarantined', 'deadLettered'])
        .conflicts('key'),
    )
    .addOption(new Option('--since <iso>', 'only records last seen at or after this time').argParser(isoTimestampArg))
    .option('--json', JSON_HELP)
    .action(
      async (flags: TargetFlags & JsonFlag & { key?: string; status?: ReplayStatus; since?: string }, command) => {
        const select = selectReplay(command, flags);
        const json = flags.json === true;
        const options = { target: resolveTarget(command, flags), select, since: flags.since, json };
        await dispatch('replay', handlers.replay, options, json);
      },
    );

  addTargetOptions(
    program
      .command('report')
      .description(
        'reconcile Workday against Procore per project, cost code and cost type, differences traced to records',
      ),
  )
    .option('--json', JSON_HELP)
    .action(async (flags: TargetFlags & JsonFlag, command: Command) => {
      const json = flags.json === true;
      await dispatch('report', handlers.report, { target: resolveTarget(command, flags), json }, json);
    });

  const secrets = program.command('secrets').description('manage the credentials the connector uses');
  addTargetOptions(
    secrets
      .command('set')
      .description('store a JSON credentials object read from stdin (local encrypted store, or AWS with --aws)'),
  )
    .addOption(
      new Option('--system <system>', 'whose credentials these are')
        .choices(['workday', 'procore'])
        .makeOptionMandatory(),
    )
    .action(async (flags: TargetFlags & { system: SecretSystem }, command: Command) => {
      const options = { target: resolveTarget(command, flags), system: flags.system };
      await dispatch('secrets set', handlers.secretsSet, options, false);
    });

  return program;
}

// Commands that also work against a deployed stack take --config/--state or --aws --customer.
function addTargetOptions(command: Command): Command {
  return command
    .option('--config <file>', `${CONFIG_HELP}; or use --aws --customer <id>`)
    .option('--state <path>', STATE_HELP)
    .addOption(
      new Option('--aws', 'work against the stack deployed on AWS (with --customer)').conflicts(['config', 'state']),
    )
    .addOption(
      new Option('--customer <id>', 'customer id of the deployed stack (with --aws)').argParser(customerIdArg),
    );
}

function localTarget(flags: LocalFlags): LocalTarget {
  return { kind: 'local', config: flags.config, state: flags.state };
}

function resolveTarget(command: Command, flags: TargetFlags): Target {
  if (flags.aws === true) {
    if (flags.customer === undefined) usageError(command, "option '--aws' needs '--customer <id>'");
    return { kind: 'aws', customerId: flags.customer };
  }
  if (flags.customer !== undefined) usageError(command, "option '--customer <id>' only applies with '--aws'");
  if (flags.config === undefined) {
    usageError(command, "required option '--config <file>' not specified (or '--aws --customer <id>')");
  }
  return { kind: 'local', config: flags.config, state: flags.state };
}

function selectReplay(command: Command, flags: { key?: string; status?: ReplayStatus }): ReplayOptions['select'] {
  if (flags.key !== undefined) return { key: flags.key };
  if (flags.status !== undefined) return { status: flags.status };
  return usageError(command, "replay needs '--key <key>' or '--status <status>'");
}

function usageError(command: Command, message: string): never {
  return command.error(`error: ${message}`, { exitCode: EXIT.usage, code: 'ml-connector.usage' });
}

function integerArg(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    }
    return parsed;
  };
}

function customerIdArg(value: string): string {
  if (!/^[a-z0-9-]{2,40}$/.test(value))
    throw new InvalidArgumentError('must be 2–40 lowercase letters, digits or "-".');
  return value;
}

function recordKeyArg(value: string): string {
  if (!/^(supplier|purchaseOrder|invoice|creditMemo):\S+$/.test(value)) {
    throw new InvalidArgumentError(
      'must be a record key: supplier:, purchaseOrder:, invoice: or creditMemo: and a WID.',
    );
  }
  return value;
}

function isoTimestampArg(value: string): string {
  const time = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new InvalidArgumentError('must be an ISO 8601 date or time, e.g. 2026-03-01T00:00:00Z.');
  return new Date(time).toISOString();
}

async function runHandler(io: Io, name: string, json: boolean, run: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await run();
  } catch (error) {
    const usage = error instanceof ConfigError || error instanceof UsageError;
    io.stderr(
      error instanceof ConfigError ? renderConfigError(error) : `ml-connector ${name}: ${describeError(error)}\n`,
    );
    // A run that stopped still reports what it did; scripts reading --json get their one object either way.
    if (error instanceof RunStopped) {
      if (json) writeJson(io, { ...error.summary, error: errorSummary(error) });
      else printSummary(humanOutput(io, json), error.summary, false);
    } else if (json) writeJson(io, { error: errorSummary(error) });
    return usage ? EXIT.usage : EXIT.failed;
  }
}

/** Every problem of a ConfigError, one per line, each with its JSON path. */
export function renderConfigError(error: ConfigError): string {
  const source = error.context.source;
  if (typeof source !== 'string') return `✗ ${error.message}\n`;
  const [first] = error.issues;
  if (error.issues.length === 1 && first?.path === '$') return `✗ ${source}: ${first.message}\n`;
  const count = error.issues.length;
  const lines = error.issues.map((issue) => `  ${issue.path}: ${issue.message}\n`);
  return `✗ ${source} is invalid (${count} ${count === 1 ? 'problem' : 'problems'}):\n${lines.join('')}`;
}

function errorSummary(error: unknown): Record<string, unknown> {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'FAILED';
  const issues = error instanceof ConfigError ? { issues: error.issues } : {};
  return { code, message: describeError(error), ...issues };
}
