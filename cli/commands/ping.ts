import type { CommandHandler, PingOptions } from '../command';
import { notAvailableYet } from './not-available';

/** `ping`: PLACEHOLDER until the Workday and Procore clients lands. */
export const ping: CommandHandler<PingOptions> = notAvailableYet('ping');
