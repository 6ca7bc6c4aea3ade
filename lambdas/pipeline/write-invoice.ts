import type { DirectCostCommand, RequisitionCommand } from '../mapping/commands';
import type { SyncLedger } from '../ports';
import type { DirectCostInput } from '../procore/types';
import { ProcoreError } from '../shared/errors';
import { equals, toAmount } from '../shared/money';
import { Refused, resolveBudgetCode, vendorIdOf, WaitingFor, type WriterProcore } from './write-context';

/**
 * Creates the requisition (subcontractor invoice) of one commitment in the project's open billing period.
 * Procore locks a requisition once written, so an existing one is adopted (crash recovery) or, if the
 * invoice changed since, refused with "edit it in Procore".
 */
export async function writeRequisition(
  procore: WriterProcore,
  ledger: SyncLedger,
  command: RequisitionCommand,
  changedSinceWritten: boolean,
): Promise<Record<string, number>> {
  const projectId = command.procoreProjectId;
  const what = `Invoice ${command.invoiceNumber} on commitment ${command.commitmentOriginId}`;
  const commitmentId = await ledger.procoreId(command.commitmentOriginId);
  if (commitmentId === undefined) {
    throw new WaitingFor(`waiting for its purchase order (commitment ${command.commitmentOriginId}) to be written`);
  }
  // Not in the ledger means never written, or written just before a crash: the create below then meets
  // the taken origin_id and the client answers with the existing requisition, so no lookup is spent here.
  const existing = await ledger.procoreId(command.originId);
  if (existing !== undefined) {
    if (changedSinceWritten) {
      throw new Refused(
        `${what} changed in Workday after its subcontractor invoice ${existing} was written, and Procore locks synced invoices: edit it in Procore.`,
      );
    }
    return { [command.originId]: existing };
  }
  const items = [];
  for (const item of command.items) {
    const lineId = await ledger.procoreId(item.commitmentLineOriginId);
    if (lineId === undefined) throw new WaitingFor(`waiting for SOV line ${item.commitmentLineOriginId} to be written`);
    items.push({
      item_type: 'contract_item' as const,
      line_item_id: lineId,
      work_completed_this_period: toAmount(item.amount),
    });
  }
  const period = await procore.openBillingPeriod(projectId);
  if (period === undefined) {
    throw new Refused(
      `${what}: Procore project ${projectId} has no open billing period: open one in Procore (Invoicing › Billing Periods), then replay.`,
    );
  }
  try {
    const created = await procore.createRequisition(projectId, commitmentId, {
      period_id: period.id,
      origin_id: command.originId,
      invoice_number: command.invoiceNumber,
      billing_date: command.billingDate,
      ...(period.start_date === null ? {} : { requisition_start: command.periodStart ?? period.start_date }),
      ...(period.end_date === null ? {} : { requisition_end: command.periodEnd ?? period.end_date }),
      status: 'draft',
      items,
    });
    return { [command.originId]: created.id };
  } catch (error) {
    if (error instanceof ProcoreError && error.failure === 'permanent') {
      throw new Refused(
        `${what}: Procore refused the subcontractor invoice (${error.message}). If the commitment already has an invoice in this billing period, or takes invoices often, set invoices.poBacked to "directCost" and replay.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Creates or updates one direct cost by origin_id, its lines on their budget codes. */
export async function writeDirectCost(
  procore: WriterProcore,
  ledger: SyncLedger,
  command: DirectCostCommand,
): Promise<Record<string, number>> {
  const projectId = command.procoreProjectId;
  const what = `Invoice ${command.invoiceNumber} in Procore project ${projectId}`;
  const vendorId = await vendorIdOf(ledger, procore, command.vendorOriginId);
  const codes = await procore.budgetCodes(projectId);
  const found = await ledger.procoreId(command.originId);
  const body: DirectCostInput = {
    direct_cost_type: 'invoice',
    origin_id: command.originId,
    vendor_id: vendorId,
    invoice_number: command.invoiceNumber,
    direct_cost_date: command.directCostDate,
    ...(command.receivedDate === undefined ? {} : { received_date: command.receivedDate }),
    ...(command.description === undefined ? {} : { description: command.description }),
    ...(command.currencyIsoCode === undefined ? {} : { currency_iso_code: command.currencyIsoCode }),
    // Lines are matched by their origin_id on update, so a repeat never adds a line twice.
    line_items: command.lines.map((line) => ({
      origin_id: line.originId,
      wbs_code_id: resolveBudgetCode(codes, projectId, line.budgetCode, `${what}, line ${line.originId}`),
      amount: toAmount(line.amount),
      description: line.description,
    })),
  };
  let saved =
    found === undefined
      ? await procore.createDirectCost(projectId, body)
      : await procore.updateDirectCost(projectId, found, body);
  // A create that met its own earlier write (taken origin_id) returns that one; bring it up to date if it differs.
  if (found === undefined && !sameLines(saved.line_items, body.line_items)) {
    saved = await procore.updateDirectCost(projectId, saved.id, body);
  }
  const ids: Record<string, number> = { [command.originId]: saved.id };
  for (const line of saved.line_items) if (line.origin_id !== null) ids[line.origin_id] = line.id;
  return ids;
}

function sameLines(
  saved: readonly { origin_id: string | null; amount: string }[],
  wanted: readonly { origin_id: string; amount: string }[],
): boolean {
  return (
    saved.length === wanted.length &&
    wanted.every((w) => saved.some((s) => s.origin_id === w.origin_id && equals(s.amount, w.amount)))
  );
}
