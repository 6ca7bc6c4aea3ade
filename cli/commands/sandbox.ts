import type { CommandHandler, SandboxOptions } from '../command';
import { notAvailableYet } from './not-available';

/** `sandbox`: PLACEHOLDER until the Workday and Procore simulators lands. */
export const sandbox: CommandHandler<SandboxOptions> = notAvailableYet('sandbox');
