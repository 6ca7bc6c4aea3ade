import type { CustomerConfig } from '../config/schema';
import { withSign } from '../mapping/amounts';
import { type CostedPiece, configLookup, resolveBudgetCode, resolveProject } from '../mapping/budget';
import { chargeLines } from '../mapping/charges';
import { firstLineIndex, requireInSyncWindow, requireStatusInScope } from '../mapping/document';
import { type DocumentLine, piecesOf } from '../mapping/pieces';
import { MappingProblem, OutOfScope } from '../mapping/problems';
import { type Decimal, equals, subtract, sum, toAmount } from '../shared/money';
import {
  type CreditMemo,
  type Entity,
  type ParsedRecord,
  type PurchaseOrder,
  poLineKeys,
  poLineReferenceKeys,
  recordKey,
  type SupplierInvoice,
  type Worktag,
} from '../workday/records';
import type { WorkdayPager } from './poll';

/** The two figures reconciled: PO lines (committed) and invoice lines (invoiced). */
export type Measure = 'committed' | 'invoiced';

/** Where a Workday line, split or header charge lands in Procore under the current mapping. */
export interface Placement {
  /** Null when no project rule matches the line. */
  procoreProjectId: number | null;
  /** Null when the line carries no cost code and `mapping.costCodes.default` is null, or for a left-out charge. */
  costCode: string | null;
  /** Null only for a charge left out of Procore (`mapping.charges.costCode: null`). */
  costType: string | null;
}

/** One Workday amount, placed, with the record it comes from. */
export interface CostEntry extends Placement {
  key: string;
  measure: Measure;
  amount: Decimal;
  /** The line's own worktags, when it was placed by them and no project rule matched. */
  unmatchedWorktags?: Worktag[];
}

/** What each PO line became (one placement per split), for the invoice lines that bill it; by each of its keys. */
export type PoLinePlacements = Map<string, Placement[]>;

/** A Procore amount, attributed to the record that wrote it (`procore:<resource>:<id>` when none did). */
export interface ProcoreCost {
  key: string;
  measure: Measure;
  procoreProjectId: number;
  costCode: string;
  costType: string;
  amount: Decimal;
}

/** One row of the reconciliation: a Procore project × cost code × cost type. */
export interface ReportRow {
  procoreProjectId: number | null;
  costCode: string | null;
  costType: string | null;
  workday: Record<Measure, Decimal>;
  procore: Record<Measure, Decimal>;
  difference: Record<Measure, Decimal>;
  /** Records whose Workday and Procore amounts in this row disagree. */
  records: string[];
}

/** The `report --json` object (README, "Commands"). */
export interface Report {
  reconciled: boolean;
  rows: ReportRow[];
}

function costTypeOf(piece: CostedPiece, config: CustomerConfig): string {
  const { bySpendCategory, default: fallback } = config.mapping.costTypes;
  return configLookup(bySpendCategory, piece.spendCategory ?? '') ?? fallback;
}

/** A piece placed by its own worktags, as the mapper would; what it cannot resolve stays null. */
function place(piece: CostedPiece, config: CustomerConfig): Placement & { unmatchedWorktags?: Worktag[] } {
  let procoreProjectId: number | null = null;
  let costCode: string | null = null;
  let costType = costTypeOf(piece, config);
  try {
    procoreProjectId = resolveProject(piece, config).procoreProjectId;
  } catch (error) {
    if (!(error instanceof MappingProblem)) throw error;
  }
  try {
    const resolved = resolveBudgetCode(piece, config).budgetCode;
    costCode = resolved.costCode;
    costType = resolved.costType;
  } catch (error) {
    if (!(error instanceof MappingProblem)) throw error;
  }
  return {
    procoreProjectId,
    costCode,
    costType,
    ...(procoreProjectId === null ? { unmatchedWorktags: [...piece.worktags] } : {}),
  };
}

type Piece = CostedPiece & { amount: Decimal; splitIndex: number | undefined };

