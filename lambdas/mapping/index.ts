import type { CustomerConfig } from '../config/schema';
import { recordKey, type WorkdayRecord } from '../workday/records';
import type { MappingContext, MapResult } from './commands';
import { mapCreditMemo, mapInvoice } from './invoice';
import { settle } from './problems';
import { mapPurchaseOrder } from './purchase-order';
import { mapSupplier } from './vendor';

export {
  buildChangeOrder,
  changeOrderIndex,
  changeOrderNumber,
  diffCommitmentLines,
  readChangeOrderLineMarker,
} from './change-order';
export type * from './commands';
export { mapCreditMemo, mapInvoice } from './invoice';
export type { CommitmentMatch, ProcoreCommitmentSummary, ProcoreVendorSummary, VendorMatch } from './matching';
export { matchCommitment, matchVendor } from './matching';
export { mapPurchaseOrder, poLineIndexEntries, poLineLookup } from './purchase-order';
export { mapSupplier, normalizeVendorName } from './vendor';
export { mappedHash, mappingVersion, rawHash } from './version';

/** The mapper's single entry point: one Workday record → Procore write commands, or why not; never throws. */
export function mapRecord(record: WorkdayRecord, config: CustomerConfig, context: MappingContext): MapResult {
  const key = safeKey(record);
  try {
    switch (record.kind) {
      case 'supplier':
        return settle(key, () => [mapSupplier(record)]);
      case 'purchaseOrder':
        return mapPurchaseOrder(record, config);
      case 'invoice':
        return mapInvoice(record, config, context);
      case 'creditMemo':
        return mapCreditMemo(record, config, context);
      default:
        return settle(key, () => {
          throw new Error(`unknown record kind ${JSON.stringify((record as { kind?: unknown }).kind)}`);
        });
    }
  } catch (error) {
    return settle(key, () => {
      throw error;
    });
  }
}

function safeKey(record: WorkdayRecord): string {
  try {
    return recordKey(record);
  } catch {
    return 'unknown:record';
  }
}
