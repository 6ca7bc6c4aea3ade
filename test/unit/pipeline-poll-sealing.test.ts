import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { openStateDb } from '../../lambdas/adapters/local/state-db';
import { createLocalAuditLog, createLocalCursorStore, createLocalLedger } from '../../lambdas/adapters/local/stores';
import { createLocalTaxIdSealer } from '../../lambdas/adapters/local/tax-ids';
import { rawHash, rawHashBeforeSealing } from '../../lambdas/mapping/version';
import { recordMessageSchema } from '../../lambdas/pipeline/messages';
import { type PollDeps, poll, type WorkdayPager } from '../../lambdas/pipeline/poll';
import type { Outcome } from '../../lambdas/ports';
import { hashTaxId } from '../../lambdas/shared/hash';
import { silentLogger } from '../../lambdas/shared/logger';
import { recordKey, type Supplier, supplierSchema } from '../../lambdas/workday/records';
import { buildConfig, wid } from './mapping/builders';

const EIN = '12-3456789';
const NOW = Date.parse('2026-11-20T12:00:00Z');

/** A supplier as the parser returns it: its EIN in clear. */
const parsed: Supplier = supplierSchema.parse({
  kind: 'supplier',
  wid: wid('sealed-supplier'),
  name: 'Acme Concrete, Inc.',
  taxId: { type: 'USA-EIN', hash: hashTaxId(EIN), value: EIN },
});
const key = recordKey(parsed);

/** Workday answering one page of suppliers (the parsed one) and nothing else. */
const workday: WorkdayPager = {
  async *pages({ entity }) {
    yield { page: 1, totalPages: 1, records: entity === 'suppliers' ? [parsed] : [], rejected: [] };
  },
};

describe('poll: tax IDs sealed before anything is queued or stored', () => {
  let deps: PollDeps;
  let bodies: string[];
  beforeEach(() => {
    const db = openStateDb(':memory:');
    bodies = [];
    deps = {
      config: buildConfig(),
      mappingVersion: 'm1',
      workday,
      cursors: createLocalCursorStore(db),
      ledger: createLocalLedger(db),
      audit: createLocalAuditLog(db),
      records: { send: async (batch) => void bodies.push(...batch), retryLater: async () => {} },
      taxIds: createLocalTaxIdSealer(randomBytes(32)),
      logger: silentLogger,
      now: () => NOW,
    };
  });
  const settle = (status: Outcome, hash: string) =>
    deps.ledger.put({
      key,
      rawHash: hash,
      mappingVersion: 'm1',
      status,
      procoreIds: {},
      updatedAt: new Date(NOW).toISOString(),
      runId: 'earlier',
    });

  it('queues and audits the EIN sealed, opening to the value, under the raw hash of its tax ID hash', async () => {
    await poll(deps, { runId: 'r1' });

    expect(bodies).toHaveLength(1);
    const message = recordMessageSchema.parse(JSON.parse(bodies[0] ?? ''));
    const taxId = message.record.kind === 'supplier' ? message.record.taxId : undefined;
    expect(taxId).toEqual({ type: 'USA-EIN', hash: hashTaxId(EIN), sealed: expect.stringMatching(/^v1:/) });
    expect(await deps.taxIds.open(taxId?.sealed ?? '')).toBe(EIN);
    expect(message.rawHash).toBe(rawHash(parsed));
    expect(message.rawHash).toBe(rawHash(message.record));
    const audited = JSON.stringify(await deps.audit.query({ key }));
    for (const text of [bodies[0] ?? '', audited]) {
      expect(text).not.toContain(EIN);
      expect(text).not.toContain('123456789');
    }
  });

  it('takes a new seal of the same EIN for no change: a synced supplier is not queued again', async () => {
    await settle('written', rawHash(parsed));

    await poll(deps, { runId: 'r2' });

    expect(bodies).toEqual([]);
  });

  it('takes a supplier synced before sealing (its hash over the clear EIN) as unchanged, unless it is not synced', async () => {
    expect(rawHashBeforeSealing(parsed)).not.toBe(rawHash(parsed));
    await settle('written', rawHashBeforeSealing(parsed));
    const synced = await poll(deps, { runId: 'r3' });
    expect(bodies).toEqual([]);
    expect(synced.settled.get(key)).toEqual({ outcome: 'unchanged' });

    await settle('quarantined', rawHashBeforeSealing(parsed));
    await deps.cursors.reset();
    await poll(deps, { runId: 'r4' });
    expect(bodies).toHaveLength(1);
  });
});
