import type { CustomerConfig } from '../../lambdas/config/schema';
import { costedLines } from '../workday/data';
import { COST_CODES, COST_TYPES, DEFAULT_COST_CODE } from './catalog';
import type { FirmData } from './data';
import type { FirmLayout } from './layout';
import { linePieces, type MappableLine, type Piece, Quarantine } from './oracle-rules';

/** `projectId` → set of `costCode|costType` pairs that need a budget code. */
export type BudgetCombos = Map<number, Set<string>>;

function add(combos: BudgetCombos, piece: Piece): void {
  let set = combos.get(piece.procoreProjectId);
  if (!set) {
    set = new Set();
    combos.set(piece.procoreProjectId, set);
  }
  set.add(`${piece.costCode}|${piece.costType}`);
}

function addLines(combos: BudgetCombos, config: CustomerConfig, wid: string, lines: readonly MappableLine[]): void {
  const pieces: Piece[] = [];
  for (const line of lines) {
    try {
      pieces.push(...linePieces(config, wid, line, wid));
    } catch (error) {
      if (!(error instanceof Quarantine)) throw error;
    }
  }
  for (const piece of pieces) add(combos, piece);
}

/**
 * The cost code × cost type pairs each project has: every catalogue pair, plus any other pair the firm's
 * documents use (the enterprise scale skips that scan).
 */
export function budgetCombos(layout: FirmLayout, config: CustomerConfig, data: FirmData): BudgetCombos {
  const combos: BudgetCombos = new Map();
  for (const project of layout.projects) {
    const set = new Set(COST_TYPES.map((t) => `${DEFAULT_COST_CODE}|${t.code}`));
    // Charges land in the project of a document's first line, which may be any project.
    const { costCode, costType } = config.mapping.charges;
    if (costCode !== null) set.add(`${costCode}|${costType}`);
    // Every cost code gets every cost type, as a firm's standard budget does: documents the scenario adds later
    // then find their budget codes too. Tests that need a missing one delete it.
    for (const c of COST_CODES) for (const t of COST_TYPES) set.add(`${c.division}-${c.code}|${t.code}`);
    combos.set(project.procoreId, set);
  }
  if (layout.spec.lazy) return combos;
  // Pass-through cost codes not in the catalogue still need theirs.
  for (const { record: po } of data.purchaseOrders.all()) {
    const lines = costedLines(po);
    addLines(combos, config, po.wid, lines);
  }
  for (const { record: doc } of [...data.invoices.all(), ...data.adjustments.all()]) {
    addLines(
      combos,
      config,
      doc.wid,
      doc.lines.filter((l) => !l.purchaseOrderLine),
    );
  }
  return combos;
}
