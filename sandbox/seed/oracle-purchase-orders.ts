import type { CustomerConfig } from '../../lambdas/config/schema';
import { equals, subtract, toAmount } from '../../lambdas/shared/money';
import { costedLines, type PurchaseOrder } from '../workday/data';
import {
  chargePieces,
  checkCurrency,
  linePieces,
  mappedPoStatus,
  type Piece,
  type ProjectCurrencies,
  Quarantine,
} from './oracle-rules';
import type { ExpectedChangeOrder, ExpectedChangeOrderLine, ExpectedCommitment, ExpectedLine } from './oracle-types';

/** How one PO ends up: skipped, quarantined, or its commitments (and change orders after a scenario change). */
export type PoDecision =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'quarantined'; reason: string }
  | { outcome: 'written'; commitments: ExpectedCommitment[]; changeOrders: ExpectedChangeOrder[] };

/** Every piece of a PO: its lines (or splits) in Line_Number order, then its charges in the first line's project. */
export function purchaseOrderPieces(config: CustomerConfig, po: PurchaseOrder): Piece[] {
  const lines = costedLines(po);
  const pieces = lines.flatMap((line) =>
    linePieces(config, po.wid, line, `PO ${po.documentNumber} line ${line.lineNumber}`),
  );
  const first = pieces[0];
  if (!first) return pieces;
  const charges = { tax: po.taxAmount, freight: po.freightAmount, other: po.otherCharges };
  return [...pieces, ...chargePieces(config, po.wid, charges, first.procoreProjectId)];
}

function byProject(pieces: readonly Piece[]): Map<number, Piece[]> {
  const groups = new Map<number, Piece[]>();
  for (const piece of pieces)
    groups.set(piece.procoreProjectId, [...(groups.get(piece.procoreProjectId) ?? []), piece]);
  return groups;
}

function line(piece: Piece): ExpectedLine {
  const { originId, costCode, costType, amount } = piece;
  return { originId, costCode, costType, amount };
}

/**
 * The per-line differences between two versions of a PO's pieces in one project, as change order lines. A line
 * sits on its SOV line only where the SOV (`sov`, the pieces first written) has it on the same budget code.
 */
function differences(
  before: readonly Piece[],
  after: readonly Piece[],
  sov: ReadonlyMap<string, Piece>,
): ExpectedChangeOrderLine[] {
  const old = new Map(before.map((p) => [p.originId, p]));
  const on = (piece: Piece, amount: string): ExpectedChangeOrderLine => {
    const s = sov.get(piece.originId);
    const same = s !== undefined && s.costCode === piece.costCode && s.costType === piece.costType;
    return {
      sovOriginId: same ? piece.originId : undefined,
      costCode: piece.costCode,
      costType: piece.costType,
      amount: toAmount(amount),
    };
  };
  const changes: ExpectedChangeOrderLine[] = [];
  for (const piece of after) {
    const was = old.get(piece.originId);
    if (!was) changes.push(on(piece, piece.amount));
    else if (was.costCode !== piece.costCode || was.costType !== piece.costType) {
      changes.push(on(was, subtract('0', was.amount)), on(piece, piece.amount));
    } else if (!equals(was.amount, piece.amount)) changes.push(on(piece, subtract(piece.amount, was.amount)));
    old.delete(piece.originId);
  }
  for (const was of old.values()) changes.push(on(was, subtract('0', was.amount)));
  return changes;
}

/**
 * The commitments a PO becomes; `earlier` holds the PO as each earlier sync saw it (oldest first) when the scenario
 * changed it since. A contract approved at the first sync is locked: its lines stay, and each later change becomes
 * the next change order of the commitment, holding the difference from the version synced before it.
 */
export function decidePurchaseOrder(
  config: CustomerConfig,
  currencies: ProjectCurrencies,
  po: PurchaseOrder,
  earlier: readonly PurchaseOrder[] | undefined,
  linked: ReadonlyMap<string, number>,
): PoDecision {
  const status = mappedPoStatus(config, po.status);
  if (status === undefined) return { outcome: 'skipped', reason: `status ${po.status.descriptor} is not in statusMap` };
  if (config.syncFrom !== undefined && po.documentDate < config.syncFrom) {
    return { outcome: 'skipped', reason: `dated ${po.documentDate}, before syncFrom` };
  }
  try {
    const pieces = purchaseOrderPieces(config, po);
    const groups = byProject(pieces);
    for (const projectId of groups.keys()) checkCurrency(currencies, projectId, po.currency, `PO ${po.documentNumber}`);
    const [first] = earlier ?? [];
    const locked = first !== undefined && mappedPoStatus(config, first.status) === 'Approved';
    const versions = locked ? [...(earlier ?? []), po].map((v) => byProject(purchaseOrderPieces(config, v))) : [groups];
    const commitments: ExpectedCommitment[] = [];
    const changeOrders: ExpectedChangeOrder[] = [];
    for (const [projectId, projectPieces] of versions[0] ?? groups) {
      const originId = `${po.wid}:${projectId}`;
      commitments.push({
        originId,
        procoreProjectId: projectId,
        number: po.documentNumber,
        status,
        vendorOriginId: po.supplier.wid,
        procoreId: linked.get(originId),
        lines: projectPieces.map(line),
      });
      const sov = new Map(projectPieces.map((p) => [p.originId, p]));
      let n = 0;
      for (let k = 1; k < versions.length; k++) {
        const changes = differences(versions[k - 1]?.get(projectId) ?? [], versions[k]?.get(projectId) ?? [], sov);
        if (changes.length === 0) continue;
        n += 1;
        changeOrders.push({
          number: `${originId}:co:${n}`,
          procoreProjectId: projectId,
          commitmentOriginId: originId,
          lines: changes,
        });
      }
    }
    return { outcome: 'written', commitments, changeOrders };
  } catch (error) {
    if (error instanceof Quarantine) return { outcome: 'quarantined', reason: error.message };
    throw error;
  }
}
