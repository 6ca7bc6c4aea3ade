import type { DirectCostCommand, RequisitionCommand } from '../mapping/commands';
import type { SyncLedger } from '../ports';
import type {
  BudgetCodeIndex,
  DirectCostLineSyncItem,
  DirectCostSyncItem,
  ProcoreDirectCostLineEntity,
  SyncItemError,
  SyncOutcome,
} from '../procore/types';
import { ProcoreError } from '../shared/errors';
import { toAmount } from '../shared/money';
import {
  asError,
  budgetCodesFor,
  onePerOrigin,
  Refused,
  recheckBudgetCodes,
  refusedAt,
  resolveBudgetCode,
  SYNC_ITEMS,
  vendorIdOf,
  WaitingFor,
  type WriterProcore,
} from './write-context';
import { checkDocumentCurrency, checkRequisitionCurrency } from './write-currency';

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
  const projectCurrency = await checkDocumentCurrency(procore, command, what);
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
  await checkRequisitionCurrency(procore, projectCurrency, command, commitmentId, what);
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

/** What happened to each direct cost command of a batch, by origin id, with the hash of the command written. */
export type DirectCostResults = Map<
  string,
  { hash: string; result: { procoreIds: Record<string, number> } | { error: Error } }
>;

/** One direct cost ready to sync: its header and its lines (without the direct_cost_id the header sync gives). */
interface Prepared {
  command: DirectCostCommand;
  hash: string;
  what: string;
  header: DirectCostSyncItem;
  lines: { origin_id: string; wbs_code_id: number; amount: string; description: string }[];
  codes: BudgetCodeIndex;
}

/**
 * Creates or updates the direct costs of a batch: per project, one header sync for all of them, then one
 * line-item sync for all their lines (1000 items per call). Both match by origin_id, so a call whose answer
 * was lost is sent again without creating twice, and a refused item settles only its own record.
 */
export async function writeDirectCosts(
  procore: WriterProcore,
  ledger: SyncLedger,
  commands: readonly DirectCostCommand[],
): Promise<DirectCostResults> {
  const results: DirectCostResults = new Map();
  const byProject = new Map<number, Prepared[]>();
  for (const { item: command, hash } of onePerOrigin(commands, (c) => c)) {
    try {
      const prepared = await prepareDirectCost(procore, ledger, command, hash);
      const group = byProject.get(command.procoreProjectId) ?? [];
      group.push(prepared);
      byProject.set(command.procoreProjectId, group);
    } catch (error) {
      results.set(command.originId, { hash, result: { error: asError(error) } });
    }
  }
  for (const [projectId, group] of byProject) {
    for (const chunk of chunks(group, () => 1)) {
      await syncProjectDirectCosts(procore, projectId, chunk, results);
    }
  }
  return results;
}

/** Creates or updates one direct cost by origin_id, its lines on their budget codes. */
export async function writeDirectCost(
  procore: WriterProcore,
  ledger: SyncLedger,
  command: DirectCostCommand,
): Promise<Record<string, number>> {
  const done = (await writeDirectCosts(procore, ledger, [command])).get(command.originId)?.result;
  if (done === undefined) throw new ProcoreError('the direct cost was not synced', { failure: 'transient' });
  if ('error' in done) throw done.error;
  return done.procoreIds;
}

async function prepareDirectCost(
  procore: WriterProcore,
  ledger: SyncLedger,
  command: DirectCostCommand,
  hash: string,
): Promise<Prepared> {
  const projectId = command.procoreProjectId;
  const what = `Invoice ${command.invoiceNumber} in Procore project ${projectId}`;
  const projectCurrency = await checkDocumentCurrency(procore, command, what);
  const vendorId = await vendorIdOf(ledger, procore, command.vendorOriginId);
  const codes = await budgetCodesFor(
    procore,
    projectId,
    command.lines.map((l) => l.budgetCode),
  );
  const lines = command.lines.map((line) => ({
    origin_id: line.originId,
    wbs_code_id: resolveBudgetCode(codes, projectId, line.budgetCode, `${what}, line ${line.originId}`),
    amount: toAmount(line.amount),
    description: line.description,
  }));
  const known = await ledger.procoreId(command.originId);
  const header: DirectCostSyncItem = {
    // direct_cost_type can be set only on create; one the ledger does not know may still be there (a crash
    // before the ledger write), and then sync matches it by origin_id and the type is the one it has.
    ...(known === undefined
      ? { origin_id: command.originId, direct_cost_type: 'invoice' as const }
      : { id: known, origin_id: command.originId }),
    vendor_id: vendorId,
    invoice_number: command.invoiceNumber,
    direct_cost_date: command.directCostDate,
    ...(command.receivedDate === undefined ? {} : { received_date: command.receivedDate }),
    ...(command.description === undefined ? {} : { description: command.description }),
    // Sent on every direct cost of a multicurrency project, so a document moved back to the project's currency is too.
    ...(projectCurrency.multicurrency ? { currency_iso_code: command.currency } : {}),
  };
  return { command, hash, what, header, lines, codes };
}

