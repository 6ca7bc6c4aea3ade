import type { DocumentCurrency } from '../mapping/commands';
import type { ProcoreClient } from '../procore/types';
import { Refused } from './write-context';

/** The Procore reads the currency check makes. */
export type CurrencyProcore = Pick<ProcoreClient, 'projectCurrency'>;

/** A document whose currency is checked: its command's currency fields and project. */
export type CurrencyDocument = DocumentCurrency & { procoreProjectId: number };

/** What the check found: the project's currency, and whether the project takes documents in others. */
export interface ProjectCurrency {
  currency: string;
  multicurrency: boolean;
  /** Where the currency was read, for reasons: `its own currency configuration`, `the company's; …`. */
  source: string;
}

/**
 * The project's currency as Procore configures it (the project's own, else the company's), else as
 * `mapping.projects[].currency` states it. A document in another currency is refused unless the project has
 * multicurrency: written as is, Procore would book its amounts in the project's currency.
 */
export async function checkDocumentCurrency(
  procore: CurrencyProcore,
  document: CurrencyDocument,
  what: string,
): Promise<ProjectCurrency> {
  const projectId = document.procoreProjectId;
  const configured = await procore.projectCurrency(projectId);
  const project = projectCurrencyOf(configured, document.configuredProjectCurrency);
  if (project === undefined) {
    throw new Refused(
      `${what} is in ${document.currency}, but Procore has no currency configured for project ${projectId} or its company, so the connector cannot tell whether the project takes it: configure the company's (or the project's) currency in Procore, or state the project's currency in mapping.projects[].currency, then replay.`,
    );
  }
  if (sameCurrency(document.currency, project.currency) || project.multicurrency) return project;
  throw new Refused(
    `${what} is in ${document.currency} but Procore project ${projectId} uses ${project.currency} (${project.source}) without multicurrency, so Procore would book its amounts as ${project.currency}: enable multicurrency on project ${projectId} in Procore, or issue the document in ${project.currency} in Workday, then replay.`,
  );
}

/** Procore's currency for a project, else the configured one; undefined when neither says. */
export function projectCurrencyOf(
  configured: Awaited<ReturnType<ProcoreClient['projectCurrency']>>,
  fallback: string | undefined,
): ProjectCurrency | undefined {
  const multicurrency = configured.multicurrency_enabled;
  if (configured.currency_iso_code !== null) {
    const source =
      configured.configured_on === 'project'
        ? 'its own currency configuration'
        : "the company's; it has no currency configuration of its own";
    return { currency: configured.currency_iso_code.toUpperCase(), multicurrency, source };
  }
  if (fallback === undefined) return undefined;
  return { currency: fallback, multicurrency, source: 'from mapping.projects[].currency; Procore has none configured' };
}

/**
 * The currency to set on a purchase order contract of a multicurrency project, whose sync takes none: a new
 * contract starts in the project's currency, an existing one may hold another, so it is always set.
 */
export function commitmentCurrencyToSet(
  project: ProjectCurrency,
  document: CurrencyDocument,
  exists: boolean,
): string | undefined {
  if (!project.multicurrency) return undefined;
  return exists || !sameCurrency(document.currency, project.currency) ? document.currency : undefined;
}

/** Sets a contract's currency, refusing the record when Procore does not take it (it may ignore the field). */
export async function setCommitmentCurrency(
  procore: Pick<ProcoreClient, 'setCommitmentCurrency'>,
  projectId: number,
  commitmentId: number,
  currency: string,
  what: string,
): Promise<void> {
  const now = await procore.setCommitmentCurrency(projectId, commitmentId, currency);
  if (now !== null && sameCurrency(now, currency)) return;
  throw new Refused(
    `${what} is in ${currency}, but Procore left purchase order contract ${commitmentId} in ${now ?? 'no currency'} when asked to set ${currency} (Procore takes a contract's currency only when multicurrency for commitments is enabled for the company): enable it in Procore, or issue the PO in the project's currency in Workday, then replay.`,
  );
}

/**
 * A requisition takes its commitment's currency (Procore's requisition create has no currency field). In a
 * single-currency project the project check settles it; in a multicurrency one the contract is read.
 */
export async function checkRequisitionCurrency(
  procore: Pick<ProcoreClient, 'commitmentCurrency'>,
  project: ProjectCurrency,
  document: CurrencyDocument,
  commitmentId: number,
  what: string,
): Promise<void> {
  if (!project.multicurrency) return;
  const contract = (await procore.commitmentCurrency(document.procoreProjectId, commitmentId)) ?? project.currency;
  if (sameCurrency(contract, document.currency)) return;
  throw new Refused(
    `${what} is in ${document.currency} but its purchase order contract ${commitmentId} in Procore project ${document.procoreProjectId} is in ${contract}, and a subcontractor invoice takes its contract's currency (Procore's requisition create has no currency field): issue the invoice in ${contract} in Workday, or set invoices.poBacked to "directCost" (direct costs carry their own currency), then replay.`,
  );
}

function sameCurrency(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}
