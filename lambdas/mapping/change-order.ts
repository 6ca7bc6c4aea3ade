import { equals, negate, subtract, toAmount } from '../shared/money';
import type { BudgetCodeRef, ChangeOrderCommand, ChangeOrderLine, CommitmentCommand, CommitmentLine } from './commands';

function sameBudgetCode(a: BudgetCodeRef, b: BudgetCodeRef): boolean {
  return a.costCode === b.costCode && a.costType === b.costType;
}

function coLine(line: CommitmentLine, amount: string): ChangeOrderLine {
  return {
    lineOriginId: line.originId,
    amount: toAmount(amount),
    description: line.description,
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
    originId: `${commitment.originId}:co:${n}`,
    procoreProjectId: commitment.procoreProjectId,
    commitmentOriginId: commitment.originId,
    title: `${commitment.number} change ${n} from Workday`,
    lines,
  };
}
