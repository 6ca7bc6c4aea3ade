/** The seeded construction firm: generator, lazy Workday store, oracle and scenario. */
export { COST_CODES, type CostCodeEntry, SPEND_CATEGORIES } from './catalog';
export { type FirmData, GeneratedRecords, type RecordVersion } from './data';
export { type Firm, type GenerateFirmOptions, generateFirm, lazySources } from './firm';
export type { FirmLayout, ProjectPlan } from './layout';
export { type LazyBase, LazyRecordTable, type LazySources, LazyWorkdayStore, lazyArray } from './lazy-store';
export { buildOracle, compareWithProcore, type OracleInput } from './oracle';
export type * from './oracle-types';
export type { HandTypedCommitment, HandTypedVendor, LoadedProcore } from './procore-seed';
export { SCALES, type Scale, type ScaleSpec } from './scale';
export type { ScenarioChange } from './scenario';
