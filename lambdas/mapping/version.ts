import type { CustomerConfig } from '../config/schema';
import { stableHash } from '../shared/hash';
import type { WorkdayRecord } from '../workday/records';
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

/** The content hash of a canonical Workday record (key order does not matter). */
export function rawHash(record: WorkdayRecord): string {
  return stableHash(record);
}

/** The content hash of the commands a record maps to: equal output, equal hash. */
export function mappedHash(commands: readonly WriteCommand[]): string {
  return stableHash(commands);
}
