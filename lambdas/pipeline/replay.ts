import { rawHash } from '../mapping/version';
import type { AuditLog, Clock, Outcome, Queue } from '../ports';
import { type WorkdayRecord, workdayRecordSchema } from '../workday/records';
import type { RecordMessage } from './messages';

/** Which records to replay: one key, or every record whose latest outcome is quarantined or dead-lettered. */
export type ReplaySelect = { key: string } | { status: 'quarantined' | 'deadLettered' };

/** What a replay put back on the records queue, and what it could not (the replay function's answer). */
export interface ReplaySummary {
  runId: string;
  /** When the replay began, by the function's clock (the one ledger entries are stamped with). */
  startedAt: string;
  replayed: string[];
  unreplayable: ReplaySelection['unreplayable'];
  unknown: string[];
}

/** A record's newest version as the audit trail holds it. */
export interface ReplayRecord {
  key: string;
  record: WorkdayRecord;
  seenAt: string;
}

/** What the audit trail gives for a selection. */
export interface ReplaySelection {
  /** Records to re-enqueue: each one's newest version, and when it was polled. */
  records: ReplayRecord[];
  /** Selected records the trail holds no readable copy of (quarantined at parse): they stay as they are. */
  unreplayable: { key: string; outcome: Outcome; reason: string }[];
  /** A `--key` the audit trail does not know. */
  unknown: string[];
}

const NO_COPY =
  'the audit trail holds no readable copy of it (Workday sent it unreadable): it is read again when it changes in Workday';

/** Finds the records to replay in the audit trail; `since` keeps those whose latest outcome is at or after it. */
export async function selectReplay(
  audit: AuditLog,
  select: ReplaySelect,
  since: string | undefined,
): Promise<ReplaySelection> {
  const selection: ReplaySelection = { records: [], unreplayable: [], unknown: [] };
  const latest =
    'key' in select
      ? [{ key: select.key, outcome: undefined }]
      : (await audit.latestByOutcome(select.status, since)).map((e) => ({ key: e.key, outcome: select.status }));
  for (const { key, outcome } of latest) {
    const event = await audit.lastPolled(key);
    const parsed = event === undefined ? undefined : workdayRecordSchema.safeParse(event.record);
    if (event !== undefined && parsed?.success) selection.records.push({ key, record: parsed.data, seenAt: event.at });
    else if (outcome === undefined && (await audit.query({ key })).length === 0) selection.unknown.push(key);
    else selection.unreplayable.push({ key, outcome: outcome ?? 'quarantined', reason: NO_COPY });
  }
  return selection;
}

/**
 * Puts the records back on the records queue under the current mapping version, stamped with when their version
 * was polled, each with a `replay` audit event carrying the record, so map and write run for them as for a
 * freshly polled change.
 */
export async function enqueueReplay(
  deps: { audit: AuditLog; records: Queue; mappingVersion: string; now: Clock },
  runId: string,
  records: ReplaySelection['records'],
): Promise<Set<string>> {
  const at = new Date(deps.now()).toISOString();
  const messages: RecordMessage[] = records.map(({ key, record, seenAt }) => ({
    v: 1,
    runId,
    key,
    record,
    rawHash: rawHash(record),
    mappingVersion: deps.mappingVersion,
    seenAt,
  }));
  if (messages.length > 0) await deps.records.send(messages.map((m) => JSON.stringify(m)));
  await deps.audit.append(
    records.map(({ key, record }) => ({ runId, key, at, stage: 'replay', outcome: 'enqueued', record })),
  );
  return new Set(records.map((r) => r.key));
}
