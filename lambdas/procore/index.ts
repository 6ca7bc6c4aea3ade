/** The Procore REST client the writer uses: auth, pacing, retries, pagination and the resource operations. */
export { createProcoreClient } from './client';
export { PROCORE_RETRY } from './context';
export {
  classifyProcoreFailure,
  isOutcomeUnknown,
  type ProcoreFailure,
  ProcoreOutcomeUnknownError,
  parseErrorBody,
} from './errors';
export { PER_PAGE, parseLink } from './pagination';
export type * from './types';
export { SYNC_BATCH } from './vendors';
