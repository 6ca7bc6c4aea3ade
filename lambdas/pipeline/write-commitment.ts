import {
  buildChangeOrder,
  changeOrderIndex,
  changeOrderNumber,
  matchCommitment,
  readChangeOrderLineMarker,
} from '../mapping';
import type { ChangeOrderCommand, CommitmentCommand, CommitmentLine } from '../mapping/commands';
import type { SyncLedger } from '../ports';
import type {
  BudgetCodeIndex,
  CommitmentSyncItem,
  ProcoreChangeOrder,
  ProcoreChangeOrderLine,
  ProcoreCommitment,
  ProcoreCommitmentDetail,
  SyncItemError,
  SyncOutcome,
} from '../procore/types';
import { ProcoreError } from '../shared/errors';
import { add, isZero, toAmount } from '../shared/money';
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
  type WriteProgress,
  type WriterProcore,
} from './write-context';
import { checkDocumentCurrency, commitmentCurrencyToSet, setCommitmentCurrency } from './write-currency';

// Statuses whose schedule of values Procore locks: changes then go through change orders.
export const LOCKED: ReadonlySet<string> = new Set(['Approved', 'Complete']);

export interface CommitmentWrite {
  procoreIds: Record<string, number>;
}

/** A commitment command of a batch, with the progress of the record it belongs to. */
export interface CommitmentJob {
  command: CommitmentCommand;
  progress: WriteProgress;
}

/** What happened to each commitment command of a batch, by origin id: its ids and progress entry, or the error. */
export type CommitmentResults = Map<
  string,
  {
    hash: string;
    result: (CommitmentWrite & { progress: WriteProgress['commitments'][string] | undefined }) | { error: Error };
  }
>;

/** A commitment ready for its header sync. */
interface Plan {
  job: CommitmentJob;
  hash: string;
  what: string;
  header: CommitmentSyncItem;
  wbs: number[];
  codes: BudgetCodeIndex;
  detail: ProcoreCommitmentDetail | undefined;
  deferStatus: boolean;
  /** Set on the contract after its header sync, which takes no currency (multicurrency projects only). */
  currency: string | undefined;
}

/**
 * Creates or updates the purchase order contracts of a batch: per project one header sync for all of them,
 * each one's SOV lines (Procore syncs lines per contract), then one status sync for those that become
 * Approved (approval locks the schedule of values, so it comes after the lines). Contracts Procore already
 * approved change through change orders, one record at a time. A refused item settles only its record.
 */
export async function writeCommitments(
  procore: WriterProcore,
  ledger: SyncLedger,
  jobs: readonly CommitmentJob[],
): Promise<CommitmentResults> {
  const results: CommitmentResults = new Map();
  const byProject = new Map<number, Plan[]>();
  for (const { item: job, hash } of onePerOrigin(jobs, (j) => j.command)) {
    try {
      const plan = await planCommitment(procore, ledger, job, hash);
      if ('procoreIds' in plan) {
        results.set(job.command.originId, { hash, result: { ...plan, progress: entryOf(job) } });
        continue;
      }
      const group = byProject.get(job.command.procoreProjectId) ?? [];
      group.push(plan);
      byProject.set(job.command.procoreProjectId, group);
    } catch (error) {
      results.set(job.command.originId, { hash, result: { error: asError(error) } });
    }
  }
  for (const [projectId, group] of byProject) {
    for (let at = 0; at < group.length; at += SYNC_ITEMS) {
      await syncProjectCommitments(procore, projectId, group.slice(at, at + SYNC_ITEMS), results);
    }
  }
  return results;
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
  const done = (await writeCommitments(procore, ledger, [{ command, progress }])).get(command.originId)?.result;
  if (done === undefined) throw new ProcoreError('the commitment was not synced', { failure: 'transient' });
  if ('error' in done) throw done.error;
  if (done.progress !== undefined) progress.commitments[command.originId] = done.progress;
  return { procoreIds: done.procoreIds };
}

