import type { CustomerConfig } from '../config/schema';
import type { DocumentCurrency } from './commands';

/**
 * The currency fields of a document's command in one project. The mapper does not check them: it runs
 * without Procore, whose currency configuration decides (see the writer's currency check).
 */
export function documentCurrency(currency: string, procoreProjectId: number, config: CustomerConfig): DocumentCurrency {
  const configured = config.mapping.projects.find(
    (rule) => rule.procoreProjectId === procoreProjectId && rule.currency !== undefined,
  )?.currency;
  return { currency, ...(configured === undefined ? {} : { configuredProjectCurrency: configured }) };
}
