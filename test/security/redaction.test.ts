import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createTelemetry } from '../../lambdas/adapters/aws/observability';
import { createJsonLogger, REDACTED, redact, redactText } from '../../lambdas/shared/logger';
import { fuzz } from '../fuzz/fuzz';

// A secret unlike any other text in the templates below: a fixed marker and at least six random characters.
const secret = fc
  .string({
    unit: fc.constantFrom(...'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789._~-'),
    minLength: 6,
    maxLength: 40,
  })
  .map((s) => `Zq${s}`);
// What a secret may contain inside a JSON string: quotes and backslashes too.
const jsonSecret = fc.string({ minLength: 6, maxLength: 30 }).map((s) => `Zq"\\${s}`);

/** How secrets travel inside the free text that reaches logs and errors: headers, forms, JSON, SOAP, URLs. */
const FORMS: ((s: string) => string)[] = [
  (s) => `Authorization: Bearer ${s}`,
  (s) => `authorization: basic ${s}`,
  (s) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(s)}&x=1`,
  (s) => `client_id=abc&client_secret=${encodeURIComponent(s)}`,
  (s) => `username=u&password=${encodeURIComponent(s)}`,
  (s) => `<wsse:Password Type="http://docs.oasis-open.org/wss#PasswordText">${s}</wsse:Password>`,
  (s) => `https://isu%40acme:${encodeURIComponent(s)}@wd2-impl-services1.workday.com/ccx`,
];
const JSON_KEYS = [
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'id_token',
  'client_secret',
  'clientSecret',
  'password',
  'Password',
  'secret',
  'apiKey',
];

describe('redaction of secrets in free text and structured fields', () => {
  it('masks a secret in every form it travels in, wherever it sits in a longer text', () => {
    fc.assert(
      fc.property(
        secret,
        fc.constantFrom(...FORMS),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (s, form, before, after) => {
          const out = redactText(`${before} ${form(s)} ${after}`);
          expect(out).not.toContain(s);
          expect(out).not.toContain(encodeURIComponent(s));
          expect(out).toContain(REDACTED);
        },
      ),
      fuzz(300),
    );
  });

  it('masks a JSON value under any secret key, whatever quotes and backslashes it holds', () => {
    fc.assert(
      fc.property(jsonSecret, fc.constantFrom(...JSON_KEYS), fc.constantFrom('"', "'"), (s, key, quote) => {
        const value = quote === '"' ? JSON.stringify(s) : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
        const body = `{"user":"u",${quote}${key}${quote} : ${value},"next":1}`;
        const out = redactText(body);
        expect(out).not.toContain(value.slice(1, -1));
        expect(out).toContain('"next":1');
      }),
      fuzz(300),
    );
  });

  it('masks secret-named fields at any depth, in errors and arrays too, and scrubs the strings beside them', () => {
    fc.assert(
      fc.property(
        secret,
        fc.constantFrom('password', 'clientSecret', 'refreshToken', 'Authorization', 'x-api-key', 'cookie', 'taxId'),
        (s, key) => {
          const error = Object.assign(new Error(`refused: password=${s}`), { [key]: s });
          const entry = redact({ a: { b: [{ [key]: s }] }, error, note: `Bearer ${s}` });
          expect(JSON.stringify(entry)).not.toContain(s);
          const lines: string[] = [];
          createJsonLogger('debug', (line) => lines.push(line)).debug(`token=${s} access_token=${s}`, { [key]: s });
          expect(lines.join('')).not.toContain(s);
        },
      ),
      fuzz(200),
    );
  });

  it('masks secrets in the Lambda logger: the message as well as the fields', () => {
    const lines: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      }),
    );
    try {
      const { logger } = createTelemetry({ customerId: 'acme', serviceName: 'redaction-test' });
      logger.error('Workday refused refresh_token=Zq-in-message-7 for client_secret=Zq-in-message-8', {
        clientSecret: 'Zq-in-field-9',
        detail: 'Authorization: Bearer Zq-in-field-10',
      });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const logged = lines.join('');
    expect(logged).toContain('Workday refused');
    for (const s of ['Zq-in-message-7', 'Zq-in-message-8', 'Zq-in-field-9', 'Zq-in-field-10']) {
      expect(logged).not.toContain(s);
    }
  });

  it('redacts long hostile text in linear time', () => {
    for (const unit of [
      '<Password',
      '<wsse:Password a="',
      'a.',
      'http://',
      '"password":"',
      '"password":"\\',
      'bearer ',
      'password=',
    ]) {
      const started = performance.now();
      redactText(unit.repeat(Math.ceil(1_000_000 / unit.length)));
      expect(performance.now() - started, unit).toBeLessThan(2_000);
    }
  });
});

describe('regressions', () => {
  it('masks a JSON secret holding an escaped quote whole (its tail used to survive)', () => {
    expect(redactText('{"password":"ab\\"cd-tail-secret"}')).toBe(`{"password":"${REDACTED}"}`);
  });

  it('masks camelCase and single-quoted JSON keys and passwords in URLs (they used to pass)', () => {
    expect(redactText('{"accessToken":"tok-123456"}')).toBe(`{"accessToken":"${REDACTED}"}`);
    expect(redactText("{'password': 'pw-123456'}")).toBe(`{'password': '${REDACTED}'}`);
    expect(redactText('https://user:pw-123456@host/x')).toBe(`https://user:${REDACTED}@host/x`);
  });

  it('redacts 100,000 unclosed `<Password` in well under a second (it used to take over a minute)', () => {
    const started = performance.now();
    redactText('<Password'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
