import { join } from 'node:path';
import { startSandbox } from '../../sandbox/server';
import { type CommandHandler, EXIT, type SandboxOptions } from '../command';

/** What the command waits on; tests pass an AbortSignal instead of the process's signals. */
export interface SandboxCommandDeps {
  /** Aborting it stops the sandbox; default: the first SIGINT or SIGTERM. */
  stop?: AbortSignal;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function untilProcessSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

// Values are the sandbox's own; quoting keeps the line pasteable into a POSIX shell whatever they hold.
function shellValue(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The `sandbox` handler, with the stop seam. */
export function createSandboxCommand(deps: SandboxCommandDeps = {}): CommandHandler<SandboxOptions> {
  return async (options, { io }) => {
    const seed = options.seed ?? 1;
    const running = await startSandbox({ port: options.port ?? 0, seed, scale: options.scale, faults: options.faults });
    try {
      const config = await running.writeConfig(join(io.cwd, '.ml-connector', 'sandbox'));
      const exports = Object.entries(running.credentials).map(
        ([name, value]) => `export ${name}=${shellValue(value)}\n`,
      );
      io.stdout(`${running.url}\nconfig: ${config}\n${exports.join('')}`);
      io.stderr(
        `Sandbox: ${options.scale} scale, seed ${seed}, faults ${options.faults}; Workday tenant ` +
          `${running.firm.layout.tenant}, Procore company ${running.firm.layout.companyId}. Ctrl+C stops it.\n`,
      );
      await (deps.stop ? untilAborted(deps.stop) : untilProcessSignal());
    } finally {
      await running.close();
    }
    io.stderr('Sandbox stopped.\n');
    return EXIT.ok;
  };
}

/** `sandbox`: both simulators of a seeded firm on one loopback port until SIGINT or SIGTERM. */
export const sandbox: CommandHandler<SandboxOptions> = createSandboxCommand();
