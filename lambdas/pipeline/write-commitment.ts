import { buildChangeOrder, matchCommitment } from '../mapping';
import type { CommitmentCommand } from '../mapping/commands';
import type { SyncLedger } from '../ports';
import type { CommitmentSyncItem, ProcoreCommitmentDetail, SyncOutcome } from '../procore/types';
import { ProcoreError } from '../shared/errors';
import { Refused, resolveBudgetCode, vendorIdOf, type WriteProgress, type WriterProcore } from './write-context';

// Statuses whose schedule of values Procore locks: changes then go through change orders.
const LOCKED = new Set(['Approved', 'Complete']);

export interface CommitmentWrite {
  procoreIds: Record<string, number>;
}

/**
 * Creates or updates one purchase order contract by origin_id (linking a hand-typed one with the PO's
 * number), its SOV lines on their budget codes, then its status; once Procore has it Approved, changes
 * become a change order instead.
 */
export async function writeCommitment(
  procore: WriterProcore,
  ledger: SyncLedger,
  command: CommitmentCommand,
  progress: WriteProgress,
): Promise<CommitmentWrite> {
  const projectId = command.procoreProjectId;
  const what = `PO ${command.number} in Procore project ${projectId}`;
  const vendorId = await vendorIdOf(ledger, procore, command.vendorOriginId);
  const directory = await procore.projectVendorIds(projectId);
  if (!directory.has(vendorId)) await procore.addVendorToProject(projectId, vendorId);
  const codes = await procore.budgetCodes(projectId);
  const wbs = command.lines.map((line) =>
    resolveBudgetCode(codes, projectId, line.budgetCode, `${what}, line ${line.originId}`),
  );

  const existingId = await findCommitmentId(procore, ledger, command, vendorId);
  const detail = existingId === undefined ? undefined : await procore.commitment(projectId, existingId);
  if (detail !== undefined && detail.status !== null && LOCKED.has(detail.status)) {
    return changeLockedCommitment(procore, command, detail, progress, wbs);
  }

  const target = command.header.status;
  const deferStatus = LOCKED.has(target);
  const header: CommitmentSyncItem = {
    ...(existingId === undefined ? { origin_id: command.originId } : { id: existingId, origin_id: command.originId }),
    number: command.number,
    vendor_id: vendorId,
    title: command.header.title,
    accounting_method: command.header.accounting_method,
    origin_code: command.header.origin_code,
    // Approval locks the schedule of values, so it is set only after the lines are in.
    status: deferStatus ? 'Draft' : target,
    ...(command.header.description === undefined ? {} : { description: command.header.description }),
    ...(command.header.contract_date === undefined ? {} : { contract_date: command.header.contract_date }),
    ...(command.header.delivery_date === undefined ? {} : { delivery_date: command.header.delivery_date }),
  };
  const commitmentId = single(await procore.syncCommitments(projectId, [header]), what).id;

  const lines = await procore.syncCommitmentLines(
    projectId,
    commitmentId,
    command.lines.map((line, i) => ({
      origin_id: line.originId,
      amount: line.amount,
      description: line.description,
      wbs_code_id: wbs[i] ?? 0,
    })),
  );
  if (lines.errors.length > 0) throw syncRefusal(lines, what);
  const wanted = new Set(command.lines.map((l) => l.originId));
  for (const stale of detail?.line_items ?? []) {
    // Only lines this PO wrote are ours to remove; lines typed by hand stay.
    if (stale.origin_id?.startsWith(`${command.originId.split(':')[0]}:`) && !wanted.has(stale.origin_id)) {
      await procore.deleteCommitmentLine(projectId, commitmentId, stale.id);
    }
  }
  if (deferStatus) single(await procore.syncCommitments(projectId, [{ id: commitmentId, status: target }]), what);

  progress.commitments[command.originId] = {
    lines: command.lines,
    changeOrders: progress.commitments[command.originId]?.changeOrders ?? 0,
  };
  const procoreIds: Record<string, number> = { [command.originId]: commitmentId };
  for (const entity of lines.entities) if (entity.origin_id !== null) procoreIds[entity.origin_id] = entity.id;
  return { procoreIds };
}

