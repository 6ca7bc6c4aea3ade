import type { CommandHandler, SecretsSetOptions } from '../command';
import { notAvailableYet } from './not-available';

/** `secrets set`: PLACEHOLDER until the local encrypted secret store lands. */
export const secretsSet: CommandHandler<SecretsSetOptions> = notAvailableYet('secrets set');
