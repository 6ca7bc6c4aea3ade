import type { CustomerConfig } from '../../lambdas/config/schema';
import { abs, add, negate, toAmount } from '../../lambdas/shared/money';
import type { InvoiceAdjustment, InvoiceLine, PurchaseOrder, SupplierInvoice } from '../workday/data';
import { purchaseOrderPieces } from './oracle-purchase-orders';
import {
  chargePieces,
  checkCurrency,
  linePieces,
  type Piece,
  type ProjectCurrencies,
  Quarantine,
  statusIn,
} from './oracle-rules';
import type { ExpectedDirectCost, ExpectedRequisition } from './oracle-types';

/** How one invoice or credit memo ends up. */
export type InvoiceDecision =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'quarantined'; reason: string }
  | { outcome: 'written'; requisitions: ExpectedRequisition[]; directCosts: ExpectedDirectCost[] };

/** A supplier invoice or a credit memo, seen the same way. */
export interface PayableView {
  wid: string;
  label: string;
  /** Invoices carry theirs; a credit memo's is not in its data, but the connector asks only for those in scope. */
  status: SupplierInvoice['status'];
  date: string;
  currency: string;
  invoiceNumber: string;
  supplierWid: string;
  /** Set when a contingent worker, not a supplier, billed it. */
  contingentWorker: string | undefined;
  lines: InvoiceLine[];
  charges: { tax?: string | undefined; freight?: string | undefined; other?: string | undefined };
  /** Amount sign: invoices as they are; credit memos negative unless Increase_Liability. */
  sign: (amount: string) => string;
}

/** An invoice as the oracle reads it. */
export function invoiceView(invoice: SupplierInvoice): PayableView {
  return {
    wid: invoice.wid,
    label: `invoice ${invoice.invoiceNumber}`,
    status: invoice.status,
    date: invoice.invoiceDate,
    currency: invoice.currency,
    invoiceNumber: invoice.suppliersInvoiceNumber ?? invoice.invoiceNumber,
    supplierWid: invoice.supplier.wid,
    contingentWorker: invoice.contingentWorker?.id,
    lines: invoice.lines,
    charges: { tax: invoice.taxAmount, freight: invoice.freightAmount, other: invoice.otherCharges },
    sign: (amount) => amount,
  };
}

/** A credit memo as the oracle reads it. */
export function creditMemoView(memo: InvoiceAdjustment): PayableView {
  return {
    wid: memo.wid,
    label: `credit memo ${memo.invoiceNumber}`,
    status: memo.status,
    date: memo.adjustmentDate,
    currency: memo.currency,
    invoiceNumber: memo.suppliersInvoiceNumber ?? memo.invoiceNumber,
    supplierWid: memo.supplier.wid,
    contingentWorker: memo.contingentWorker?.id,
    lines: memo.lines,
    charges: { tax: memo.taxAmount, freight: memo.freightAmount, other: memo.otherCharges },
    sign: (amount) => toAmount(memo.increaseLiability ? abs(amount) : negate(abs(amount))),
  };
}

/** The SOV piece a PO-backed invoice line bills. */
function billedPiece(
  config: CustomerConfig,
  line: InvoiceLine,
  findPo: (wid: string) => PurchaseOrder | undefined,
  where: string,
): Piece {
  const link = line.purchaseOrderLine;
  const po = link ? findPo(link.purchaseOrderWid) : undefined;
  if (!link || !po) throw new Quarantine(`${where}: references a PO that is not in Workday`);
  const origin = `${po.wid}:${link.lineId}`;
  const piece = purchaseOrderPieces(config, po).find(
    (p) => p.originId === origin || p.originId.startsWith(`${origin}:`),
  );
  if (!piece)
    throw new Quarantine(`${where}: references PO ${po.documentNumber} line ${link.lineId}, which it does not have`);
  return piece;
}

function directCost(doc: PayableView, originId: string, projectId: number): ExpectedDirectCost {
  return {
    originId,
    procoreProjectId: projectId,
    invoiceNumber: doc.invoiceNumber,
    date: doc.date,
    vendorOriginId: doc.supplierWid,
    lines: [],
  };
}

