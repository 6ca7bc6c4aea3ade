import type { CustomerConfig } from '../config/schema';
import {
  type PurchaseOrder,
  type PurchaseOrderLine,
  poLineKeys,
  poLineReferenceKeys,
  type Reference,
  recordKey,
} from '../workday/records';
import { resolveBudgetCode, resolveProject } from './budget';
import { chargeLines } from './charges';
import type {
  CommitmentCommand,
  CommitmentHeader,
  CommitmentLine,
  MapResult,
  PoLineInfo,
  PurchaseOrderStatus,
} from './commands';
import { documentCurrency } from './currency';
import { firstLineIndex, groupBy, requireInSyncWindow, requireUniqueLineIds, supplierOriginId } from './document';
import { type LinePiece, piecesOf } from './pieces';
import { MappingProblem, mapEach, OutOfScope, settle } from './problems';
import { truncate } from './text';

interface PlannedLine {
  lineId: string;
  piece: LinePiece;
  procoreProjectId: number;
  commitmentLine: CommitmentLine;
}

function label(po: PurchaseOrder): string {
  return `PO ${po.documentNumber}`;
}

function lineLabel(po: PurchaseOrder, line: PurchaseOrderLine): string {
  return `${label(po)} line ${line.lineNumber ?? line.lineId}`;
}

/** The Procore status for the PO's Workday status (its ID, else its descriptor, case-insensitively). */
function procoreStatus(po: PurchaseOrder, config: CustomerConfig): PurchaseOrderStatus {
  const entries = Object.entries(config.purchaseOrders.statusMap);
  for (const candidate of [po.status.id, po.status.descriptor]) {
    const wanted = candidate?.trim().toLowerCase();
    if (wanted === undefined || wanted === '') continue;
    const hit = entries.find(([workday]) => workday.trim().toLowerCase() === wanted);
    if (hit !== undefined) return hit[1];
  }
  const shown = po.status.descriptor ?? po.status.id ?? '(none)';
  throw new OutOfScope(
    `${label(po)}: PO status ${shown} is not in purchaseOrders.statusMap, so it is not synced until its status changes to one that is.`,
  );
}

/** Every line (or split) of the PO placed in a project and on a budget code; quarantines naming every bad line. */
function planLines(po: PurchaseOrder, config: CustomerConfig): PlannedLine[] {
  if (po.lines.length === 0) {
    throw new MappingProblem(
      `${label(po)} has no goods or service lines, and a Procore purchase order needs at least one: add its lines in Workday.`,
    );
  }
  requireUniqueLineIds(label(po), po.lines);
  return mapEach(po.lines, (line) =>
    mapEach(piecesOf(line, lineLabel(po, line)), (piece): PlannedLine => {
      const project = resolveProject(piece, config);
      const budget = resolveBudgetCode(piece, config);
      return {
        lineId: line.lineId,
        piece,
        procoreProjectId: project.procoreProjectId,
        commitmentLine: {
          originId: `${po.wid}:${piece.lineKey}`,
          amount: piece.amount,
          description: piece.description,
          budgetCode: budget.budgetCode,
          rule: `${project.rule}; ${budget.rule}`,
        },
      };
    }),
  ).flat();
}

function firstPlanned(po: PurchaseOrder, planned: readonly PlannedLine[]): PlannedLine {
  const firstLine =
    po.lines[firstLineIndex(po.lines, (l) => (l.lineNumber === undefined ? undefined : BigInt(l.lineNumber)))];
  const first = planned.find((p) => p.lineId === firstLine?.lineId) ?? planned[0];
  if (first === undefined) throw new MappingProblem(`${label(po)} has no lines to map.`);
  return first;
}

function header(po: PurchaseOrder, status: PurchaseOrderStatus): CommitmentHeader {
  const memo = po.memo?.trim();
  const about = po.supplier.descriptor?.trim() || memo;
  return {
    title: truncate(about ? `${po.documentNumber} — ${about}` : po.documentNumber),
    status,
    origin_code: po.documentNumber,
    accounting_method: 'amount',
    ...(memo ? { description: memo } : {}),
    contract_date: po.documentDate,
    ...(po.dueDate === undefined ? {} : { delivery_date: po.dueDate }),
  };
}

function planPurchaseOrder(po: PurchaseOrder, config: CustomerConfig): CommitmentCommand[] {
  const status = procoreStatus(po, config);
  requireInSyncWindow(label(po), po.documentDate, config);
  const vendorOriginId = supplierOriginId(label(po), po.supplier);
  const planned = planLines(po, config);
  const byProject = groupBy(planned, (p) => p.procoreProjectId);
  const first = firstPlanned(po, planned);
  const charges = chargeLines(
    po,
    {
      documentWid: po.wid,
      documentLabel: label(po),
      procoreProjectId: first.procoreProjectId,
      firstLineLabel: first.piece.label,
    },
    config,
  );
  return [...byProject].map(([procoreProjectId, lines]): CommitmentCommand => {
    const chargesHere = procoreProjectId === first.procoreProjectId;
    return {
      resource: 'commitment',
      originId: `${po.wid}:${procoreProjectId}`,
      procoreProjectId,
      vendorOriginId,
      number: po.documentNumber,
      ...documentCurrency(po.currency, procoreProjectId, config),
      header: header(po, status),
      lines: [...lines.map((p) => p.commitmentLine), ...(chargesHere ? charges.lines : [])],
      ...(chargesHere && charges.leftOut.length > 0 ? { chargesLeftOut: charges.leftOut } : {}),
    };
  });
}

/** PO → one purchase order contract per Procore project its lines (or splits) map to. */
export function mapPurchaseOrder(po: PurchaseOrder, config: CustomerConfig): MapResult {
  return settle(recordKey(po), () => planPurchaseOrder(po, config));
}

/** What each line of a mappable PO became in Procore, for the PO-line index invoices are mapped against. */
export function poLineIndexEntries(po: PurchaseOrder, config: CustomerConfig): PoLineInfo[] {
  let planned: PlannedLine[];
  try {
    procoreStatus(po, config);
    requireInSyncWindow(label(po), po.documentDate, config);
    supplierOriginId(label(po), po.supplier);
    planned = planLines(po, config);
  } catch (error) {
    // A PO that is out of scope or quarantined has no lines in Procore to bill against.
    if (error instanceof OutOfScope || error instanceof MappingProblem) return [];
    throw error;
  }
  return [...groupBy(planned, (p) => p.lineId)].flatMap(([lineId, parts]) => {
    const entry = {
      purchaseOrderWid: po.wid,
      lineId,
      parts: parts.map((p) => ({
        procoreProjectId: p.procoreProjectId,
        commitmentLineOriginId: p.commitmentLine.originId,
        amount: p.commitmentLine.amount,
      })),
    };
    // Indexed under each key an invoice line may name it by (its line ID, its number in the PO).
    const line = po.lines.find((l) => l.lineId === lineId);
    const keys = line === undefined ? [lineId] : poLineKeys(po.documentNumber, line);
    return keys.map((key) => ({ ...entry, lineId: key }));
  });
}

/** A `MappingContext.poLines` over index entries, by the first key of the reference that one answers to. */
export function poLineLookup(entries: readonly PoLineInfo[]): (lineRef: Reference) => PoLineInfo | undefined {
  const byKey = new Map(entries.map((e) => [e.lineId, e]));
  return (lineRef) =>
    poLineReferenceKeys(lineRef)
      .map((key) => byKey.get(key))
      .find((entry) => entry !== undefined);
}
