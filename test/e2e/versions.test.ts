import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runReplay } from '../../cli/operate/replay-run';
import { drainQueues } from '../../cli/runtime/local';
import type { CustomerConfig } from '../../lambdas/config/schema';
import { mappingVersion, mapRecord } from '../../lambdas/mapping';
import { rawHash } from '../../lambdas/mapping/version';
import type { RecordMessage } from '../../lambdas/pipeline/messages';
import { prepareWrites, type WriteDeps, writeMessage } from '../../lambdas/pipeline/write';
import type { WriteMessage } from '../../lambdas/pipeline/write-message';
import type { AuditEvent } from '../../lambdas/ports';
import { type WorkdayRecord, workdayRecordSchema } from '../../lambdas/workday/records';
import { type E2E, startE2E } from './harness';

/** A version of a record as the poll read it: the record and when. */
interface Version {
  record: WorkdayRecord;
  seenAt: string;
}

function recordMessage(config: CustomerConfig, key: string, version: Version): RecordMessage {
  return {
    v: 1,
    runId: 'stale',
    key,
    record: version.record,
    rawHash: rawHash(version.record),
    mappingVersion: mappingVersion(config),
    seenAt: version.seenAt,
  };
}

/** The write message the mapper sends for a supplier version. */
function writeMessageOf(config: CustomerConfig, key: string, version: Version): WriteMessage {
  const result = mapRecord(version.record, config, { poLines: () => undefined });
  if (result.outcome !== 'mapped') throw new Error(`${key} did not map: ${result.outcome}`);
  return {
    v: 1,
    runId: 'stale',
    key,
    rawHash: rawHash(version.record),
    mappingVersion: mappingVersion(config),
    seenAt: version.seenAt,
    mappedHash: result.mappedHash,
    commands: result.commands,
  };
}

