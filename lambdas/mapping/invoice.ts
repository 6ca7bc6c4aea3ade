import type { CustomerConfig } from '../config/schema';
import type { Decimal } from '../shared/money';
import {
  type CreditMemo,
  type InvoiceLine,
  poLineReferenceKeys,
  type Reference,
  recordKey,
  type SupplierInvoice,
} from '../workday/records';
import { sumAmounts, withSign } from './amounts';
import { resolveBudgetCode, resolveProject } from './budget';
import { chargeLines, type DocumentCharges } from './charges';
import type {
  DirectCostCommand,
  DirectCostLine,
  LeftOutCharge,
  MappingContext,
  MapResult,
  PoLineInfo,
  RequisitionCommand,
} from './commands';
import { documentCurrency } from './currency';
import {
  firstLineIndex,
  groupBy,
  requireInSyncWindow,
  requireStatusInScope,
  requireUniqueLineIds,
  supplierOriginId,
} from './document';
import { type LinePiece, piecesOf } from './pieces';
import { MappingProblem, MissingDependency, mapEach, settle } from './problems';

/** An invoice, or a credit memo whose amounts already carry the sign it has in Procore. */
type BillingDocument = Omit<SupplierInvoice, 'kind'> & { label: string };

type PlannedPiece = { lineId: string; label: string; procoreProjectId: number } & (
  | { kind: 'requisition'; purchaseOrderWid: string; commitmentLineOriginId: string; amount: Decimal }
  | { kind: 'directCost'; line: DirectCostLine }
);

function lineLabel(document: BillingDocument, line: InvoiceLine): string {
  return `${document.label} line ${line.lineOrder ?? line.lineId}`;
}

function poLineId(ref: Reference): string {
  return poLineReferenceKeys(ref)[0] ?? Object.values(ref.ids)[0] ?? ref.wid ?? '(no id)';
}

/** The SOV line (part of the PO line) each piece of the invoice line bills. */
function partFor(
  info: PoLineInfo,
  line: InvoiceLine,
  piece: LinePiece,
  label: string,
  config: CustomerConfig,
): PoLineInfo['parts'][number] {
  const [only] = info.parts;
  if (info.parts.length === 1 && only !== undefined) return only;
  const split = piece.splitIndex === undefined ? undefined : info.parts[piece.splitIndex];
  if (line.splits.length === info.parts.length && split !== undefined) return split;
  const invoiceShape = line.splits.length === 0 ? 'is not split' : `has ${line.splits.length} splits`;
  const alternative = config.invoices.poBacked === 'requisition' ? ", or set invoices.poBacked to 'directCost'" : '';
  throw new MappingProblem(
    `${label} bills PO line ${info.lineId}, which became ${info.parts.length} Procore lines (its splits), but the invoice line ${invoiceShape}: split the invoice line like the PO line in Workday${alternative}.`,
  );
}

function planPoBackedLine(
  document: BillingDocument,
  line: InvoiceLine,
  ref: Reference,
  config: CustomerConfig,
  context: MappingContext,
): PlannedPiece[] {
  const label = lineLabel(document, line);
  const info = context.poLines(ref);
  if (info === undefined) {
    const id = poLineId(ref);
    throw new MissingDependency(
      `purchaseOrderLine:${id}`,
      `${label} bills PO line ${id}, which is not in Procore yet; it is mapped once that PO has synced.`,
    );
  }
  return mapEach(piecesOf(line, label), (piece): PlannedPiece => {
    const part = partFor(info, line, piece, piece.label, config);
    const base = { lineId: line.lineId, label: piece.label, procoreProjectId: part.procoreProjectId };
    if (config.invoices.poBacked === 'requisition') {
      return {
        ...base,
        kind: 'requisition',
        purchaseOrderWid: info.purchaseOrderWid,
        commitmentLineOriginId: part.commitmentLineOriginId,
        amount: piece.amount,
      };
    }
    const budget = resolveBudgetCode(piece, config);
    return {
      ...base,
      kind: 'directCost',
      line: {
        originId: `${document.wid}:${piece.lineKey}`,
        amount: piece.amount,
        description: piece.description,
        budgetCode: budget.budgetCode,
        rule: `PO line ${info.lineId} → ${part.procoreProjectId}; ${budget.rule}`,
      },
    };
  });
}

