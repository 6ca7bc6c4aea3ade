import Database from 'better-sqlite3';
import type { ProcoreState } from '../sandbox/procore/state';
import { compareWithProcore, type Difference, type Oracle } from '../sandbox/seed/index';

/** What one run ended with, against the oracle of its Workday data. */
export interface Verdict {
  /** Oracle objects missing from Procore, and records with no terminal outcome in the ledger. */
  lost: number;
  /** Procore objects sharing an `origin_id` with another of their kind, and change orders made twice. */
  duplicated: number;
  /** Any other difference from the oracle: a wrong field, an unexpected object, a wrong outcome. */
  wrong: number;
  /** Up to ten differences, for the report. */
  examples: string[];
}

/** Every `origin_id` held by more than one object of a kind: vendors, commitments, their lines, and the rest. */
export function duplicateOrigins(state: ProcoreState): string[] {
  const tables: [string, Iterable<{ origin_id: string | null; deleted_at?: string | null }>][] = [
    ['vendor', state.db.vendors.values()],
    ['commitment', state.db.commitments.values()],
    ['commitmentLine', state.db.commitmentLineItems.values()],
    // Change orders have no origin_id: the connector's are known by their `<commitment>:co:<n>` number.
    [
      'changeOrder',
      [...state.db.changeOrders.values()].map((co) => ({ origin_id: co.number.includes(':co:') ? co.number : null })),
    ],
    ['requisition', state.db.requisitions.values()],
    ['directCost', state.db.directCosts.values()],
    ['directCostLine', state.db.directCostLineItems.values()],
  ];
  const duplicates: string[] = [];
  for (const [kind, rows] of tables) {
    const seen = new Map<string, number>();
    for (const row of rows) {
      if (row.origin_id === null || (row.deleted_at ?? null) !== null) continue;
      seen.set(row.origin_id, (seen.get(row.origin_id) ?? 0) + 1);
    }
    for (const [origin, n] of seen) if (n > 1) duplicates.push(`${kind} ${origin} ×${n}`);
  }
  return duplicates;
}

/** How each record key ended, from the state file the child processes shared (read-only). */
export function ledgerOutcomes(statePath: string): Map<string, string> {
  const db = new Database(statePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare<[], { key: string; status: string }>('SELECT key, status FROM ledger').all();
    return new Map(rows.map((r) => [r.key, r.status]));
  } finally {
    db.close();
  }
}

/** Messages still queued (not parked) in the records and writes queues. */
export function queuedMessages(statePath: string): number {
  const db = new Database(statePath, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare<[], { n: number }>(
        "SELECT COUNT(*) AS n FROM messages WHERE queue IN ('records', 'writes') AND json_extract(body, '$.parkedSince') IS NULL",
      )
      .get();
    return row?.n ?? 0;
  } finally {
    db.close();
  }
}

const SETTLED_AS: Record<string, string> = { written: 'written', unchanged: 'written', skipped: 'skipped' };

/**
 * Procore against the oracle (by `origin_id`), duplicates counted independently of the comparison, and the
 * ledger: every record the oracle expects has settled as the oracle says (written, skipped or quarantined).
 */
export function judge(oracle: Oracle, state: ProcoreState, ledger: ReadonlyMap<string, string>): Verdict {
  const differences: Difference[] = compareWithProcore(oracle, state);
  const duplicates = duplicateOrigins(state);
  const examples: string[] = [...duplicates];
  let lost = 0;
  let wrong = 0;
  let changesAppliedTwice = 0;
  for (const d of differences) {
    if (d.kind === 'duplicate') continue;
    if (d.kind === 'missing') lost += 1;
    // A change order the oracle does not expect is a PO change applied again under the next number.
    else if (d.kind === 'extra' && d.resource === 'changeOrder') changesAppliedTwice += 1;
    else wrong += 1;
    examples.push(
      `${d.kind} ${d.resource} ${d.originId}${d.field ? ` ${d.field}: want ${d.expected} got ${d.actual}` : ''}`,
    );
  }
  for (const [key, want] of oracle.expectedOutcomes) {
    const status = ledger.get(key);
    const got = status === undefined ? undefined : (SETTLED_AS[status] ?? status);
    // Out-of-scope documents (before syncFrom, a status not mapped) are skipped at poll without a ledger row.
    if (got === want || (want === 'skipped' && got === undefined)) continue;
    if (got === undefined || got === 'pending' || got === 'deadLettered') lost += 1;
    else wrong += 1;
    examples.push(`record ${key}: want ${want} got ${status ?? 'nothing'}`);
  }
  return { lost, duplicated: duplicates.length + changesAppliedTwice, wrong, examples: examples.slice(0, 10) };
}
