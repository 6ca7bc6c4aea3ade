import type { CommitmentLine, RequisitionCommand, VendorCommand } from '../mapping/commands';
import { hashedForm } from '../mapping/version';
import type { LedgerEntry, SyncLedger } from '../ports';
import type { BudgetCodeIndex, ProcoreClient, SyncItemError } from '../procore/types';
import { ConnectorError, describeError, ProcoreError } from '../shared/errors';
import { stableHash } from '../shared/hash';

/** Procore takes at most 1000 items per sync call. */
export const SYNC_ITEMS = 1000;

/** A refusal no retry can fix (a budget code missing in Procore, a locked requisition): quarantine now. */
export class Refused extends ConnectorError {
  readonly code = 'WRITE_REFUSED';
  readonly retryable = false;
}

/** The record needs something not in Procore yet (its supplier's vendor, its PO's commitment): park it. */
export class WaitingFor extends ConnectorError {
  readonly code = 'WAITING_FOR_DEPENDENCY';
  readonly retryable = true;
}

/** What the writer remembers per record between attempts, in the ledger entry's `state`. */
export interface WriteProgress {
  /** Command origin id → hash of the command last written in full: a repeat is skipped, a change is detected. */
  written: Record<string, string>;
  /** Commitment origin id → the SOV lines last written and how many change orders exist (change orders diff against them). */
  commitments: Record<string, { lines: CommitmentLine[]; changeOrders: number }>;
}

export function progressOf(entry: LedgerEntry | undefined): WriteProgress {
  const state = entry?.state as Partial<WriteProgress> | undefined;
  return { written: { ...state?.written }, commitments: { ...state?.commitments } };
}

/**
 * The hash a written command is remembered by. A requisition's covers only what Procore holds of it: its
 * currency is checked against its contract's and never sent, so adding it to the command did not turn
 * every requisition written before into a "changed" one that Procore's lock would refuse. A vendor's covers
 * its tax ID by hash (`hashedForm`): the sealed form differs with every seal.
 */
export function commandHash(command: object): string {
  if ('resource' in command && command.resource === 'vendor') return stableHash(hashedForm(command as VendorCommand));
  if (!('resource' in command) || command.resource !== 'requisition') return stableHash(command);
  const { currency: _currency, configuredProjectCurrency: _configured, ...held } = command as RequisitionCommand;
  return stableHash(held);
}

/**
 * One item per command origin id, with its command hash, for the writes done once per batch: a record
 * delivered twice alike is written once; one delivered in two versions is left out, so that each of its
 * messages writes its own version in delivery order, the newest last.
 */
export function onePerOrigin<T>(
  items: readonly T[],
  commandOf: (item: T) => { originId: string },
): { item: T; hash: string }[] {
  const byOrigin = new Map<string, { item: T; hash: string } | undefined>();
  for (const item of items) {
    const command = commandOf(item);
    const hash = commandHash(command);
    const seen = byOrigin.get(command.originId);
    if (!byOrigin.has(command.originId)) byOrigin.set(command.originId, { item, hash });
    else if (seen !== undefined && seen.hash !== hash) byOrigin.set(command.originId, undefined);
  }
  return [...byOrigin.values()].filter((v) => v !== undefined);
}

/** The Procore operations the writer uses. */
export type WriterProcore = Pick<
  ProcoreClient,
  | 'stats'
  | 'vendors'
  | 'findVendorByOrigin'
  | 'refreshVendors'
  | 'syncVendors'
  | 'projectVendorIds'
  | 'addVendorToProject'
  | 'budgetCodes'
  | 'forgetBudgetCodes'
  | 'commitments'
  | 'commitment'
  | 'syncCommitments'
  | 'syncCommitmentLines'
  | 'deleteCommitmentLine'
  | 'changeOrders'
  | 'changeOrderLines'
  | 'createChangeOrder'
  | 'updateChangeOrder'
  | 'addChangeOrderLine'
  | 'openBillingPeriod'
  | 'createRequisition'
  | 'syncDirectCosts'
  | 'syncDirectCostLines'
  | 'projectCurrency'
  | 'setCommitmentCurrency'
  | 'commitmentCurrency'
