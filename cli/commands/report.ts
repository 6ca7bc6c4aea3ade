import type { CommandHandler, ReportOptions } from '../command';
import { notAvailableYet } from './not-available';

/** `report`: PLACEHOLDER until reconciliation lands. */
export const report: CommandHandler<ReportOptions> = notAvailableYet('report');
