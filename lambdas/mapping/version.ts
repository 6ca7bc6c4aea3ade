import type { CustomerConfig } from '../config/schema';
import { stableHash } from '../shared/hash';
import type { ParsedRecord, WorkdayRecord } from '../workday/records';
import type { WriteCommand } from './commands';

// Bump whenever a change to the mapper's code changes its output, so every record maps and writes again.
const MAPPER_REVISION = 1;

/**
 * A short stable hash of everything that changes mapped output: the mapper revision, `mapping`,
 * `purchaseOrders`, `invoices`, `syncFrom` and `procore.companyId` (schedule, retry or alarm changes do not count).
 */
export function mappingVersion(config: CustomerConfig): string {
  return stableHash({
    mapperRevision: MAPPER_REVISION,
    mapping: config.mapping,
    purchaseOrders: config.purchaseOrders,
    invoices: config.invoices,
    syncFrom: config.syncFrom ?? null,
    companyId: config.procore.companyId,
  }).slice(0, 16);
}

/**
 * The content hash of a canonical Workday record (key order does not matter), parsed or sealed alike: a tax ID
 * counts by its hash, since its sealed form differs with every seal.
 */
export function rawHash(record: ParsedRecord | WorkdayRecord): string {
  if (record.kind !== 'supplier' || record.taxId === undefined) return stableHash(record);
  const { type, hash } = record.taxId;
  return stableHash({ ...record, taxId: { type, hash } });
}

/**
 * The raw hash a ledger entry got before tax IDs were sealed (it covered an EIN/ABN in clear): a supplier synced
 * then and unchanged since is the same version, not rewritten because the hash changed form.
 */
export function rawHashBeforeSealing(record: ParsedRecord): string {
  return stableHash(record);
}

/** The content hash of the commands a record maps to: equal output, equal hash. */
export function mappedHash(commands: readonly WriteCommand[]): string {
  return stableHash(commands.map(hashedForm));
}

/**
 * A command as hashed: a vendor's sealed tax ID differs with every seal, and its `match.taxIdHash` already
 * stands for the value, so only the register type counts.
 */
export function hashedForm(command: WriteCommand): object {
  if (command.resource !== 'vendor' || command.payload.business_register_attributes === undefined) return command;
  const { type } = command.payload.business_register_attributes;
  return { ...command, payload: { ...command.payload, business_register_attributes: { type } } };
}
