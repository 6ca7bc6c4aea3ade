import { ConnectorError } from '../lambdas/shared/errors';
import type { Io } from './io';

/** Exit codes (README, "Commands"), shared by every command. */
export const EXIT = {
  /** Done and nothing left failing. */
  ok: 0,
  /** Done, but a record (a difference, a check) is not right. */
  notRight: 1,
  /** Bad usage or invalid config. */
  usage: 2,
  /** The run itself failed before finishing. */
  failed: 3,
} as const;

/** One of the four exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A handler found the command line wrong beyond what commander checks (e.g. a record key the audit trail does not know): exit 2. */
export class UsageError extends ConnectorError {
  readonly code = 'USAGE';
  readonly retryable = false;
}

/** What every handler receives besides its own options. */
export interface CommandContext {
  io: Io;
}

/** A command's implementation: options already parsed and checked by commander; returns the exit code. */
export type CommandHandler<Options> = (options: Options, context: CommandContext) => Promise<ExitCode>;

/** A customer config on this machine, with its state file (`undefined`: the default under the working directory). */
export interface LocalTarget {
  kind: 'local';
  config: string;
  state: string | undefined;
}

/** A customer deployed on AWS (`--aws --customer <id>`). */
export interface AwsTarget {
  kind: 'aws';
  customerId: string;
}

/** Which customer a command works on. */
export type Target = LocalTarget | AwsTarget;

/** Sandbox data size. */
export type SandboxScale = 'small' | 'firm' | 'enterprise';
/** Injected fault rate of the simulators. */
export type SandboxFaults = 'none' | 'light' | 'heavy';
/** Outcomes `replay --status` can select. */
export type ReplayStatus = 'quarantined' | 'deadLettered';
/** The system whose credentials `secrets set` stores. */
export type SecretSystem = 'workday' | 'procore';

/** `demo [--json]`. */
export interface DemoOptions {
  json: boolean;
}

/** `sandbox [--port N] [--seed N] [--scale …] [--faults …]`; port and seed `undefined` when not given. */
export interface SandboxOptions {
  port: number | undefined;
  seed: number | undefined;
  scale: SandboxScale;
  faults: SandboxFaults;
}

/** `validate --config F`. */
export interface ValidateOptions {
  config: string;
}

/** `ping --config F [--state PATH] [--json]`. */
export interface PingOptions {
  target: LocalTarget;
  json: boolean;
}

/** `sync --config F [--state PATH] [--dry-run] [--until-idle] [--json]`. */
export interface SyncOptions {
  target: LocalTarget;
  dryRun: boolean;
  untilIdle: boolean;
  json: boolean;
}

/** `status (--config F [--state PATH] | --aws --customer ID) [--json]`. */
export interface StatusOptions {
  target: Target;
  json: boolean;
}

/** `replay … (--key KEY | --status S) [--since ISO] [--json]`; exactly one selector. */
export interface ReplayOptions {
  target: Target;
  select: { key: string } | { status: ReplayStatus };
  /** ISO 8601 timestamp, normalised to UTC. */
  since: string | undefined;
  json: boolean;
}

/** `report (--config F [--state PATH] | --aws --customer ID) [--json]`. */
export interface ReportOptions {
  target: Target;
  json: boolean;
}

/** `secrets set (--config F [--state PATH] | --aws --customer ID) --system S`; the credentials JSON comes on stdin. */
export interface SecretsSetOptions {
  target: Target;
  system: SecretSystem;
}

/** The registry `main` dispatches to: one handler per command of the README's "Commands". */
export interface CommandHandlers {
  demo: CommandHandler<DemoOptions>;
  sandbox: CommandHandler<SandboxOptions>;
  validate: CommandHandler<ValidateOptions>;
  ping: CommandHandler<PingOptions>;
  sync: CommandHandler<SyncOptions>;
  status: CommandHandler<StatusOptions>;
  replay: CommandHandler<ReplayOptions>;
  report: CommandHandler<ReportOptions>;
  secretsSet: CommandHandler<SecretsSetOptions>;
}
