import { equals, negate, subtract, toAmount } from '../shared/money';
import type { BudgetCodeRef, ChangeOrderCommand, ChangeOrderLine, CommitmentCommand, CommitmentLine } from './commands';

function sameBudgetCode(a: BudgetCodeRef, b: BudgetCodeRef): boolean {
  return a.costCode === b.costCode && a.costType === b.costType;
}

const MARKER = /^\[Workday line ([^\]\s]+)\] ?/;

/**
 * A change order line's description: the PO line's, behind `[Workday line <ref>]`, where the ref is the line's
 * origin id without the PO WID (`SOL-12-3`, `SOL-12-3:2` for a split, `charges:tax`). Change order lines carry no
 * origin_id, so this marker is what ties a line the SOV does not have back to its PO line.
 */
export function changeOrderLineDescription(lineOriginId: string, description: string): string {
  const marker = `[Workday line ${lineOriginId.slice(lineOriginId.indexOf(':') + 1)}]`;
  return description.trim() === '' ? marker : `${marker} ${description}`;
}

/** The PO line a change order line of `commitmentOriginId` is marked with, and the description behind the marker. */
export function readChangeOrderLineMarker(
  commitmentOriginId: string,
  description: string | null,
): { lineOriginId: string; description: string } | undefined {
  const m = MARKER.exec(description ?? '');
  if (!m?.[1]) return undefined;
  const poWid = commitmentOriginId.split(':')[0];
  return { lineOriginId: `${poWid}:${m[1]}`, description: (description ?? '').slice(m[0].length) };
}

function coLine(line: CommitmentLine, amount: string): ChangeOrderLine {
  return {
    lineOriginId: line.originId,
    amount: toAmount(amount),
    description: changeOrderLineDescription(line.originId, line.description),
    budgetCode: line.budgetCode,
  };
}

/**
 * Per-line differences between the SOV locked in Procore and the PO now: new lines in full, removed lines
 * negated, changed amounts as the delta. A line moved to another budget code is taken off the old code and
 * put on the new one, since a change order line cannot move money between codes by itself.
 */
export function diffCommitmentLines(
  previous: readonly CommitmentLine[],
  current: readonly CommitmentLine[],
): ChangeOrderLine[] {
  const before = new Map(previous.map((l) => [l.originId, l]));
  const now = new Set(current.map((l) => l.originId));
  const changes: ChangeOrderLine[] = [];
  for (const line of current) {
    const old = before.get(line.originId);
    if (old === undefined) changes.push(coLine(line, line.amount));
    else if (!sameBudgetCode(old.budgetCode, line.budgetCode)) {
      changes.push(coLine(old, negate(old.amount)), coLine(line, line.amount));
    } else if (!equals(old.amount, line.amount)) changes.push(coLine(line, subtract(line.amount, old.amount)));
  }
  for (const old of previous) {
    if (!now.has(old.originId)) changes.push(coLine(old, negate(old.amount)));
  }
  return changes;
}

/** The `number` of the n-th change order of a commitment: `<commitment origin id>:co:<n>`. */
export function changeOrderNumber(commitmentOriginId: string, n: number): string {
  return `${commitmentOriginId}:co:${n}`;
}

/** n when `number` is the n-th change order of the commitment, else undefined (a change order typed by hand). */
export function changeOrderIndex(commitmentOriginId: string, number: string | null): number | undefined {
  const prefix = `${commitmentOriginId}:co:`;
  const k = number?.startsWith(prefix) ? number.slice(prefix.length) : '';
  return /^[1-9]\d*$/.test(k) ? Number(k) : undefined;
}

/** The n-th change order of an Approved commitment, or undefined when the PO's lines did not change. */
export function buildChangeOrder(
  commitment: CommitmentCommand,
  previousLines: readonly CommitmentLine[],
  n: number,
): ChangeOrderCommand | undefined {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`change order number must be a positive integer, got ${n}`);
  const lines = diffCommitmentLines(previousLines, commitment.lines);
  if (lines.length === 0) return undefined;
  return {
    resource: 'changeOrder',
    number: changeOrderNumber(commitment.originId, n),
    procoreProjectId: commitment.procoreProjectId,
    commitmentOriginId: commitment.originId,
    title: `${commitment.number} change ${n} from Workday`,
    lines,
  };
}
