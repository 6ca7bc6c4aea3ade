import { matchVendor, type ProcoreVendorSummary } from '../mapping';
import type { VendorCommand, VendorPayload } from '../mapping/commands';
import type { SyncLedger, TaxIdSealer } from '../ports';
import type { VendorSyncItem } from '../procore/types';
import { ProcoreError } from '../shared/errors';
import { asError, Refused, type WriterProcore } from './write-context';

/** What happened to each vendor command of a batch, by origin id (the supplier WID). */
export type VendorResults = Map<string, { vendorId: number; calls: number } | { error: Error }>;

/** A vendor's tax ID as its command carries it, sealed. */
type SealedRegister = NonNullable<VendorPayload['business_register_attributes']>;

/**
 * Upserts every vendor of a batch in one sync call (≤1000 per call): each command is first matched against
 * Procore's vendors (inactive included) so a vendor typed in by hand is linked, never duplicated. Sealed tax
 * IDs are opened only into the call's body.
 */
export async function upsertVendors(
  procore: WriterProcore,
  ledger: SyncLedger,
  taxIds: TaxIdSealer,
  commands: readonly VendorCommand[],
): Promise<VendorResults> {
  const results: VendorResults = new Map();
  if (commands.length === 0) return results;
  const before = procore.stats.calls;
  const candidates = new Candidates(procore, ledger);
  const claimed = new Set<number>();
  const updates: VendorSyncItem[] = [];
  const registers = new Map<string, SealedRegister>();
  for (const command of commands) {
    const { business_register_attributes: register, ...payload } = vendorFields(command);
    if (register !== undefined) registers.set(command.originId, register);
    const known = await ledger.procoreId(command.originId);
    if (known !== undefined) {
      updates.push({ id: known, origin_id: command.originId, ...payload });
      continue;
    }
    let match = matchVendor(command, await candidates.list());
    // Nothing to link to in the list this run read: a vendor typed in since then must not be duplicated.
    if (match.kind === 'create' && (await candidates.refresh())) match = matchVendor(command, await candidates.list());
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
  const body = await opened(updates, registers, taxIds, results);
  if (body.length > 0) {
    const outcome = await procore.syncVendors(body);
    const calls = procore.stats.calls - before;
    const ours = oursOf(procore);
    for (const entity of outcome.entities) {
      if (entity.origin_id === null) continue;
      results.set(entity.origin_id, { vendorId: entity.id, calls });
      ours.set(entity.id, entity.origin_id);
    }
    for (const error of outcome.errors) {
      const originId = error.originId ?? (error.index === undefined ? undefined : body[error.index]?.origin_id);
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
 * Vendor id → origin id of the Procore vendors known to be ours (their origin id is the WID of one of our
 * suppliers, and the ledger names that vendor for it), per client: a container in Lambda, a process locally.
 * Only positive answers are kept, so a vendor another process links meanwhile is still looked up; at most
 * one entry per Procore vendor.
 */
const oursByClient = new WeakMap<object, Map<number, string>>();

function oursOf(procore: WriterProcore): Map<number, string> {
  let ours = oursByClient.get(procore);
  if (ours === undefined) {
    ours = new Map();
    oursByClient.set(procore, ours);
  }
  return ours;
}

/**
 * Procore vendors a supplier may match: those without an origin id, and those owned by other integrations
 * (a conflict). Vendors carrying the WID of another of our suppliers are not candidates: two Workday
 * suppliers with one name are two vendors. Built from the client's vendor list of the run; the ledger is
 * asked only about vendors not already known to be ours.
 */
class Candidates {
  private built: ProcoreVendorSummary[] | undefined;
  /** Vendors the ledger said are not ours, asked once per batch (another process may link them any time). */
  private readonly notOurs = new Map<number, string>();
  private refreshed = false;
  private listRead = false;

  constructor(
    private readonly procore: WriterProcore,
    private readonly ledger: SyncLedger,
  ) {}

  async list(): Promise<ProcoreVendorSummary[]> {
    if (this.built !== undefined) return this.built;
    const reads = this.procore.stats.reads;
    const vendors = await this.procore.vendors();
    // Read just now (first use in the run): a refresh would read the same.
    this.listRead ||= this.procore.stats.reads > reads;
    const ours = oursOf(this.procore);
    const summaries: ProcoreVendorSummary[] = [];
    for (const v of vendors) {
      if (v.origin_id !== null) {
        if (ours.get(v.id) === v.origin_id) continue;
        if (this.notOurs.get(v.id) !== v.origin_id) {
          if ((await this.ledger.procoreId(v.origin_id)) === v.id) {
            ours.set(v.id, v.origin_id);
            continue;
          }
          this.notOurs.set(v.id, v.origin_id);
        }
      }
      summaries.push({
        id: v.id,
        name: v.name,
        origin_id: v.origin_id,
        is_active: v.is_active,
        ...(v.taxIdHash === undefined ? {} : { taxIdHash: v.taxIdHash }),
      });
    }
    this.built = summaries;
    return summaries;
  }

  /** Re-reads what Procore changed since the list was read, once per batch; false when nothing new can be had. */
  async refresh(): Promise<boolean> {
    if (this.refreshed || this.listRead) return false;
    this.refreshed = true;
    await this.procore.refreshVendors();
    this.built = undefined;
    return true;
  }
}

function vendorFields(command: VendorCommand): Omit<VendorPayload, 'origin_id'> {
  const { origin_id: _originId, ...fields } = command.payload;
  return fields;
}

/**
 * The sync call's body: each sealed tax ID opened into the identifier Procore takes, held nowhere else. A vendor
 * whose tax ID does not open fails alone (and retries), without its identifier ever sent sealed.
 */
async function opened(
  items: readonly VendorSyncItem[],
  registers: ReadonlyMap<string, SealedRegister>,
  taxIds: TaxIdSealer,
  results: VendorResults,
): Promise<VendorSyncItem[]> {
  const body = await Promise.all(
    items.map(async (item): Promise<VendorSyncItem | undefined> => {
      const originId = item.origin_id;
      const register = originId === undefined ? undefined : registers.get(originId);
      if (originId === undefined || register === undefined) return item;
      try {
        const identifier = await taxIds.open(register.sealed);
        return { ...item, business_register_attributes: { type: register.type, identifier } };
      } catch (error) {
        results.set(originId, { error: asError(error) });
        return undefined;
      }
    }),
  );
  return body.filter((item) => item !== undefined);
}