/** Reads what the header sync needs; a contract Procore has locked is changed here, through a change order. */
async function planCommitment(
  procore: WriterProcore,
  ledger: SyncLedger,
  job: CommitmentJob,
  hash: string,
): Promise<Plan | CommitmentWrite> {
  const { command, progress } = job;
  const projectId = command.procoreProjectId;
  const what = `PO ${command.number} in Procore project ${projectId}`;
  const projectCurrency = await checkDocumentCurrency(procore, command, what);
  const vendorId = await vendorIdOf(ledger, procore, command.vendorOriginId);
  const directory = await procore.projectVendorIds(projectId);
  if (!directory.has(vendorId)) await procore.addVendorToProject(projectId, vendorId);
  const codes = await budgetCodesFor(
    procore,
    projectId,
    command.lines.map((l) => l.budgetCode),
  );
  const wbs = command.lines.map((line) =>
    resolveBudgetCode(codes, projectId, line.budgetCode, `${what}, line ${line.originId}`),
  );

  const existingId = await findCommitmentId(procore, ledger, command, vendorId);
  const detail = existingId === undefined ? undefined : await procore.commitment(projectId, existingId);
  if (detail !== undefined && detail.status !== null && LOCKED.has(detail.status)) {
    try {
      return await changeLockedCommitment(procore, command, detail, progress, wbs);
    } catch (error) {
      throw error instanceof ProcoreError ? recheckBudgetCodes(procore, projectId, codes, error) : error;
    }
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
  const currency = commitmentCurrencyToSet(projectCurrency, command, existingId !== undefined);
  return { job, hash, what, header, wbs, codes, detail, deferStatus, currency };
}

/** One header sync for `group`, each contract's lines, then one status sync for those that become Approved. */
async function syncProjectCommitments(
  procore: WriterProcore,
  projectId: number,
  group: readonly Plan[],
  results: CommitmentResults,
): Promise<void> {
  const fail = (p: Plan, error: unknown) =>
    results.set(p.job.command.originId, { hash: p.hash, result: { error: asError(error) } });
  let headers: SyncOutcome<ProcoreCommitment>;
  try {
    headers = await procore.syncCommitments(
      projectId,
      group.map((p) => p.header),
    );
  } catch (error) {
    for (const p of group) fail(p, error);
    return;
  }
  const ids = new Map<string, number>();
  for (const entity of headers.entities) if (entity.origin_id !== null) ids.set(entity.origin_id, entity.id);
  const refused = refusedAt(headers.errors, group.length, (i) => !ids.has(group[i]?.job.command.originId ?? ''));
  const written: { p: Plan; id: number; procoreIds: Record<string, number> }[] = [];
  for (const [i, p] of group.entries()) {
    const { command } = p.job;
    const id = ids.get(command.originId);
    const errors = refused.get(i);
    if (errors !== undefined || id === undefined) {
      fail(p, syncRefusal({ entities: [], errors: errors ?? [] }, p.what));
      continue;
    }
    try {
      if (p.currency !== undefined) await setCommitmentCurrency(procore, projectId, id, p.currency, p.what);
      written.push({ p, id, procoreIds: await syncLines(procore, p, id) });
    } catch (error) {
      fail(p, error);
    }
  }
  const approving = written.filter((w) => w.p.deferStatus);
  let statusErrors = new Map<number, SyncItemError[]>();
  if (approving.length > 0) {
    try {
      const outcome = await procore.syncCommitments(
        projectId,
        approving.map((w) => ({ id: w.id, status: w.p.job.command.header.status })),
      );
      const approved = new Set(outcome.entities.map((e) => e.id));
      statusErrors = refusedAt(outcome.errors, approving.length, (i) => !approved.has(approving[i]?.id ?? 0));
      approving.forEach((w, i) => {
        if (!approved.has(w.id) && !statusErrors.has(i)) statusErrors.set(i, []);
      });
    } catch (error) {
      for (const w of approving) fail(w.p, error);
      return settleWritten(written, new Set(approving), results);
    }
  }
  const failedStatus = new Set<(typeof written)[number]>();
  approving.forEach((w, i) => {
    const errors = statusErrors.get(i);
    if (errors === undefined) return;
    failedStatus.add(w);
    fail(w.p, syncRefusal({ entities: [], errors }, w.p.what));
  });
  settleWritten(written, failedStatus, results);
}

/** Records each fully written contract (not those whose status sync failed) with its new progress entry. */
function settleWritten(
  written: readonly { p: Plan; id: number; procoreIds: Record<string, number> }[],
  failed: ReadonlySet<unknown>,
  results: CommitmentResults,
): void {
  for (const w of written) {
    if (failed.has(w)) continue;
    const { command, progress } = w.p.job;
    progress.commitments[command.originId] = {
      lines: command.lines,
      changeOrders: progress.commitments[command.originId]?.changeOrders ?? 0,
    };
    results.set(command.originId, { hash: w.p.hash, result: { procoreIds: w.procoreIds, progress: entryOf(w.p.job) } });
  }
}

/** The contract's SOV lines by origin_id, and the removal of lines this PO wrote that it no longer has. */
async function syncLines(procore: WriterProcore, p: Plan, commitmentId: number): Promise<Record<string, number>> {
  const { command } = p.job;
  const projectId = command.procoreProjectId;
  const lines = await procore.syncCommitmentLines(
    projectId,
    commitmentId,
    command.lines.map((line, i) => ({
      origin_id: line.originId,
      amount: line.amount,
      description: line.description,
      wbs_code_id: p.wbs[i] ?? 0,
    })),
  );
  if (lines.errors.length > 0) throw recheckBudgetCodes(procore, projectId, p.codes, syncRefusal(lines, p.what));
  const wanted = new Set(command.lines.map((l) => l.originId));
  for (const stale of p.detail?.line_items ?? []) {
    // Only lines this PO wrote are ours to remove; lines typed by hand stay.
    if (stale.origin_id?.startsWith(`${command.originId.split(':')[0]}:`) && !wanted.has(stale.origin_id)) {
      await procore.deleteCommitmentLine(projectId, commitmentId, stale.id);
    }
  }
  const procoreIds: Record<string, number> = { [command.originId]: commitmentId };
  for (const entity of lines.entities) if (entity.origin_id !== null) procoreIds[entity.origin_id] = entity.id;
  return procoreIds;
}

function entryOf(job: CommitmentJob): WriteProgress['commitments'][string] | undefined {
  return job.progress.commitments[job.command.originId];
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

/**
 * The PO changed after Procore approved its contract: the differences from what Procore holds (the SOV plus
 * this PO's change orders) become the next change order. Diffing against Procore rather than the ledger
 * makes it idempotent: a change order created before a crash is part of the baseline on the next attempt.
 * A change order is created as a draft, given its lines one by one, then approved; a draft left by a crash is
 * finished instead of starting another, so its lines already in Procore are not added again.
 */
async function changeLockedCommitment(
  procore: WriterProcore,
  command: CommitmentCommand,
  detail: ProcoreCommitmentDetail,
  progress: WriteProgress,
  wbs: readonly number[],
): Promise<CommitmentWrite> {
  const projectId = command.procoreProjectId;
  const procoreIds: Record<string, number> = { [command.originId]: detail.id };
  for (const line of detail.line_items) if (line.origin_id !== null) procoreIds[line.origin_id] = line.id;
  const { changeOrder, n, draft, last, baseline } = await nextChangeOrder(procore, command, detail, progress, wbs);
  let writtenId: number | undefined;
  if (changeOrder !== undefined) {
    writtenId =
      draft?.header.id ??
      (
        await procore.createChangeOrder(projectId, {
          contract_id: detail.id,
          number: changeOrder.number,
          title: changeOrder.title,
          status: DRAFT,
        })
      ).id;
    const wbsByOrigin = new Map(command.lines.map((l, i) => [l.originId, { code: l.budgetCode, id: wbs[i] }]));
    for (const line of changeOrder.lines) {
      const current = wbsByOrigin.get(line.lineOriginId);
      // A line moved to another budget code comes off the code its money sits on in Procore.
      const wbsId =
        current !== undefined && sameCode(current.code, line.budgetCode)
          ? current.id
          : baseline.wbs.get(line.lineOriginId);
      if (wbsId === undefined) {
        throw new Refused(
          `PO ${command.number}, line ${line.lineOriginId}: Procore holds its money on no budget code, so change order ${changeOrder.number} cannot take it off; reconcile contract ${detail.id} in Procore, then replay.`,
        );
      }
      const sov = detail.line_items.find((l) => l.origin_id === line.lineOriginId && l.wbs_code_id === wbsId);
      await procore.addChangeOrderLine(projectId, writtenId, {
        wbs_code_id: String(wbsId),
        ...(sov === undefined ? {} : { commitment_line_item_id: String(sov.id) }),
        amount: line.amount,
        description: line.description,
      });
    }
  } else if (draft !== undefined && draft.lines.length > 0) {
    writtenId = draft.header.id;
  }
  if (writtenId !== undefined) {
    await procore.updateChangeOrder(projectId, writtenId, { status: APPROVED });
    procoreIds[changeOrderNumber(command.originId, n)] = writtenId;
  }
  if (command.header.status !== detail.status) {
    single(
      await procore.syncCommitments(projectId, [{ id: detail.id, status: command.header.status }]),
      `PO ${command.number}`,
    );
  }
  progress.commitments[command.originId] = {
    lines: command.lines,
    changeOrders: writtenId === undefined ? (last?.n ?? 0) : n,
  };
  return { procoreIds };
}

/** The change order a locked contract needs now, computed from what Procore holds, and where it stands. */
export interface LockedChange {
  /** Undefined when the PO's lines equal what Procore holds. */
  changeOrder: ChangeOrderCommand | undefined;
  /** Its place in this PO's sequence: a draft a crash left is finished under its own number. */
  n: number;
  draft: HeldChangeOrder | undefined;
  last: HeldChangeOrder | undefined;
  baseline: LockedBaseline;
}

/**
 * Reads this PO's change orders and their lines from Procore and diffs the PO against the SOV plus them: the
 * one decision the writer acts on and the dry run reports. Refuses a contract whose lines the connector did
 * not write, as they cannot be changed.
 */
export async function nextChangeOrder(
  procore: Pick<WriterProcore, 'changeOrders' | 'changeOrderLines'>,
  command: CommitmentCommand,
  detail: ProcoreCommitmentDetail,
  progress: WriteProgress,
  wbs: readonly number[],
): Promise<LockedChange> {
  const previous = progress.commitments[command.originId];
  if (previous === undefined) {
    const same =
      detail.line_items.length === command.lines.length &&
      command.lines.every((l) => detail.line_items.some((p) => p.origin_id === l.originId));
    if (!same) {
      throw new Refused(
        `PO ${command.number}: its Procore contract ${detail.id} is ${detail.status} and its lines were not written by the connector, so they cannot be changed: reconcile the contract in Procore, or set it back to Draft and replay.`,
      );
    }
  }
  const held = await heldChangeOrders(procore, command, detail.id);
  const baseline = lockedBaseline(command, detail, held, wbs, previous?.lines ?? []);
  const last = held.at(-1);
  const draft = last?.header.status === DRAFT ? last : undefined;
  const n = draft?.n ?? (last?.n ?? 0) + 1;
  return { changeOrder: buildChangeOrder(command, baseline.lines, n), n, draft, last, baseline };
}

// The status a change order is created in, and the one it gets once its lines are in.
const DRAFT = 'draft';
const APPROVED = 'approved';

/** One of this PO's change orders in Procore: its place in the sequence, its header and its lines. */
interface HeldChangeOrder {
  n: number;
  header: ProcoreChangeOrder;
  lines: ProcoreChangeOrderLine[];
}

/** This PO's change orders on the contract, in order, known by number; ones typed by hand are left alone. */
async function heldChangeOrders(
  procore: Pick<WriterProcore, 'changeOrders' | 'changeOrderLines'>,
  command: CommitmentCommand,
  contractId: number,
): Promise<HeldChangeOrder[]> {
  const held: HeldChangeOrder[] = [];
  for (const header of await procore.changeOrders(command.procoreProjectId, contractId)) {
    const n = changeOrderIndex(command.originId, header.number);
    if (n !== undefined) {
      held.push({ n, header, lines: await procore.changeOrderLines(command.procoreProjectId, header.id) });
    }
  }
  return held.sort((a, b) => a.n - b.n);
}

/** A locked contract as Procore holds it for a PO: its lines, and where each one's money sits. */
interface LockedBaseline {
  lines: CommitmentLine[];
  wbs: Map<string, number | undefined>;
}

/**
 * Each line of this PO as Procore holds it: its SOV amount plus its lines in this PO's change orders. A change
 * order line names its PO line by `commitment_line_item_id` (the SOV line's origin_id) or, for a line the SOV
 * lacks, by the marker in its description. Budget codes are compared by `wbs_code_id`: a line whose money sits
 * on its current code keeps the current budget code, otherwise the one the ledger last recorded.
 */
function lockedBaseline(
  command: CommitmentCommand,
  detail: ProcoreCommitmentDetail,
  changeOrders: readonly HeldChangeOrder[],
  wbs: readonly number[],
  recorded: readonly CommitmentLine[],
): LockedBaseline {
  const sums = new Map<string, { amounts: Map<number | null, string>; description: string | null }>();
  const put = (lineOriginId: string, wbsId: number | null, amount: string, description: string | null) => {
    const line = sums.get(lineOriginId) ?? { amounts: new Map(), description };
    line.amounts.set(wbsId, add(line.amounts.get(wbsId) ?? '0', amount));
    sums.set(lineOriginId, line);
  };
  const ours = `${command.originId.split(':')[0]}:`;
  const sovOrigins = new Map<number, string>();
  for (const line of detail.line_items) {
    if (!line.origin_id?.startsWith(ours)) continue;
    sovOrigins.set(line.id, line.origin_id);
    put(line.origin_id, line.wbs_code_id, line.amount, line.description);
  }
  for (const co of changeOrders) {
    for (const line of co.lines) {
      const marker = readChangeOrderLineMarker(command.originId, line.description);
      const sov = line.commitment_line_item_id === null ? undefined : sovOrigins.get(line.commitment_line_item_id);
      const lineOriginId = sov ?? marker?.lineOriginId;
      if (lineOriginId !== undefined) {
        put(lineOriginId, line.wbs_code_id, line.amount, marker?.description ?? line.description);
      }
    }
  }
  const current = new Map(command.lines.map((l, i) => [l.originId, { line: l, wbsId: wbs[i] }]));
  const last = new Map(recorded.map((l) => [l.originId, l]));
  const lines: CommitmentLine[] = [];
  const where = new Map<string, number | undefined>();
  for (const [originId, { amounts, description }] of sums) {
    // Change orders move a line whole, so its money sits on one budget code; a line at zero anywhere else is gone.
    const now = current.get(originId);
    const held = [...amounts].filter(([wbsId, amount]) => !isZero(amount) || wbsId === now?.wbsId);
    const onCurrent = held.find(([wbsId]) => wbsId === now?.wbsId);
    const [wbsId, amount] = onCurrent ?? held[0] ?? [undefined, undefined];
    if (amount === undefined) continue;
    const before = last.get(originId);
    // Money off the line's current code must read as another code, so that the diff moves it.
    const otherCode = before !== undefined && (now === undefined || !sameCode(before.budgetCode, now.line.budgetCode));
    const base = onCurrent !== undefined ? now?.line : otherCode ? before : undefined;
    lines.push({
      originId,
      amount: toAmount(amount),
      description: base?.description ?? before?.description ?? description ?? '',
      budgetCode: base?.budgetCode ?? { costCode: '', costType: `wbs_code ${wbsId ?? 'none'}` },
      rule: base?.rule ?? 'procore',
    });
    where.set(originId, wbsId ?? undefined);
  }
  return { lines, wbs: where };
}

function sameCode(a: CommitmentLine['budgetCode'], b: CommitmentLine['budgetCode']): boolean {
  return a.costCode === b.costCode && a.costType === b.costType;
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
