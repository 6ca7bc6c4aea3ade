import type { CustomerConfig } from '../config/schema';
import type { DocumentStatus, Reference } from '../workday/records';
import { MappingProblem, OutOfScope } from './problems';

/** Documents dated before `syncFrom` are out of scope (the cut-over). */
export function requireInSyncWindow(documentLabel: string, date: string, config: CustomerConfig): void {
  // ISO dates compare correctly as text.
  if (config.syncFrom !== undefined && date < config.syncFrom) {
    throw new OutOfScope(`${documentLabel} is dated ${date}, before syncFrom ${config.syncFrom}, so it is not synced.`);
  }
}

/**
 * Documents whose Workday status (ID or descriptor, any case) is not listed are out of scope until it changes.
 * A document that reports no status at all (adjustments may not) is in scope.
 */
export function requireStatusInScope(
  documentLabel: string,
  status: DocumentStatus,
  allowed: readonly string[],
  configKey: string,
): void {
  if (status.id === undefined && status.descriptor === undefined) return;
  const wanted = new Set(allowed.map((s) => s.trim().toLowerCase()));
  if ([status.id, status.descriptor].some((s) => s !== undefined && wanted.has(s.trim().toLowerCase()))) return;
  const shown = status.descriptor ?? status.id ?? '(none)';
  throw new OutOfScope(
    `${documentLabel} has status ${shown}, which is not in ${configKey}, so it is not synced until it is.`,
  );
}

/** The supplier WID, which is the Procore vendor's origin id. */
export function supplierOriginId(documentLabel: string, supplier: Reference): string {
  if (supplier.wid === undefined) {
    const name = supplier.descriptor === undefined ? '' : ` (${supplier.descriptor})`;
    throw new MappingProblem(
      `${documentLabel} names its supplier${name} without a WID, so its Procore vendor cannot be found: check the supplier on the document in Workday.`,
    );
  }
  return supplier.wid;
}

/** Two lines with one id would share a Procore origin id; Workday should never send that. */
export function requireUniqueLineIds(documentLabel: string, lines: readonly { lineId: string }[]): void {
  const seen = new Set<string>();
  for (const { lineId } of lines) {
    if (seen.has(lineId)) {
      throw new MappingProblem(
        `${documentLabel} has two lines with the id ${lineId}, so they cannot be told apart in Procore: check the document in Workday.`,
      );
    }
    seen.add(lineId);
  }
}

/** Index of the document's first line: lowest line number, lines without one after, ties in document order. */
export function firstLineIndex<L>(lines: readonly L[], order: (line: L) => bigint | undefined): number {
  let best = 0;
  let bestOrder: bigint | undefined;
  lines.forEach((line, index) => {
    const current = order(line);
    if (current !== undefined && (bestOrder === undefined || current < bestOrder)) {
      best = index;
      bestOrder = current;
    }
  });
  return best;
}

/** Groups items by key, keeping the order in which keys first appear; every group has at least one item. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, [T, ...T[]]> {
  const groups = new Map<K, [T, ...T[]]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}
