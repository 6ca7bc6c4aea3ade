import { type Decimal, equals, sum, toAmount } from '../shared/money';
import type { LineSplit, Worktag } from '../workday/records';
import { requireAmount } from './amounts';
import { type CostedPiece, effectiveWorktags } from './budget';
import { MappingProblem } from './problems';
import { lineDescription } from './text';

/** The fields PO lines and invoice lines share that decide their Procore lines. */
export interface DocumentLine {
  lineId: string;
  description: string;
  spendCategory?: string | undefined;
  quantity?: Decimal | undefined;
  unitCost?: Decimal | undefined;
  unitOfMeasure?: string | undefined;
  extendedAmount: Decimal;
  worktags: Worktag[];
  splits: LineSplit[];
}

/** One Procore line to be: a whole Workday line, or one of its splits. */
export interface LinePiece extends CostedPiece {
  /** `<lineId>` or `<lineId>:<split#>`, appended to the document WID for the origin id. */
  lineKey: string;
  amount: Decimal;
  description: string;
  /** 0-based position among the line's splits; undefined for an unsplit line. */
  splitIndex: number | undefined;
}

/**
 * A line without splits is one piece; a split line is one piece per split, numbered 1-based in document
 * order. Split amounts must add up to the line: otherwise Procore would not show Workday's total.
 */
export function piecesOf(line: DocumentLine, lineLabel: string): LinePiece[] {
  if (line.splits.length === 0) {
    return [
      {
        label: lineLabel,
        lineKey: line.lineId,
        amount: requireAmount(lineLabel, line.extendedAmount),
        description: lineDescription(line.description, line, lineLabel),
        worktags: line.worktags,
        spendCategory: line.spendCategory,
        splitIndex: undefined,
      },
    ];
  }
  const amounts = line.splits.map((s, index) => requireAmount(`${lineLabel} split ${index + 1}`, s.extendedAmount));
  const splitTotal = sum(amounts);
  if (!equals(splitTotal, requireAmount(lineLabel, line.extendedAmount))) {
    throw new MappingProblem(
      `${lineLabel}: its splits add up to ${toAmount(splitTotal)} but the line amount is ${line.extendedAmount}; correct the splits in Workday.`,
    );
  }
  const count = line.splits.length;
  return line.splits.map((split, index) => ({
    label: `${lineLabel} split ${index + 1}`,
    lineKey: `${line.lineId}:${index + 1}`,
    amount: split.extendedAmount,
    description: lineDescription(
      `${line.description.trim() || lineLabel} (split ${index + 1}/${count})`,
      { quantity: split.quantity, unitOfMeasure: line.unitOfMeasure, unitCost: line.unitCost },
      lineLabel,
    ),
    worktags: effectiveWorktags(split.worktags, line.worktags),
    spendCategory: line.spendCategory,
    splitIndex: index,
  }));
}