function planDirectLine(document: BillingDocument, line: InvoiceLine, config: CustomerConfig): PlannedPiece[] {
  return mapEach(piecesOf(line, lineLabel(document, line)), (piece): PlannedPiece => {
    const project = resolveProject(piece, config);
    const budget = resolveBudgetCode(piece, config);
    return {
      lineId: line.lineId,
      label: piece.label,
      procoreProjectId: project.procoreProjectId,
      kind: 'directCost',
      line: {
        originId: `${document.wid}:${piece.lineKey}`,
        amount: piece.amount,
        description: piece.description,
        budgetCode: budget.budgetCode,
        rule: `${project.rule}; ${budget.rule}`,
      },
    };
  });
}

function planLines(document: BillingDocument, config: CustomerConfig, context: MappingContext): PlannedPiece[] {
  if (document.lines.length === 0) {
    throw new MappingProblem(
      `${document.label} has no lines, so there is nothing to bill in Procore: check it in Workday.`,
    );
  }
  requireUniqueLineIds(document.label, document.lines);
  return mapEach(document.lines, (line) =>
    line.purchaseOrderLine === undefined
      ? planDirectLine(document, line, config)
      : planPoBackedLine(document, line, line.purchaseOrderLine, config, context),
  ).flat();
}

function firstPiece(document: BillingDocument, planned: readonly PlannedPiece[]): PlannedPiece {
  const order = (line: InvoiceLine) => (line.lineOrder?.match(/^\d+$/) ? BigInt(line.lineOrder) : undefined);
  const firstLine = document.lines[firstLineIndex(document.lines, order)];
  const first = planned.find((p) => p.lineId === firstLine?.lineId) ?? planned[0];
  if (first === undefined) throw new MappingProblem(`${document.label} has no lines to map.`);
  return first;
}

function invoiceNumber(document: BillingDocument): string {
  return document.suppliersInvoiceNumber?.trim() || document.invoiceNumber;
}

function requisitions(
  document: BillingDocument,
  vendorOriginId: string,
  planned: readonly PlannedPiece[],
  config: CustomerConfig,
): RequisitionCommand[] {
  const items = planned.flatMap((p) => (p.kind === 'requisition' ? [p] : []));
  const byCommitment = groupBy(items, (p) => `${p.purchaseOrderWid}:${p.procoreProjectId}`);
  return [...byCommitment].map(([commitmentOriginId, [first, ...others]]) => {
    // Procore has one item per SOV line: pieces billing the same line add up.
    const bySovLine = groupBy([first, ...others], (p) => p.commitmentLineOriginId);
    return {
      resource: 'requisition',
      originId: `${document.wid}:${first.purchaseOrderWid}:${first.procoreProjectId}`,
      procoreProjectId: first.procoreProjectId,
      commitmentOriginId,
      vendorOriginId,
      invoiceNumber: invoiceNumber(document),
      ...documentCurrency(document.currency, first.procoreProjectId, config),
      billingDate: document.invoiceDate,
      items: [...bySovLine].map(([commitmentLineOriginId, same]) => ({
        commitmentLineOriginId,
        amount: sumAmounts(same.map((p) => p.amount)),
      })),
    };
  });
}

function directCost(
  document: BillingDocument,
  vendorOriginId: string,
  procoreProjectId: number,
  lines: DirectCostLine[],
  config: CustomerConfig,
  chargesOnly: boolean,
): DirectCostCommand {
  const memo = document.memo?.trim();
  const description = chargesOnly ? `Charges on ${document.label}` : memo;
  return {
    resource: 'directCost',
    originId: `${document.wid}:${procoreProjectId}${chargesOnly ? ':charges' : ''}`,
    procoreProjectId,
    vendorOriginId,
    invoiceNumber: invoiceNumber(document),
    directCostDate: document.invoiceDate,
    ...(description ? { description } : {}),
    ...documentCurrency(document.currency, procoreProjectId, config),
    lines,
  };
}

type BillingCommand = RequisitionCommand | DirectCostCommand;

