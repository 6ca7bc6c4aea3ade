import type { CommandHandler, ReplayOptions } from '../command';
import { notAvailableYet } from './not-available';

/** `replay`: PLACEHOLDER until the audit trail lands. */
export const replay: CommandHandler<ReplayOptions> = notAvailableYet('replay');
