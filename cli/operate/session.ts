import { loadCustomerConfig } from '../../lambdas/config/loader';
import { createJsonLogger, type Logger } from '../../lambdas/shared/logger';
import type { LocalTarget } from '../command';
import { humanOutput, type Io } from '../io';
import { type LocalRuntime, openLocalRuntime } from '../runtime/local';

/** What a command works with: the local runtime over its config and state, and where its human lines go. */
export interface Session {
  rt: LocalRuntime;
  /** Human output: stdout, or stderr under `--json`. */
  out: (text: string) => void;
  /** Colours and progress only on a terminal and never under `--json`. */
  tty: boolean;
}

/** Loads the config (a bad one throws the ConfigError that exits 2) and opens the local runtime; the caller closes it. */
export async function openSession(target: LocalTarget, io: Io, json: boolean): Promise<Session> {
  const config = await loadCustomerConfig(target.config, { cwd: io.cwd });
  const logger = cliLogger(io);
  const rt = openLocalRuntime({ config, statePath: target.state, cwd: io.cwd, env: io.env, logger });
  return { rt, out: humanOutput(io, json), tty: io.isTTY && !json };
}

/** JSON log lines on stderr: warnings and errors, everything under `ML_CONNECTOR_LOG_LEVEL=debug`. */
export function cliLogger(io: Io): Logger {
  return createJsonLogger(io.env.ML_CONNECTOR_LOG_LEVEL === 'debug' ? 'debug' : 'warn', (line) => io.stderr(line));
}

/** Runs `work` in a session and always closes the runtime. */
export async function withSession<T>(
  target: LocalTarget,
  io: Io,
  json: boolean,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const session = await openSession(target, io, json);
  try {
    return await work(session);
  } finally {
    await session.rt.close();
  }
}
