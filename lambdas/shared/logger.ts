/** Structured log fields; values are redacted by key before they are written. */
export type LogFields = Record<string, unknown>;

/** The logging port every stage and client takes; implementations must pass fields through `redact`. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export const REDACTED = '[REDACTED]';

// Keys whose values are secret or private wherever they appear: credentials, tokens, tax and bank data.
const SECRET_KEY =
  /pass(word)?|secret|token|authori[sz]ation|cookie|api[-_]?key|credential|tax[-_]?id|^identifier$|ssn|iban|bank|account[-_]?number|routing/i;

// Secrets that hide inside free text: bearer tokens, basic auth, OAuth form fields, JSON bodies (either quote,
// escaped quotes inside the value), WS-Security passwords, and passwords in URLs.
const SECRET_TEXT: readonly [RegExp, string][] = [
  [/(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  [/((?:access|refresh|id)_token|\btoken|client_secret|password)=([^&\s"]+)/gi, `$1=${REDACTED}`],
  [
    /((["'])(?:(?:access|refresh|id)_?token|client_?secret|password|secret|api_?key)\2\s*:\s*)(["'])(?:\\.|(?!\3)[^\\])*\3/gi,
    `$1$3${REDACTED}$3`,
  ],
  // `[^<>]`, not `[^>]`: a run of `<Password` without `>` would otherwise be rescanned to the end from each one.
  [/(<(?:\w+:)?Password[^<>]*>)[^<]*(<)/gi, `$1${REDACTED}$2`],
  // The scheme is bounded: unbounded, a long `a.a.a…` would be rescanned from every dot.
  [/(\b[a-z][a-z0-9+.-]{0,30}:\/\/[^/\s:@]*:)[^@\s/]*@/gi, `$1${REDACTED}@`],
];

/** Masks secrets inside a free-text string (error messages, URLs, bodies). */
export function redactText(text: string): string {
  return SECRET_TEXT.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/** A deep copy of `value` with secret-named fields masked and secrets in strings scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 12) return '[…]';
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), ...(redact({ ...value }, depth + 1) as object) };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** JSON lines to a writable (stderr by default), redacted, at or above `level`. */
export function createJsonLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
  base: LogFields = {},
): Logger {
  const emit = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields) => {
    if (LEVELS[lvl] < LEVELS[level]) return;
    const entry = redact({ level: lvl, time: new Date().toISOString(), message, ...base, ...fields });
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** A logger that keeps redacted entries in memory; for tests and for summaries. */
export function createMemoryLogger(): Logger & { entries: LogFields[] } {
  const entries: LogFields[] = [];
  const push = (level: string) => (message: string, fields?: LogFields) => {
    entries.push(redact({ level, message, ...fields }) as LogFields);
  };
  return { entries, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