/** What an invoice or credit memo becomes: requisitions per commitment, direct costs per project. */
export function decidePayable(
  config: CustomerConfig,
  currencies: ProjectCurrencies,
  doc: PayableView,
  findPo: (wid: string) => PurchaseOrder | undefined,
): InvoiceDecision {
  if (config.syncFrom !== undefined && doc.date < config.syncFrom) {
    return { outcome: 'skipped', reason: `dated ${doc.date}, before syncFrom` };
  }
  // A worker is no vendor, whatever the status: the document is out of the connector's scope.
  if (doc.contingentWorker !== undefined) {
    return { outcome: 'skipped', reason: `billed by contingent worker ${doc.contingentWorker}, not a supplier` };
  }
  if (!statusIn(doc.status, config.invoices.statuses)) {
    return { outcome: 'skipped', reason: `status ${doc.status.descriptor} is not in invoices.statuses` };
  }
  try {
    const requisitions = new Map<string, ExpectedRequisition>();
    const directCosts = new Map<string, ExpectedDirectCost>();
    const cost = (originId: string, projectId: number) => {
      const existing = directCosts.get(originId) ?? directCost(doc, originId, projectId);
      directCosts.set(originId, existing);
      return existing;
    };
    const asRequisition = config.invoices.poBacked === 'requisition';
    const lines = [...doc.lines].sort((a, b) => Number(a.lineOrder ?? 0) - Number(b.lineOrder ?? 0));
    let firstProject: number | undefined;
    for (const invoiceLine of lines) {
      const where = `${doc.label} line ${invoiceLine.lineOrder ?? invoiceLine.lineId}`;
      if (invoiceLine.purchaseOrderLine) {
        const sov = billedPiece(config, invoiceLine, findPo, where);
        checkCurrency(currencies, sov.procoreProjectId, doc.currency, doc.label);
        firstProject ??= sov.procoreProjectId;
        if (asRequisition) {
          const poWid = invoiceLine.purchaseOrderLine.purchaseOrderWid;
          const originId = `${doc.wid}:${poWid}:${sov.procoreProjectId}`;
          const requisition = requisitions.get(originId) ?? {
            originId,
            procoreProjectId: sov.procoreProjectId,
            commitmentOriginId: `${poWid}:${sov.procoreProjectId}`,
            invoiceNumber: doc.invoiceNumber,
            items: new Map<string, string>(),
          };
          const item = `${poWid}:${invoiceLine.purchaseOrderLine.lineId}`;
          requisition.items.set(
            item,
            toAmount(add(requisition.items.get(item) ?? '0', doc.sign(invoiceLine.extendedAmount))),
          );
          requisitions.set(originId, requisition);
          continue;
        }
        const [piece] = linePieces(config, doc.wid, { ...invoiceLine, worktags: invoiceLine.worktags }, where);
        if (!piece) continue;
        cost(`${doc.wid}:${sov.procoreProjectId}`, sov.procoreProjectId).lines.push({
          ...piece,
          amount: doc.sign(piece.amount),
        });
        continue;
      }
      for (const piece of linePieces(config, doc.wid, invoiceLine, where)) {
        checkCurrency(currencies, piece.procoreProjectId, doc.currency, doc.label);
        firstProject ??= piece.procoreProjectId;
        const { originId, costCode, costType, amount } = piece;
        cost(`${doc.wid}:${piece.procoreProjectId}`, piece.procoreProjectId).lines.push({
          originId,
          costCode,
          costType,
          amount: doc.sign(amount),
        });
      }
    }
    if (firstProject !== undefined) {
      const charges = chargePieces(config, doc.wid, doc.charges, firstProject);
      // A requisition can only bill SOV lines, so a PO-backed invoice's charges get a direct cost of their own.
      const target = requisitions.size > 0 ? `${doc.wid}:${firstProject}:charges` : `${doc.wid}:${firstProject}`;
      for (const { originId, costCode, costType, amount } of charges) {
        cost(target, firstProject).lines.push({ originId, costCode, costType, amount: doc.sign(amount) });
      }
    }
    return { outcome: 'written', requisitions: [...requisitions.values()], directCosts: [...directCosts.values()] };
  } catch (error) {
    if (error instanceof Quarantine) return { outcome: 'quarantined', reason: error.message };
    throw error;
  }
}