// A line whose splits do not add up is quarantined by the mapper; here it still counts, whole, on its own worktags.
function safePieces(line: DocumentLine, label: string): Piece[] {
  try {
    return piecesOf(line, label);
  } catch (error) {
    if (!(error instanceof MappingProblem)) throw error;
    const { worktags, spendCategory, extendedAmount: amount } = line;
    return [{ label, worktags, spendCategory, amount, splitIndex: undefined }];
  }
}

function inScope(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof OutOfScope) return false;
    throw error;
  }
}

type Charged = Pick<PurchaseOrder, 'wid' | 'taxAmount' | 'freightAmount' | 'otherCharges'>;

function chargeEntries(
  document: Charged,
  label: string,
  first: Placement | undefined,
  base: { key: string; measure: Measure },
  config: CustomerConfig,
): CostEntry[] {
  const projectId = first?.procoreProjectId ?? null;
  const target = {
    documentWid: document.wid,
    documentLabel: label,
    procoreProjectId: projectId ?? 0,
    firstLineLabel: '',
  };
  const { lines, leftOut } = chargeLines(document, target, config);
  return [
    ...lines.map((l) => ({ ...base, procoreProjectId: projectId, ...l.budgetCode, amount: l.amount })),
    ...leftOut.map((c) => ({ ...base, procoreProjectId: projectId, costCode: null, costType: null, amount: c.amount })),
  ];
}

/**
 * The committed amounts of a PO in scope (status in `purchaseOrders.statusMap`, dated from `syncFrom`), each
 * line placed as the mapper places it, quarantined lines included; records each line's placements in `lines`.
 */
export function costPurchaseOrder(
  po: PurchaseOrder,
  config: CustomerConfig,
  lines: PoLinePlacements,
): CostEntry[] | undefined {
  const label = `PO ${po.documentNumber}`;
  const statuses = Object.keys(config.purchaseOrders.statusMap);
  const hasStatus = po.status.id !== undefined || po.status.descriptor !== undefined;
  if (!hasStatus || !inScope(() => requireInSyncWindow(label, po.documentDate, config))) return undefined;
  if (!inScope(() => requireStatusInScope(label, po.status, statuses, 'purchaseOrders.statusMap'))) return undefined;
  const base = { key: recordKey(po), measure: 'committed' as const };
  const entries: CostEntry[] = [];
  for (const line of po.lines) {
    const placements = safePieces(line, `${label} line ${line.lineNumber ?? line.lineId}`).map((piece) => {
      const placed = place(piece, config);
      entries.push({ ...base, ...placed, amount: piece.amount });
      return { procoreProjectId: placed.procoreProjectId, costCode: placed.costCode, costType: placed.costType };
    });
    for (const key of poLineKeys(po.documentNumber, line)) lines.set(key, placements);
  }
  const firstLine =
    po.lines[firstLineIndex(po.lines, (l) => (l.lineNumber === undefined ? undefined : BigInt(l.lineNumber)))];
  const first = firstLine === undefined ? undefined : lines.get(firstLine.lineId)?.[0];
  return [...entries, ...chargeEntries(po, label, first, base, config)];
}

/** Invoice and credit memo amounts as Procore carries them: a credit memo negative unless it increases liability. */
function signed(document: SupplierInvoice | CreditMemo): SupplierInvoice | CreditMemo {
  if (document.kind === 'invoice') return document;
  const sign = (amount: Decimal) => withSign(amount, !document.increaseLiability);
  const { taxAmount, freightAmount, otherCharges } = document;
  return {
    ...document,
    ...(taxAmount === undefined ? {} : { taxAmount: sign(taxAmount) }),
    ...(freightAmount === undefined ? {} : { freightAmount: sign(freightAmount) }),
    ...(otherCharges === undefined ? {} : { otherCharges: sign(otherCharges) }),
    lines: document.lines.map((line) => ({
      ...line,
      extendedAmount: sign(line.extendedAmount),
      splits: line.splits.map((split) => ({ ...split, extendedAmount: sign(split.extendedAmount) })),
    })),
  };
}