/** Left-out charges are reported on the invoice's direct cost in their project, else on a requisition there. */
function attachLeftOut(commands: BillingCommand[], projectId: number, leftOut: LeftOutCharge[]): BillingCommand[] {
  if (leftOut.length === 0) return commands;
  const inProject = commands.filter((c) => c.procoreProjectId === projectId);
  const target = inProject.find((c) => c.resource === 'directCost') ?? inProject[0];
  return commands.map((c) => (c === target ? { ...c, chargesLeftOut: leftOut } : c));
}

function planBillingDocument(
  document: BillingDocument,
  config: CustomerConfig,
  context: MappingContext,
): BillingCommand[] {
  requireInSyncWindow(document.label, document.invoiceDate, config);
  requireStatusInScope(document.label, document.status, config.invoices.statuses, 'invoices.statuses');
  const vendorOriginId = supplierOriginId(document.label, document.supplier);
  const planned = planLines(document, config, context);
  const first = firstPiece(document, planned);
  const chargesProject = first.procoreProjectId;
  const charges = chargeLines(
    document,
    {
      documentWid: document.wid,
      documentLabel: document.label,
      procoreProjectId: chargesProject,
      firstLineLabel: first.label,
    },
    config,
  );

  const direct = groupBy(
    planned.flatMap((p) => (p.kind === 'directCost' ? [p] : [])),
    (p) => p.procoreProjectId,
  );
  // Charges join the invoice's direct cost in their project when there is one; otherwise (a requisition
  // can only bill SOV lines) they get a direct cost of their own.
  const chargesJoin = direct.has(chargesProject);
  const directCosts = [...direct].map(([projectId, pieces]) => {
    const lines = pieces.map((p) => p.line);
    if (chargesJoin && projectId === chargesProject) lines.push(...charges.lines);
    return directCost(document, vendorOriginId, projectId, lines, config, false);
  });
  const chargesOwn =
    !chargesJoin && charges.lines.length > 0
      ? [directCost(document, vendorOriginId, chargesProject, charges.lines, config, true)]
      : [];
  const commands = [...requisitions(document, vendorOriginId, planned, config), ...directCosts, ...chargesOwn];
  return attachLeftOut(commands, chargesProject, charges.leftOut);
}

/** Supplier invoice → requisitions (lines on POs, per commitment) and direct costs (other lines, per project). */
export function mapInvoice(invoice: SupplierInvoice, config: CustomerConfig, context: MappingContext): MapResult {
  const { kind: _kind, ...header } = invoice;
  return settle(recordKey(invoice), () =>
    planBillingDocument({ ...header, label: `Invoice ${invoice.invoiceNumber}` }, config, context),
  );
}

function signedCharges(memo: CreditMemo, sign: (amount: Decimal) => Decimal): DocumentCharges {
  const { taxAmount, freightAmount, otherCharges } = memo;
  return {
    ...(taxAmount === undefined ? {} : { taxAmount: sign(taxAmount) }),
    ...(freightAmount === undefined ? {} : { freightAmount: sign(freightAmount) }),
    ...(otherCharges === undefined ? {} : { otherCharges: sign(otherCharges) }),
  };
}

/**
 * Credit memo → as the invoice it adjusts, origin ids from the adjustment WID. Every amount takes its sign
 * from Increase_Liability: made negative (absolute value, negated) when false, positive when true.
 */
export function mapCreditMemo(memo: CreditMemo, config: CustomerConfig, context: MappingContext): MapResult {
  return settle(recordKey(memo), () => {
    const sign = (amount: Decimal) => withSign(amount, !memo.increaseLiability);
    const { kind: _kind, increaseLiability: _il, originalInvoice: _oi, reason: _r, ...header } = memo;
    const { taxAmount: _t, freightAmount: _f, otherCharges: _o, ...rest } = header;
    const document: BillingDocument = {
      ...rest,
      ...signedCharges(memo, sign),
      controlTotal: sign(memo.controlTotal),
      label: `Credit memo ${memo.invoiceNumber}`,
      lines: memo.lines.map((line) => ({
        ...line,
        extendedAmount: sign(line.extendedAmount),
        splits: line.splits.map((split) => ({ ...split, extendedAmount: sign(split.extendedAmount) })),
      })),
    };
    return planBillingDocument(document, config, context);
  });
}
