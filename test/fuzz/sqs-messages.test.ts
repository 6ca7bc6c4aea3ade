import { randomBytes } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocalTaxIdSealer } from '../../lambdas/adapters/local/tax-ids';
import { parseSqsEvent } from '../../lambdas/handlers/sqs-event';
import { rawHash } from '../../lambdas/mapping/version';
import { parseMessage, type RecordMessage, recordMessageSchema } from '../../lambdas/pipeline/messages';
import { sealRecord } from '../../lambdas/pipeline/poll';
import { writeMessageSchema } from '../../lambdas/pipeline/write-message';
import { ValidationError } from '../../lambdas/shared/errors';
import {
  parseInvoiceAdjustmentsPage,
  parsePurchaseOrdersPage,
  parseSupplierInvoicesPage,
  parseSuppliersPage,
} from '../../lambdas/workday/parse';
import { recordKey, type WorkdayRecord } from '../../lambdas/workday/records';
import { readFixture } from '../unit/workday/workday-xml';
import { expectTypedOrNothing, fuzz, fuzzTimeout, hostileString, readCorpus, thrownBy } from './fuzz';

const PARSED = [
  ...parseSuppliersPage(readFixture('get-suppliers-page1.xml')).records,
  ...parsePurchaseOrdersPage(readFixture('get-purchase-orders-page2.xml')).records,
  ...parseSupplierInvoicesPage(readFixture('get-supplier-invoices.xml')).records,
  ...parseInvoiceAdjustmentsPage(readFixture('get-supplier-invoice-adjustments.xml')).records,
];
// Real canonical records, as the poller enqueues them: EIN/ABN values sealed.
const sealer = createLocalTaxIdSealer(randomBytes(32));
const RECORDS: WorkdayRecord[] = await Promise.all(PARSED.map((record) => sealRecord(record, sealer)));

function recordMessage(record: WorkdayRecord): RecordMessage {
  return { v: 1, runId: 'run-1', key: recordKey(record), record, rawHash: rawHash(record), mappingVersion: 'm1' };
}

const WRITE_MESSAGE = {
  v: 1,
  runId: 'run-1',
  key: 'supplier:3f9a1c2e4b5d4e7f8091a2b3c4d5e6f7',
  rawHash: 'r',
  mappingVersion: 'm1',
  mappedHash: 'h',
  commands: [],
};

/** Parses a queue body and checks the contract: the message, or a ValidationError naming the message and each path. */
function parseChecked(
  body: string,
  schema: typeof recordMessageSchema | typeof writeMessageSchema = recordMessageSchema,
) {
  const error = thrownBy(() => parseMessage(schema as typeof recordMessageSchema, body, 'm-1'));
  expectTypedOrNothing(error, ValidationError);
  if (!(error instanceof ValidationError)) return undefined;
  expect(error.record).toBe('message m-1');
  expect(error.message.startsWith('message m-1: ')).toBe(true);
  expect(error.message.length).toBeLessThan(8_000);
  for (const issue of error.issues) expect(issue.path).toMatch(/^\$/);
  return error;
}