describe('the newest version of a record wins at every stage (local runtime)', () => {
  let e2e: E2E;
  let wid: string;
  let key: string;
  let v1: Version;

  const vendorName = () => e2e.sandbox.procore.state.vendors().find((v) => v.origin_id === wid)?.name;
  const polled = async (): Promise<Version> => {
    const event = await e2e.runtime.audit.lastPolled(key);
    if (event === undefined) throw new Error(`no poll of ${key}`);
    return { record: workdayRecordSchema.parse(event.record), seenAt: event.at };
  };
  const rename = async (name: string): Promise<Version> => {
    e2e.sandbox.workday.store.suppliers.update(wid, { name });
    await e2e.sync();
    expect(vendorName()).toBe(name);
    return polled();
  };
  const auditOf = async (outcome: AuditEvent['outcome']) =>
    (await e2e.runtime.audit.query({ key })).filter((e) => e.outcome === outcome);

  beforeEach(async () => {
    e2e = await startE2E({ seed: 3 });
    await e2e.sync();
    const [supplier] = (await e2e.runtime.audit.latestByOutcome('written')).filter((e) =>
      e.key.startsWith('supplier:'),
    );
    if (supplier === undefined) throw new Error('no written supplier');
    key = supplier.key;
    wid = key.slice('supplier:'.length);
    v1 = await rename('Version One Supply');
    await rename('Version Two Supply');
  });
  afterEach(async () => {
    await e2e.close();
  });

  it('settles v1 delivered to the mapper after v2 as superseded: no Procore call, the ledger keeps v2', async () => {
    const before = await e2e.runtime.ledger.get(key);
    const writes = e2e.sandbox.procore.calls.writes;

    await e2e.runtime.records.send([JSON.stringify(recordMessage(e2e.config, key, v1))]);
    await e2e.sync();

    expect(vendorName()).toBe('Version Two Supply');
    expect(e2e.sandbox.procore.calls.writes).toBe(writes);
    expect(await e2e.runtime.ledger.get(key)).toEqual(before);
    const [superseded] = await auditOf('superseded');
    expect(superseded).toMatchObject({ stage: 'map' });
    expect(superseded?.reason).toMatch(
      /^superseded by the version of supplier:\S+ polled at .+: not written to Procore$/,
    );
  });

  it('settles v1 delivered to the writer after v2 as superseded, before any Procore call', async () => {
    const writes = e2e.sandbox.procore.calls.writes;

    await e2e.runtime.writes.send([JSON.stringify(writeMessageOf(e2e.config, key, v1))]);
    await e2e.sync();

    expect(vendorName()).toBe('Version Two Supply');
    expect(e2e.sandbox.procore.calls.writes).toBe(writes);
    expect((await e2e.runtime.ledger.get(key))?.status).toBe('written');
    expect(await auditOf('superseded')).toMatchObject([{ stage: 'write' }]);
  });

  it('settles a parked v1 as superseded once it wakes after v2, without parking it again', async () => {
    const parked = { ...writeMessageOf(e2e.config, key, v1), parkedSince: v1.seenAt, parks: 1 };
    await e2e.runtime.writes.send([JSON.stringify(parked)], 60);
    e2e.clock.advance(120_000);
    await e2e.sync();

    expect(vendorName()).toBe('Version Two Supply');
    expect(await auditOf('parked')).toEqual([]);
    expect(await auditOf('superseded')).toHaveLength(1);
    expect((await e2e.runtime.writes.backlog()).parked).toBe(0);
  });

  it('settles v1 redriven from the dead-letter queue after v2 as superseded', async () => {
    await e2e.runtime.writes.send([JSON.stringify(writeMessageOf(e2e.config, key, v1))]);
    e2e.runtime.db.prepare("UPDATE messages SET queue = 'writes-dlq' WHERE queue = 'writes'").run();

    expect(await e2e.runtime.writes.redrive()).toBe(1);
    await e2e.sync();

    expect(vendorName()).toBe('Version Two Supply');
    expect(await auditOf('superseded')).toHaveLength(1);
    expect((await e2e.runtime.ledger.get(key))?.rawHash).not.toBe(rawHash(v1.record));
  });

  it('replays the newest polled version, even when a replay of an older copy was recorded after it', async () => {
    // A replay that read the trail just before v2's poll row landed, as the AWS replay function can.
    await e2e.runtime.audit.append([
      {
        runId: 'late-replay',
        key,
        at: new Date(e2e.clock.now()).toISOString(),
        stage: 'replay',
        outcome: 'enqueued',
        record: v1.record,
      },
    ]);

    const summary = await runReplay(e2e.runtime, { key }, undefined);

    expect(vendorName()).toBe('Version Two Supply');
    expect(summary.outcomes).toMatchObject({ unchanged: 1, written: 0, pending: 0 });
    expect((await e2e.runtime.ledger.get(key))?.rawHash).not.toBe(rawHash(v1.record));
  });

  it('writes v2 again when v1 reached Procore after v2 was polled (the race lost after the calls)', async () => {
    const v2 = await polled();
    const stale = writeMessageOf(e2e.config, key, v1);
    // The ledger as it was while v1 was current, so the writer's checks before its calls let v1 through.
    const current = await e2e.runtime.ledger.get(key);
    if (current === undefined) throw new Error(`no ledger entry for ${key}`);
    e2e.runtime.db.prepare('DELETE FROM ledger WHERE key = ?').run(key);
    await e2e.runtime.ledger.put({ ...current, rawHash: stale.rawHash, seenAt: v1.seenAt, mappedHash: 'v0' });
    const rt = e2e.runtime;
    const deps: WriteDeps = {
      config: rt.config,
      ledger: rt.ledger,
      audit: rt.audit,
      logger: rt.logger,
      now: rt.now,
      writes: rt.writes,
      records: rt.records,
      taxIds: rt.taxIds,
      // The client itself, but v2 is polled while v1's vendor call is on the wire: the ledger moves on under the writer.
      procore: Object.create(rt.procore, {
        syncVendors: {
          value: async (updates: Parameters<typeof rt.procore.syncVendors>[0]) => {
            await rt.ledger.put({ ...current, updatedAt: new Date(rt.now()).toISOString() });
            return rt.procore.syncVendors(updates);
          },
        },
      }) as typeof rt.procore,
    };
    await rt.writes.send([JSON.stringify(stale)]);
    const deliveries = await rt.writes.receive(10, 60);
    const batch = await prepareWrites(deps, deliveries);
    for (const delivery of deliveries) {
      expect(await writeMessage(deps, delivery, batch)).toBe(false);
      await rt.writes.delete(delivery.id);
    }

    expect(vendorName()).toBe('Version One Supply');
    const [superseded] = await auditOf('superseded');
    expect(superseded?.reason).toMatch(/it reached Procore after that version was polled/);
    const marked = await rt.ledger.get(key);
    expect(marked).toMatchObject({ rawHash: rawHash(v2.record), seenAt: v2.seenAt, status: 'pending' });
    expect(marked?.mappedHash).toBeUndefined();

    await drainQueues(rt, { untilIdle: true });

    expect(vendorName()).toBe('Version Two Supply');
    expect(await rt.ledger.get(key)).toMatchObject({ rawHash: rawHash(v2.record), status: 'written' });
  });
});
