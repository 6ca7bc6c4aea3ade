/** The sandbox: the Workday and Procore simulators of a seeded firm on one loopback port. */
export * from './seed/index';
export { type ConfigOverrides, type Sandbox, type SandboxOptions, startSandbox } from './server';
