import type { CommandHandler, StatusOptions } from '../command';
import { notAvailableYet } from './not-available';

/** `status`: PLACEHOLDER until the state store lands. */
export const status: CommandHandler<StatusOptions> = notAvailableYet('status');
