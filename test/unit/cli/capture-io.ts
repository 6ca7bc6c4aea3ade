import type { CommandHandlers } from '../../../cli/command';
import type { Io } from '../../../cli/io';
import { main } from '../../../cli/main';

/** An Io that records what a command wrote, for in-process CLI tests. */
export function captureIo(overrides: Partial<Io> = {}): { io: Io; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (text) => {
      out.push(text);
    },
    stderr: (text) => {
      err.push(text);
    },
    isTTY: false,
    env: {},
    cwd: process.cwd(),
    stdin: async () => '',
    ...overrides,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** Runs `ml-connector <args…>` in-process and returns the exit code and both streams. */
export async function runCli(
  args: readonly string[],
  options: { io?: Partial<Io>; handlers?: CommandHandlers } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const capture = captureIo(options.io);
  const code = await main(['node', 'ml-connector', ...args], capture.io, options.handlers);
  return { code, stdout: capture.stdout(), stderr: capture.stderr() };
}