>;

/**
 * A project's budget codes for the writer: a read of an earlier run while it has every code `wanted`
 * names, else a read of this run (so a code added in Procore since is found).
 */
export async function budgetCodesFor(
  procore: Pick<ProcoreClient, 'budgetCodes'>,
  projectId: number,
  wanted: readonly { costCode: string; costType: string }[],
): Promise<BudgetCodeIndex> {
  const reused = await procore.budgetCodes(projectId, { acrossRuns: true });
  if (!reused.fromEarlierRun || wanted.every((c) => reused.lookup(c.costCode, c.costType) !== undefined)) return reused;
  return procore.budgetCodes(projectId);
}

const BUDGET_CODE_FIELD = /(^|\.)(wbs_code_id|wbs_code|cost_code_id|line_item_type_id)$/;

/**
 * Procore refused a line's budget code that an earlier run read (since removed or made inactive, perhaps):
 * forget the project's codes and retry, so the next attempt decides on a fresh read; otherwise `error` as is.
 */
export function recheckBudgetCodes(
  procore: Pick<ProcoreClient, 'forgetBudgetCodes'>,
  projectId: number,
  codes: BudgetCodeIndex,
  error: ProcoreError,
): ProcoreError {
  if (!codes.fromEarlierRun || !Object.keys(error.fieldErrors).some((f) => BUDGET_CODE_FIELD.test(f))) return error;
  procore.forgetBudgetCodes(projectId);
  return new ProcoreError(
    `${error.message} (its budget codes were read in an earlier run; they are read again when it is retried)`,
    { status: error.status, failure: 'transient', fieldErrors: error.fieldErrors },
    { cause: error },
  );
}

/** The budget code (`wbs_code_id`) of a cost code × cost type in a project, or a refusal saying how to add it. */
export function resolveBudgetCode(
  index: BudgetCodeIndex,
  projectId: number,
  budgetCode: { costCode: string; costType: string },
  what: string,
): number {
  const id = index.lookup(budgetCode.costCode, budgetCode.costType);
  if (id === undefined) {
    throw new Refused(
      `${what}: budget code ${budgetCode.costCode} × ${budgetCode.costType} does not exist in Procore project ${projectId}: add it to the project's budget codes in Procore (or map the line to an existing one in mapping.costCodes / mapping.costTypes), then replay.`,
    );
  }
  return id;
}

/** The Procore vendor id of a supplier: from the ledger, else by origin_id in Procore; otherwise wait (or refuse, if the supplier is quarantined). */
export async function vendorIdOf(
  ledger: SyncLedger,
  procore: Pick<ProcoreClient, 'findVendorByOrigin'>,
  supplierWid: string,
): Promise<number> {
  const known = await ledger.procoreId(supplierWid);
  if (known !== undefined) return known;
  const found = await procore.findVendorByOrigin(supplierWid);
  if (found !== undefined) {
    await ledger.setProcoreIds({ [supplierWid]: found.id });
    return found.id;
  }
  const supplier = await ledger.get(`supplier:${supplierWid}`);
  if (supplier?.status === 'quarantined') {
    throw new Refused(
      `its supplier (WID ${supplierWid}) is quarantined: ${supplier.reason ?? 'see the supplier'}; fix the supplier, then replay it and this record.`,
    );
  }
  throw new WaitingFor(`waiting for supplier ${supplierWid} to be synced to a Procore vendor`);
}

/**
 * The refused items of a sync call by position in the call. Procore echoes each refused item, so one that
 * cannot be placed is rare; it is charged to every item `unanswered` says Procore returned nothing for.
 */
export function refusedAt(
  errors: readonly SyncItemError[],
  size: number,
  unanswered: (index: number) => boolean,
): Map<number, SyncItemError[]> {
  const out = new Map<number, SyncItemError[]>();
  for (const error of errors) {
    const at = error.index === undefined ? Array.from({ length: size }, (_, i) => i).filter(unanswered) : [error.index];
    for (const i of at) out.set(i, [...(out.get(i) ?? []), error]);
  }
  return out;
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(describeError(error));
}
