import type { MappingContext } from './commands';
import { MappingProblem } from './problems';

/**
 * Checks the document currency against each project's; returns the projects that use multicurrency (whose
 * commands carry `currency_iso_code`). A project the context knows nothing about is not checked here.
 */
export function multicurrencyProjects(
  documentLabel: string,
  currency: string,
  projectIds: Iterable<number>,
  context: MappingContext,
): Set<number> {
  const multicurrency = new Set<number>();
  const problems: string[] = [];
  for (const projectId of new Set(projectIds)) {
    const project = context.projectCurrency?.(projectId);
    if (project === undefined) continue;
    if (project.multicurrency) multicurrency.add(projectId);
    else if (project.currency.toUpperCase() !== currency.toUpperCase()) {
      problems.push(
        `${documentLabel} is in ${currency} but Procore project ${projectId} uses ${project.currency} without multicurrency: enable multicurrency on project ${projectId} in Procore, or issue the document in ${project.currency} in Workday.`,
      );
    }
  }
  if (problems.length > 0) throw new MappingProblem(problems.join(' '));
  return multicurrency;
}
