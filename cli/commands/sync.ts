import type { CommandHandler, SyncOptions } from '../command';
import { notAvailableYet } from './not-available';

/** `sync`: PLACEHOLDER until the local runtime lands. */
export const sync: CommandHandler<SyncOptions> = notAvailableYet('sync');
