import type { CustomerConfig } from '../../lambdas/config/schema';
import { equals, subtract, toAmount } from '../../lambdas/shared/money';
import type { PurchaseOrder } from '../workday/data';
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
  const lines = [...po.goodsLines, ...po.serviceLines].sort((a, b) => a.lineNumber - b.lineNumber);
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

/** The per-line differences between the pieces first written and the current ones, as change order lines. */
function differences(before: readonly Piece[], after: readonly Piece[]): ExpectedChangeOrderLine[] {
  const old = new Map(before.map((p) => [p.originId, p]));
  const changes: ExpectedChangeOrderLine[] = [];
  for (const piece of after) {
    const was = old.get(piece.originId);
    if (!was) {
      changes.push({
        sovOriginId: undefined,
        costCode: piece.costCode,
        costType: piece.costType,
        amount: piece.amount,
      });
    } else if (was.costCode !== piece.costCode || was.costType !== piece.costType) {
      changes.push({
        sovOriginId: was.originId,
        costCode: was.costCode,
        costType: was.costType,
        amount: toAmount(subtract('0', was.amount)),
      });
      changes.push({
        sovOriginId: undefined,
        costCode: piece.costCode,
        costType: piece.costType,
        amount: piece.amount,
      });
    } else if (!equals(was.amount, piece.amount)) {
      changes.push({
        sovOriginId: was.originId,
        costCode: was.costCode,
        costType: was.costType,
        amount: toAmount(subtract(piece.amount, was.amount)),
      });
    }
    old.delete(piece.originId);
  }
  for (const was of old.values()) {
    changes.push({
      sovOriginId: was.originId,
      costCode: was.costCode,
      costType: was.costType,
      amount: toAmount(subtract('0', was.amount)),
    });
  }
  return changes;
}

/** The commitments a PO becomes; `original` is the PO as the first sync saw it when a scenario changed it since. */
export function decidePurchaseOrder(
  config: CustomerConfig,
  currencies: ProjectCurrencies,
  po: PurchaseOrder,
  original: PurchaseOrder | undefined,
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
    // A contract approved at the first sync is locked: its lines stay, and the change becomes a change order.
    const locked = original !== undefined && mappedPoStatus(config, original.status) === 'Approved';
    const firstGroups = locked ? byProject(purchaseOrderPieces(config, original)) : groups;
    const commitments: ExpectedCommitment[] = [];
    const changeOrders: ExpectedChangeOrder[] = [];
    for (const [projectId, projectPieces] of firstGroups) {
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
      const changes = locked ? differences(projectPieces, groups.get(projectId) ?? []) : [];
      if (changes.length > 0) {
        changeOrders.push({
          originId: `${originId}:co:1`,
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