/**
 * The invoiced amounts of an invoice or credit memo in scope (status in `invoices.statuses`, dated from
 * `syncFrom`): a line on a PO lands where its PO line landed (on its budget code when it becomes a
 * requisition item), any other line by its own worktags.
 */
export function costInvoice(
  original: SupplierInvoice | CreditMemo,
  config: CustomerConfig,
  poLines: PoLinePlacements,
): CostEntry[] | undefined {
  const label = `${original.kind === 'invoice' ? 'Invoice' : 'Credit memo'} ${original.invoiceNumber}`;
  if (!inScope(() => requireInSyncWindow(label, original.invoiceDate, config))) return undefined;
  if (!inScope(() => requireStatusInScope(label, original.status, config.invoices.statuses, 'invoices.statuses'))) {
    return undefined;
  }
  const document = signed(original);
  const base = { key: recordKey(original), measure: 'invoiced' as const };
  const firstByLine = new Map<string, Placement>();
  const entries: CostEntry[] = [];
  for (const line of document.lines) {
    const ref = line.purchaseOrderLine;
    const parts = (ref === undefined ? [] : poLineReferenceKeys(ref))
      .map((key) => poLines.get(key))
      .find((placements) => placements !== undefined);
    for (const piece of safePieces(line, `${label} line ${line.lineOrder ?? line.lineId}`)) {
      const own = place(piece, config);
      const part =
        parts === undefined ? undefined : (parts[parts.length === 1 ? 0 : (piece.splitIndex ?? 0)] ?? parts[0]);
      let placed: Placement & { unmatchedWorktags?: Worktag[] } = own;
      if (part !== undefined) {
        placed =
          config.invoices.poBacked === 'requisition'
            ? part
            : { procoreProjectId: part.procoreProjectId, costCode: own.costCode, costType: own.costType };
      } else if (line.purchaseOrderLine !== undefined) {
        // Its PO is not among the documents read: where it lands is the PO's business, not this line's worktags.
        placed = { procoreProjectId: own.procoreProjectId, costCode: own.costCode, costType: own.costType };
      }
      if (!firstByLine.has(line.lineId)) firstByLine.set(line.lineId, placed);
      entries.push({ ...base, ...placed, amount: piece.amount });
    }
  }
  const order = (l: { lineOrder?: string | undefined }) =>
    l.lineOrder?.match(/^\d+$/) ? BigInt(l.lineOrder) : undefined;
  const firstLine = document.lines[firstLineIndex(document.lines, order)];
  const first = firstLine === undefined ? undefined : firstByLine.get(firstLine.lineId);
  return [...entries, ...chargeEntries(document, label, first, base, config)];
}

/** Reads what the report and `ping` need from Workday: POs, invoices and credit memos of a window, costed. */
export async function readWorkdayCosts(
  deps: { workday: WorkdayPager; config: CustomerConfig; now: () => number },
  window: { from: string; to: string },
  onPage?: (entity: Entity, page: number, totalPages: number) => void,
): Promise<{ entries: CostEntry[]; documents: ParsedRecord[] }> {
  const asOf = new Date(deps.now()).toISOString();
  const poLines: PoLinePlacements = new Map();
  const entries: CostEntry[] = [];
  const documents: ParsedRecord[] = [];
  // POs first: invoice lines land where the PO lines they bill landed.
  for (const entity of ['purchaseOrders', 'invoices', 'creditMemos'] as const) {
    const bounds =
      entity === 'purchaseOrders'
        ? { from: `${window.from}T00:00:00.000Z`, to: asOf }
        : { from: window.from, to: window.to };
    for await (const page of deps.workday.pages({ entity, window: bounds, asOf, startPage: 1 })) {
      onPage?.(entity, page.page, page.totalPages);
      for (const record of page.records) {
        documents.push(record);
        const costed =
          record.kind === 'purchaseOrder'
            ? costPurchaseOrder(record, deps.config, poLines)
            : record.kind === 'supplier'
              ? undefined
              : costInvoice(record, deps.config, poLines);
        if (costed !== undefined) entries.push(...costed);
      }
      if (page.page >= page.totalPages) break;
    }
  }
  return { entries, documents };
}

