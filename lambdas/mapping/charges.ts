import type { CustomerConfig } from '../config/schema';
import { type Decimal, isZero } from '../shared/money';
import { requireAmount } from './amounts';
import type { ChargeKind, CommitmentLine, LeftOutCharge } from './commands';

/** The header charge amounts of a PO, invoice or credit memo. */
export interface DocumentCharges {
  taxAmount?: Decimal | undefined;
  freightAmount?: Decimal | undefined;
  otherCharges?: Decimal | undefined;
}

const LABELS: Record<ChargeKind, string> = { tax: 'Tax', freight: 'Freight', other: 'Other charges' };

function nonZeroCharges(document: DocumentCharges, documentLabel: string): { kind: ChargeKind; amount: Decimal }[] {
  const all: [ChargeKind, Decimal | undefined][] = [
    ['tax', document.taxAmount],
    ['freight', document.freightAmount],
    ['other', document.otherCharges],
  ];
  return all.flatMap(([kind, amount]) =>
    amount === undefined || isZero(requireAmount(`${documentLabel} ${LABELS[kind].toLowerCase()}`, amount))
      ? []
      : [{ kind, amount }],
  );
}

/** Where a document's charges go: the project of its first line, named for the plan. */
export interface ChargesTarget {
  documentWid: string;
  documentLabel: string;
  procoreProjectId: number;
  firstLineLabel: string;
}

/**
 * One extra line per non-zero header charge on `mapping.charges`, origin id `<documentWID>:charges:<kind>`;
 * with `costCode: null` none are sent and they come back as left out, for `report`.
 */
export function chargeLines(
  document: DocumentCharges,
  target: ChargesTarget,
  config: CustomerConfig,
): { lines: CommitmentLine[]; leftOut: LeftOutCharge[] } {
  const charges = nonZeroCharges(document, target.documentLabel);
  const { costCode, costType } = config.mapping.charges;
  if (costCode === null) {
    return {
      lines: [],
      leftOut: charges.map((c) => ({ kind: c.kind, amount: c.amount, procoreProjectId: target.procoreProjectId })),
    };
  }
  const lines = charges.map((c) => ({
    originId: `${target.documentWid}:charges:${c.kind}`,
    amount: c.amount,
    description: `${LABELS[c.kind]} on ${target.documentLabel}`,
    budgetCode: { costCode, costType },
    rule: `${LABELS[c.kind].toLowerCase()} → ${target.procoreProjectId} (project of ${target.firstLineLabel}); mapping.charges → ${costCode} × ${costType}`,
  }));
  return { lines, leftOut: [] };
}
