import { matchVendor, type ProcoreVendorSummary } from '../mapping';
import type { VendorCommand } from '../mapping/commands';
import type { SyncLedger } from '../ports';
import type { VendorSyncItem } from '../procore/types';
import { ProcoreError } from '../shared/errors';
import { Refused, type WriterProcore } from './write-context';

/** What happened to each vendor command of a batch, by origin id (the supplier WID). */
export type VendorResults = Map<string, { vendorId: number; calls: number } | { error: Error }>;

/**
 * Upserts every vendor of a batch in one sync call (≤1000 per call): each command is first matched against
 * Procore's vendors (inactive included) so a vendor typed in by hand is linked, never duplicated.
 */
export async function upsertVendors(
  procore: WriterProcore,
  ledger: SyncLedger,
  commands: readonly VendorCommand[],
): Promise<VendorResults> {
  const results: VendorResults = new Map();
  if (commands.length === 0) return results;
  const before = procore.stats.calls;
  let candidates: ProcoreVendorSummary[] | undefined;
  const claimed = new Set<number>();
  const updates: VendorSyncItem[] = [];
  for (const command of commands) {
    const payload = vendorFields(command);
    const known = await ledger.procoreId(command.originId);
    if (known !== undefined) {
      updates.push({ id: known, origin_id: command.originId, ...payload });
      continue;
    }
    candidates ??= await matchableVendors(procore, ledger);
    const match = matchVendor(command, candidates);
    // A vendor already claimed by another supplier of this batch belongs to it, as it will in later batches.
    if ((match.kind === 'owned' || match.kind === 'link') && claimed.has(match.vendorId)) {
      updates.push({ origin_id: command.originId, ...payload });
      continue;
    }
    if (match.kind === 'owned' || match.kind === 'link') claimed.add(match.vendorId);
    switch (match.kind) {
      case 'conflict':
        results.set(command.originId, { error: new Refused(match.reason) });
        break;
      case 'owned':
      case 'link':
        // Sending id with origin_id is the only way sync writes origin_id onto an existing vendor.
        updates.push({ id: match.vendorId, origin_id: command.originId, ...payload });
        break;
      case 'create':
        updates.push({ origin_id: command.originId, ...payload });
        break;
    }
  }
  if (updates.length > 0) {
    const outcome = await procore.syncVendors(updates);
    const calls = procore.stats.calls - before;
    for (const entity of outcome.entities) {
      if (entity.origin_id !== null) results.set(entity.origin_id, { vendorId: entity.id, calls });
    }
    for (const error of outcome.errors) {
      const originId = error.originId ?? (error.index === undefined ? undefined : updates[error.index]?.origin_id);
      if (originId === undefined) continue;
      results.set(originId, {
        error: new ProcoreError(`Procore refused the vendor: ${error.message}`, {
          failure: error.failure,
          fieldErrors: error.fieldErrors,
        }),
      });
    }
  }
  for (const command of commands) {
    if (!results.has(command.originId)) {
      results.set(command.originId, {
        error: new ProcoreError('Procore answered the vendor sync without this vendor', { failure: 'transient' }),
      });
    }
  }
  const written = Object.fromEntries(
    [...results].flatMap(([originId, r]) => ('vendorId' in r ? [[originId, r.vendorId] as const] : [])),
  );
  await ledger.setProcoreIds(written);
  return results;
}

/**
 * Procore vendors a supplier may match: those without an origin id, and those owned by other integrations
 * (a conflict). Vendors carrying the WID of another of our suppliers are not candidates: two Workday
 * suppliers with one name are two vendors.
 */
async function matchableVendors(procore: WriterProcore, ledger: SyncLedger): Promise<ProcoreVendorSummary[]> {
  const vendors = await procore.vendors();
  const summaries: ProcoreVendorSummary[] = [];
  for (const v of vendors) {
    if (v.origin_id !== null && (await ledger.procoreId(v.origin_id)) === v.id) continue;
    summaries.push({
      id: v.id,
      name: v.name,
      origin_id: v.origin_id,
      is_active: v.is_active,
      ...(v.taxIdHash === undefined ? {} : { taxIdHash: v.taxIdHash }),
    });
  }
  return summaries;
}

function vendorFields(command: VendorCommand): Omit<VendorSyncItem, 'id' | 'origin_id'> {
  const { origin_id: _originId, ...fields } = command.payload;
  return fields;
}