async function findCommitmentId(
  procore: WriterProcore,
  ledger: SyncLedger,
  command: CommitmentCommand,
  vendorId: number,
): Promise<number | undefined> {
  const known = await ledger.procoreId(command.originId);
  if (known !== undefined) return known;
  // One list per project and run serves both crash recovery (our origin_id) and linking hand-typed ones (number).
  const match = matchCommitment(command, await procore.commitments(command.procoreProjectId), vendorId);
  switch (match.kind) {
    case 'conflict':
      throw new Refused(match.reason);
    case 'owned':
    case 'link':
      return match.commitmentId;
    case 'create':
      return undefined;
  }
}

/** The PO changed after Procore approved its contract: the differences become the next change order. */
async function changeLockedCommitment(
  procore: WriterProcore,
  command: CommitmentCommand,
  detail: ProcoreCommitmentDetail,
  progress: WriteProgress,
  wbs: readonly number[],
): Promise<CommitmentWrite> {
  const projectId = command.procoreProjectId;
  const previous = progress.commitments[command.originId];
  const procoreIds: Record<string, number> = { [command.originId]: detail.id };
  for (const line of detail.line_items) if (line.origin_id !== null) procoreIds[line.origin_id] = line.id;
  if (previous === undefined) {
    const same =
      detail.line_items.length === command.lines.length &&
      command.lines.every((l) => detail.line_items.some((p) => p.origin_id === l.originId));
    if (!same) {
      throw new Refused(
        `PO ${command.number}: its Procore contract ${detail.id} is ${detail.status} and its lines were not written by the connector, so they cannot be changed: reconcile the contract in Procore, or set it back to Draft and replay.`,
      );
    }
    progress.commitments[command.originId] = { lines: command.lines, changeOrders: 0 };
    return { procoreIds };
  }
  const existing = await procore.changeOrders(projectId, detail.id);
  const n =
    Math.max(
      previous.changeOrders,
      existing.filter((co) => co.origin_id?.startsWith(`${command.originId}:co:`)).length,
    ) + 1;
  const changeOrder = buildChangeOrder(command, previous.lines, n);
  if (changeOrder !== undefined) {
    const wbsByOrigin = new Map(command.lines.map((l, i) => [l.originId, wbs[i]]));
    const created = await procore.createChangeOrder(projectId, {
      contract_id: detail.id,
      origin_id: changeOrder.originId,
      number: changeOrder.originId,
      title: changeOrder.title,
      status: 'approved',
      line_items: changeOrder.lines.map((line) => {
        const sov = procoreIds[line.lineOriginId];
        const wbsId = wbsByOrigin.get(line.lineOriginId);
        return {
          amount: line.amount,
          description: line.description,
          origin_id: `${changeOrder.originId}:${line.lineOriginId}`,
          ...(sov === undefined ? {} : { contract_line_item_id: sov }),
          ...(wbsId === undefined ? {} : { wbs_code_id: wbsId }),
        };
      }),
    });
    procoreIds[changeOrder.originId] = created.id;
  }
  if (command.header.status !== detail.status) {
    single(
      await procore.syncCommitments(projectId, [{ id: detail.id, status: command.header.status }]),
      `PO ${command.number}`,
    );
  }
  progress.commitments[command.originId] = {
    lines: command.lines,
    changeOrders: changeOrder === undefined ? previous.changeOrders : n,
  };
  return { procoreIds };
}

function single<T>(outcome: SyncOutcome<T>, what: string): T {
  const [entity] = outcome.entities;
  if (outcome.errors.length > 0 || entity === undefined) throw syncRefusal(outcome, what);
  return entity;
}

function syncRefusal(outcome: SyncOutcome<unknown>, what: string): ProcoreError {
  const [first] = outcome.errors;
  return new ProcoreError(
    `Procore refused ${what}: ${outcome.errors.map((e) => e.message).join('; ') || 'no entity returned'}`,
    {
      failure: first?.failure ?? 'transient',
      ...(first === undefined ? {} : { fieldErrors: first.fieldErrors }),
    },
  );
}