const ZERO = { committed: '0', invoiced: '0' };

function rowKey(p: { procoreProjectId: number | null; costCode: string | null; costType: string | null }): string {
  return JSON.stringify([p.procoreProjectId, p.costCode, p.costType]);
}

interface Tally {
  placement: Placement;
  workday: Map<string, Record<Measure, Decimal>>;
  procore: Map<string, Record<Measure, Decimal>>;
}

function addTo(map: Map<string, Record<Measure, Decimal>>, key: string, measure: Measure, amount: Decimal): void {
  const current = map.get(key) ?? { ...ZERO };
  current[measure] = sum([current[measure], amount]);
  map.set(key, current);
}

function totals(map: Map<string, Record<Measure, Decimal>>): Record<Measure, Decimal> {
  const values = [...map.values()];
  return {
    committed: toAmount(sum(values.map((v) => v.committed))),
    invoiced: toAmount(sum(values.map((v) => v.invoiced))),
  };
}

/**
 * Rows per Procore project × cost code × cost type, Workday against Procore. A difference is traced to
 * the records whose own Workday and Procore amounts in the row disagree: never synced, quarantined,
 * dead-lettered, or changed in Procore by hand. Charges left out by `mapping.charges` are rows of their
 * own (cost code and type null) that count as no difference.
 */
export function reconcile(workday: readonly CostEntry[], procore: readonly ProcoreCost[]): Report {
  const tallies = new Map<string, Tally>();
  const tallyOf = (placement: Placement) => {
    const key = rowKey(placement);
    let tally = tallies.get(key);
    if (tally === undefined) {
      const { procoreProjectId, costCode, costType } = placement;
      tally = { placement: { procoreProjectId, costCode, costType }, workday: new Map(), procore: new Map() };
      tallies.set(key, tally);
    }
    return tally;
  };
  for (const e of workday) addTo(tallyOf(e).workday, e.key, e.measure, e.amount);
  for (const p of procore) addTo(tallyOf(p).procore, p.key, p.measure, p.amount);

  const rows = [...tallies.values()].map(({ placement, workday: wd, procore: pc }): ReportRow => {
    const leftOut = placement.costType === null;
    const w = totals(wd);
    const p = totals(pc);
    const keys = new Set([...wd.keys(), ...pc.keys()]);
    const disagree = [...keys].filter((key) => {
      const a = wd.get(key) ?? ZERO;
      const b = pc.get(key) ?? ZERO;
      return !equals(a.committed, b.committed) || !equals(a.invoiced, b.invoiced);
    });
    return {
      ...placement,
      workday: w,
      procore: p,
      difference: leftOut
        ? { committed: '0.00', invoiced: '0.00' }
        : {
            committed: toAmount(subtract(w.committed, p.committed)),
            invoiced: toAmount(subtract(w.invoiced, p.invoiced)),
          },
      records: disagree.sort(),
    };
  });
  rows.sort(compareRows);
  return { reconciled: rows.every((r) => r.costType === null || r.records.length === 0), rows };
}

function compareRows(a: ReportRow, b: ReportRow): number {
  const project = (a.procoreProjectId ?? Number.MAX_SAFE_INTEGER) - (b.procoreProjectId ?? Number.MAX_SAFE_INTEGER);
  if (project !== 0) return project;
  return (
    (a.costCode ?? '\uffff').localeCompare(b.costCode ?? '\uffff') ||
    (a.costType ?? '\uffff').localeCompare(b.costType ?? '\uffff')
  );
}
