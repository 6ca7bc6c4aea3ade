/** A faithful loopback simulator of the Procore REST API surface the connector uses. */
export { CallLog } from './call-log';
export type { ProcoreSimulatorOptions, ProcoreSwitches } from './options';
export { DEFAULT_RATE_LIMIT, DEFAULT_SWITCHES } from './options';
export type { RateLimits, RateReport } from './rate-limit';
export { type RunningProcoreSimulator, startProcoreSimulator } from './server';
export { createProcoreSimulator, type ProcoreSimulator } from './simulator';
export * from './state';