function pathsOf(json: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = prefix.length === 0 ? [] : [prefix];
  if (Array.isArray(json)) return [...here, ...json.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (json !== null && typeof json === 'object') {
    return [...here, ...Object.entries(json).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  }
  return here;
}

function withValueAt<T>(json: T, path: (string | number)[], value: unknown): T {
  const copy = structuredClone(json) as Record<PropertyKey, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
  const last = path.at(-1);
  if (last !== undefined)
    Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return copy as T;
}

const wrongValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  hostileString(40),
  fc.constantFrom(-1, 1.5, 1e308, '', null, true, [], {}, 'not-a-wid', '12,50', '2026-13-01'),
);

describe('queue bodies on hostile input', () => {
  it('answers any body text with a message or a ValidationError naming the message', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(300), fc.json({ maxDepth: 4 })), (body) => {
        parseChecked(body);
        parseChecked(body, writeMessageSchema);
      }),
      fuzz(300),
    );
  });

  it(
    'names the path of a field given a wrong type, anywhere in a real record message',
    () => {
      const messages = RECORDS.map(recordMessage);
      fc.assert(
        fc.property(
          fc.constantFrom(...messages).chain((m) => fc.tuple(fc.constant(m), fc.constantFrom(...pathsOf(m)))),
          wrongValue,
          ([message, path], value) => {
            const error = parseChecked(JSON.stringify(withValueAt(message, path, value)));
            if (!error) return;
            const at = ['$', ...path].join('.');
            const parent = ['$', ...path.slice(0, -1)].join('.');
            // At the field, below it, or (for a record map's key or a union's tag) at its parent.
            expect(error.issues.some((i) => i.path.startsWith(at) || i.path === parent)).toBe(true);
          },
        ),
        fuzz(300),
      );
    },
    fuzzTimeout(300),
  );

  it('names an unknown key, prototype-polluting ones included, in our own strict messages', () => {
    const messages = RECORDS.map(recordMessage);
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'extra'),
      fc.string({ minLength: 1, maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...messages), key, fc.jsonValue({ maxDepth: 2 }), (message, name, value) => {
        fc.pre(!Object.hasOwn(message, name) && name !== 'parkedSince' && name !== 'parks');
        // Through JSON text, as the queue delivers it: `__proto__` is then an own key.
        const body = `{${JSON.stringify(name)}:${JSON.stringify(value)},${JSON.stringify(message).slice(1)}`;
        const error = parseChecked(body);
        expect(error).toBeDefined();
        expect(error?.message).toContain(name.slice(0, 20));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      fuzz(150),
    );
  });

  it('refuses a tax ID in clear: a parsed supplier as a record message, an identifier in a write message', () => {
    const clear = PARSED.find((r) => r.kind === 'supplier' && r.taxId?.value !== undefined);
    expect(clear).toBeDefined();
    const asParsed = { ...recordMessage(RECORDS[0] as WorkdayRecord), record: clear };
    expect(parseChecked(JSON.stringify(asParsed))?.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '$.record.taxId.value' })]),
    );
    const register = { type: 'EIN', identifier: '12-3456789' };
    const vendor = {
      resource: 'vendor',
      originId: 'w',
      payload: {
        name: 'n',
        origin_id: 'w',
        origin_data: '{}',
        is_active: true,
        business_register_attributes: register,
      },
      match: { normalizedName: 'n' },
    };
    const issues = parseChecked(JSON.stringify({ ...WRITE_MESSAGE, commands: [vendor] }), writeMessageSchema)?.issues;
    expect(issues?.map((i) => i.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\$\.commands\.0\.payload\.business_register_attributes/)]),
    );
    expect(JSON.stringify(issues)).not.toContain('12-3456789');
  });

  it('names the path of a wrong type in a write message', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pathsOf(WRITE_MESSAGE)), wrongValue, (path, value) => {
        const error = parseChecked(JSON.stringify(withValueAt(WRITE_MESSAGE, path, value)), writeMessageSchema);
        if (error) expect(error.issues.some((i) => i.path.startsWith(['$', ...path].join('.')))).toBe(true);
      }),
      fuzz(150),
    );
  });
});

const SQS_EVENT: SQSEvent = {
  Records: [
    {
      messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      body: JSON.stringify(recordMessage(RECORDS[0] as WorkdayRecord)),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1545082649183',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1545082649185',
      },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:111111111111:mlc-acme-builders-records',
      awsRegion: 'us-east-1',
    },
  ],
};

describe('SQS events on hostile input', () => {
  it('answers any value with the event or a ValidationError naming "SQS event"', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (value) => {
        const error = thrownBy(() => parseSqsEvent(value));
        expectTypedOrNothing(error, ValidationError);
        if (error instanceof ValidationError) expect(error.message.startsWith('SQS event: ')).toBe(true);
      }),
      fuzz(300),
    );
  });

  it('accepts any body text (the stage parses it) and names the path of any other field given a wrong type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pathsOf(SQS_EVENT)), wrongValue, hostileString(200), (path, value, body) => {
        const event = withValueAt(withValueAt(SQS_EVENT, ['Records', 0, 'body'], body), path, value);
        const error = thrownBy(() => parseSqsEvent(event));
        expectTypedOrNothing(error, ValidationError);
        if (error instanceof ValidationError) {
          const at = ['$', ...path].join('.');
          expect(
            error.issues.some((i) => i.path.startsWith(at) || i.path === ['$', ...path.slice(0, -1)].join('.')),
          ).toBe(true);
        }
      }),
      fuzz(200),
    );
  });
});

describe('the queue corpus (test/fuzz/corpus/sqs)', () => {
  it.each(readCorpus('sqs').map((c) => [c.file, c] as const))('%s', (_file, corpusCase) => {
    const schema = corpusCase.expect.schema === 'write' ? writeMessageSchema : recordMessageSchema;
    const error = parseChecked(corpusCase.text, schema);
    expect(error?.message).toContain(String(corpusCase.expect.mentions));
  });
});
