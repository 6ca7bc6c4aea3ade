/** The Workday SOAP (Resource_Management) + OAuth simulator: public surface. */

export * from './builders';
export type * from './data';
export { costedLines, identifiedLines } from './data';
export { derivedWid } from './reference-data';
export {
  createWorkdaySimulator,
  DEFAULT_VERSIONS,
  startWorkdaySimulator,
  type WorkdayCalls,
  type WorkdaySimulator,
  type WorkdaySimulatorOptions,
} from './simulator';
export type { Corruption, SnapshotEntry, Stored, Version } from './store';
export { RecordTable, WorkdayStore } from './store';
export { DEFAULT_SWITCHES, OLDER_SHAPES, type WorkdaySwitches } from './switches';
