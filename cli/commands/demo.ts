import type { CommandHandler, DemoOptions } from '../command';
import { notAvailableYet } from './not-available';

/** `demo`: PLACEHOLDER until the local runtime and the sandbox lands. */
export const demo: CommandHandler<DemoOptions> = notAvailableYet('demo');