/** One header sync for `group`, then its lines in calls of up to 1000, each record settled on its own items. */
async function syncProjectDirectCosts(
  procore: WriterProcore,
  projectId: number,
  group: readonly Prepared[],
  results: DirectCostResults,
): Promise<void> {
  const fail = (p: Prepared, error: unknown) =>
    results.set(p.command.originId, { hash: p.hash, result: { error: asError(error) } });
  let headers: SyncOutcome<{ id: number; origin_id: string | null }>;
  try {
    headers = await procore.syncDirectCosts(
      projectId,
      group.map((p) => p.header),
    );
  } catch (error) {
    for (const p of group) fail(p, error);
    return;
  }
  const headerIds = new Map<string, number>();
  for (const entity of headers.entities) if (entity.origin_id !== null) headerIds.set(entity.origin_id, entity.id);
  const refused = refusedAt(headers.errors, group.length, (i) => !headerIds.has(group[i]?.command.originId ?? ''));
  const stored: { p: Prepared; id: number }[] = [];
  group.forEach((p, i) => {
    const id = headerIds.get(p.command.originId);
    const errors = refused.get(i);
    if (errors !== undefined) fail(p, refusal(`${p.what}: Procore refused the direct cost`, errors));
    else if (id === undefined) fail(p, missing(`${p.what}: Procore answered the direct cost sync without it`));
    else stored.push({ p, id });
  });
  for (const chunk of chunks(stored, ({ p }) => p.lines.length)) {
    const updates: DirectCostLineSyncItem[] = [];
    const owner: number[] = [];
    chunk.forEach(({ p, id }, at) => {
      for (const line of p.lines) {
        updates.push({ ...line, direct_cost_id: id });
        owner.push(at);
      }
    });
    let lines: SyncOutcome<ProcoreDirectCostLineEntity> = { entities: [], errors: [] };
    try {
      if (updates.length > 0) lines = await procore.syncDirectCostLines(projectId, updates);
    } catch (error) {
      for (const { p } of chunk) fail(p, error);
      continue;
    }
    const lineIds = new Map<string, number>();
    for (const entity of lines.entities) if (entity.origin_id !== null) lineIds.set(entity.origin_id, entity.id);
    const lineErrors = new Map<number, SyncItemError[]>();
    for (const [i, errors] of refusedAt(
      lines.errors,
      updates.length,
      (k) => !lineIds.has(updates[k]?.origin_id ?? ''),
    )) {
      const at = owner[i];
      if (at !== undefined) lineErrors.set(at, [...(lineErrors.get(at) ?? []), ...errors]);
    }
    chunk.forEach(({ p, id }, at) => {
      const errors = lineErrors.get(at);
      if (errors !== undefined) {
        fail(
          p,
          recheckBudgetCodes(procore, projectId, p.codes, refusal(`${p.what}: Procore refused its lines`, errors)),
        );
        return;
      }
      const procoreIds: Record<string, number> = { [p.command.originId]: id };
      for (const line of p.lines) {
        const lineId = lineIds.get(line.origin_id);
        if (lineId === undefined) {
          fail(p, missing(`${p.what}: Procore answered the line item sync without line ${line.origin_id}`));
          return;
        }
        procoreIds[line.origin_id] = lineId;
      }
      results.set(p.command.originId, { hash: p.hash, result: { procoreIds } });
    });
  }
}

/** Refused items of one record as one error: permanent if any is, else the first one's class. */
function refusal(what: string, errors: readonly SyncItemError[]): ProcoreError {
  return new ProcoreError(`${what}: ${errors.map((e) => e.message).join('; ')}`, {
    status: 422,
    failure: errors.some((e) => e.failure === 'permanent') ? 'permanent' : (errors[0]?.failure ?? 'transient'),
    fieldErrors: Object.assign({}, ...errors.map((e) => e.fieldErrors)) as Record<string, string[]>,
  });
}

function missing(message: string): ProcoreError {
  return new ProcoreError(message, { failure: 'transient' });
}

/** Consecutive groups whose summed weight stays within one sync call (an item heavier than that goes alone). */
function chunks<T>(items: readonly T[], weight: (item: T) => number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let load = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length > 0 && load + w > SYNC_ITEMS) {
      out.push(current);
      current = [];
      load = 0;
    }
    current.push(item);
    load += w;
  }
  if (current.length > 0) out.push(current);
  return out;
}
