import type { CommitmentCommand, VendorCommand } from './commands';
import { normalizeVendorName } from './vendor';

/** What the writer knows of a Procore company vendor (tax ID already hashed with `hashTaxId`). */
export interface ProcoreVendorSummary {
  id: number;
  name: string;
  origin_id?: string | null;
  taxIdHash?: string;
  is_active?: boolean;
}

/** How a vendor command meets the Procore directory. */
export type VendorMatch =
  | { kind: 'owned'; vendorId: number }
  | { kind: 'link'; vendorId: number; by: 'taxId' | 'name' }
  | { kind: 'create' }
  | { kind: 'conflict'; reason: string };

/** What the writer knows of a Procore commitment in the command's project. */
export interface ProcoreCommitmentSummary {
  id: number;
  number?: string | null;
  origin_id?: string | null;
  vendor_id?: number | null;
}

/** How a commitment command meets the commitments already in its project. */
export type CommitmentMatch =
  | { kind: 'owned'; commitmentId: number }
  | { kind: 'link'; commitmentId: number; by: 'number' }
  | { kind: 'create' }
  | { kind: 'conflict'; reason: string };

function originOf(record: { origin_id?: string | null | undefined }): string | undefined {
  const origin = record.origin_id?.trim();
  return origin === undefined || origin === '' ? undefined : origin;
}

function describeVendor(vendor: ProcoreVendorSummary): string {
  return `${vendor.id} "${vendor.name}"${vendor.is_active === false ? ' (inactive)' : ''}`;
}

function describeSupplier(command: VendorCommand): string {
  const code = command.payload.origin_code;
  return `Supplier "${command.payload.name}" (${code === undefined ? '' : `${code}, `}WID ${command.originId})`;
}

/**
 * CONTRACT "Match before create": own origin id → owned; a match owned by another integration → conflict;
 * among vendors without origin id one tax ID match, else one normalised-name match → link; several → conflict.
 */
export function matchVendor(command: VendorCommand, procoreVendors: readonly ProcoreVendorSummary[]): VendorMatch {
  const owned = procoreVendors.find((v) => originOf(v) === command.originId);
  if (owned !== undefined) return { kind: 'owned', vendorId: owned.id };

  const { taxIdHash, normalizedName } = command.match;
  const byTaxId = (v: ProcoreVendorSummary) => taxIdHash !== undefined && v.taxIdHash === taxIdHash;
  // Two different tax IDs are two legal entities, however alike their names.
  const byName = (v: ProcoreVendorSummary) =>
    normalizedName !== '' &&
    normalizeVendorName(v.name) === normalizedName &&
    (taxIdHash === undefined || v.taxIdHash === undefined || v.taxIdHash === taxIdHash);

  const foreign = procoreVendors.filter((v) => originOf(v) !== undefined && (byTaxId(v) || byName(v)));
  if (foreign.length > 0) {
    const which = foreign.map((v) => `${describeVendor(v)} (origin_id ${originOf(v)})`).join(', ');
    return {
      kind: 'conflict',
      reason: `${describeSupplier(command)} matches Procore vendor ${which} by ${foreign.some(byTaxId) ? 'tax ID' : 'name'}, which is owned by another integration and is never overwritten: if Workday should own it, clear its origin_id in Procore and replay this supplier.`,
    };
  }

  const free = procoreVendors.filter((v) => originOf(v) === undefined);
  for (const [by, test, label] of [
    ['taxId', byTaxId, 'tax ID'],
    ['name', byName, 'name'],
  ] as const) {
    const candidates = free.filter(test);
    const [only] = candidates;
    if (candidates.length === 1 && only !== undefined) return { kind: 'link', vendorId: only.id, by };
    if (candidates.length > 1) {
      return {
        kind: 'conflict',
        reason: `${describeSupplier(command)} matches ${candidates.length} Procore vendors by ${label}: ${candidates.map(describeVendor).join(', ')}; merge them in Procore, or set origin_id ${command.originId} on the one to keep, then replay this supplier.`,
      };
    }
  }
  return { kind: 'create' };
}

/**
 * Own origin id → owned; otherwise a commitment without origin id whose number equals the PO number in
 * the same project is linked. Pass `vendorId` (the resolved Procore vendor) to refuse a link across vendors.
 */
export function matchCommitment(
  command: CommitmentCommand,
  procoreCommitments: readonly ProcoreCommitmentSummary[],
  vendorId?: number,
): CommitmentMatch {
  const owned = procoreCommitments.find((c) => originOf(c) === command.originId);
  if (owned !== undefined) return { kind: 'owned', commitmentId: owned.id };

  const number = command.number.trim();
  const sameNumber = procoreCommitments.filter((c) => c.number?.trim() === number);
  const where = `PO ${command.number} (project ${command.procoreProjectId})`;
  const foreign = sameNumber.filter((c) => originOf(c) !== undefined);
  if (foreign.length > 0) {
    const which = foreign.map((c) => `${c.id} (origin_id ${originOf(c)})`).join(', ');
    return {
      kind: 'conflict',
      reason: `${where}: Procore commitment ${which} has the same number but belongs to another origin, and is never overwritten: renumber one of them, or clear its origin_id in Procore if it is this PO, then replay the PO.`,
    };
  }
  const otherVendor = sameNumber.filter(
    (c) => vendorId !== undefined && c.vendor_id !== undefined && c.vendor_id !== null && c.vendor_id !== vendorId,
  );
  if (otherVendor.length > 0) {
    return {
      kind: 'conflict',
      reason: `${where}: Procore commitment ${otherVendor.map((c) => c.id).join(', ')} has the same number but another vendor (${otherVendor.map((c) => c.vendor_id).join(', ')}, not ${vendorId}): correct the vendor or the number in Procore, then replay the PO.`,
    };
  }
  const [only] = sameNumber;
  if (sameNumber.length === 1 && only !== undefined) return { kind: 'link', commitmentId: only.id, by: 'number' };
  if (sameNumber.length > 1) {
    return {
      kind: 'conflict',
      reason: `${where}: ${sameNumber.length} Procore commitments have this number (${sameNumber.map((c) => c.id).join(', ')}); delete or renumber the duplicates in Procore, or set origin_id ${command.originId} on the one to keep, then replay the PO.`,
    };
  }
  return { kind: 'create' };
}
