import type { CommitmentLine } from '../mapping/commands';
import type { LedgerEntry, SyncLedger } from '../ports';
import type { BudgetCodeIndex, ProcoreClient } from '../procore/types';
import { ConnectorError } from '../shared/errors';
import { stableHash } from '../shared/hash';

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

export const commandHash = stableHash;

/** The Procore operations the writer uses. */
export type WriterProcore = Pick<
  ProcoreClient,
  | 'stats'
  | 'vendors'
  | 'findVendorByOrigin'
  | 'syncVendors'
  | 'projectVendorIds'
  | 'addVendorToProject'
  | 'budgetCodes'
  | 'commitments'
  | 'commitment'
  | 'syncCommitments'
  | 'syncCommitmentLines'
  | 'deleteCommitmentLine'
  | 'changeOrders'
  | 'createChangeOrder'
  | 'openBillingPeriod'
  | 'createRequisition'
  | 'createDirectCost'
  | 'updateDirectCost'
>;

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
