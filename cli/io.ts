/** Everything a command touches outside itself, injected so tests run `main()` in-process and read what it wrote. */
export interface Io {
  /** Writes text to standard output as is (add the newline yourself). */
  stdout(text: string): void;
  /** Writes text to standard error as is. */
  stderr(text: string): void;
  /** Whether standard output is a terminal (progress and colour only then). */
  readonly isTTY: boolean;
  /** Environment variables, read only through here. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths (`--config`, `--state`) resolve against. */
  readonly cwd: string;
  /** Reads standard input to its end (`secrets set` takes the credentials JSON there). */
  stdin(): Promise<string>;
}

/** The real process streams, environment and working directory. */
export function processIo(): Io {
  return {
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    stdin: async () => {
      if (process.stdin.isTTY) process.stderr.write('Paste the credentials JSON, then press Ctrl-D:\n');
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** Where a command's human-readable lines go: stderr when `--json` reserves stdout for the one JSON object. */
export function humanOutput(io: Io, json: boolean): (text: string) => void {
  return json ? (text) => io.stderr(text) : (text) => io.stdout(text);
}

/** Writes the single JSON object of a `--json` run. */
export function writeJson(io: Io, value: object): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
