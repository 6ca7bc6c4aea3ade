import type { CostEntry } from '../../lambdas/pipeline/report';
import { type ProjectCurrency, projectCurrencyOf } from '../../lambdas/pipeline/write-currency';
import { describeError, ProcoreError } from '../../lambdas/shared/errors';
import type { LocalRuntime } from '../runtime/local';
import { failed, type PingCheck, passed } from './ping-types';

const CREDENTIALS_FIX =
  'correct PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET, or store them with `ml-connector secrets set --system procore`; ' +
  "they are the app's client credentials for the environment of procore.authBaseUrl";

/** Budget codes the recent documents would use, per project: `code × type` → the documents using it. */
export type BudgetCodeUse = Map<number, Map<string, { costCode: string; costType: string; documents: Set<string> }>>;

/** The cost code × cost type pairs of recent lines, per Procore project, with the documents (labels) using each. */
export function budgetCodeUse(entries: readonly CostEntry[], labelOf: (key: string) => string): BudgetCodeUse {
  const use: BudgetCodeUse = new Map();
  for (const e of entries) {
    if (e.procoreProjectId === null || e.costCode === null || e.costType === null) continue;
    const perProject = use.get(e.procoreProjectId) ?? new Map();
    use.set(e.procoreProjectId, perProject);
    const pair = `${e.costCode} × ${e.costType}`;
    const found = perProject.get(pair) ?? { costCode: e.costCode, costType: e.costType, documents: new Set<string>() };
    found.documents.add(labelOf(e.key));
    perProject.set(pair, found);
  }
  return use;
}

/**
 * Token, company access, then per mapped project: visible to the app, the budget codes recent documents
 * would use exist, and (when invoices on POs become requisitions) an open billing period.
 */
export async function pingProcore(
  rt: LocalRuntime,
  use: BudgetCodeUse | undefined,
  onProgress: (text: string) => void,
): Promise<PingCheck[]> {
  const { procore: settings, mapping, invoices } = rt.config;
  await rt.tokens.delete('procore');
  rt.procore.clearCaches();
  const source = (await rt.secrets.get('procore')) === undefined ? 'the environment' : 'the local secret store';
  const checks: PingCheck[] = [];
  onProgress('Procore: token and company');
  let companies: Awaited<ReturnType<LocalRuntime['procore']['companies']>>;
  try {
    companies = await rt.procore.companies();
  } catch (error) {
    if ((await rt.tokens.get('procore')) === undefined) {
      const status = error instanceof ProcoreError ? error.status : undefined;
      const detail =
        status === undefined
          ? `no token for the client credentials (from ${source}): ${describeError(error)}`
          : `Procore refused the client credentials (from ${source}) at ${settings.authBaseUrl} (HTTP ${status})`;
      return [failed('procore.token', detail, CREDENTIALS_FIX)];
    }
    return [
      passed('procore.token', `client credentials (from ${source}) accepted at ${settings.authBaseUrl}`),
      failed('procore.company', describeError(error), companyFix(settings.companyId)),
    ];
  }
  checks.push(passed('procore.token', `client credentials (from ${source}) accepted at ${settings.authBaseUrl}`));
  const company = companies.find((c) => c.id === settings.companyId);
  if (company === undefined) {
    const seen = companies.map((c) => `${c.id} "${c.name}"`).join(', ') || 'none';
    checks.push(
      failed(
        'procore.company',
        `the app is not installed in company ${settings.companyId} (it sees: ${seen})`,
        companyFix(settings.companyId),
      ),
    );
    return checks;
  }
  checks.push(passed('procore.company', `company ${company.id} "${company.name}" is accessible`));

  const rules = new Map<number, number>();
  mapping.projects.forEach((rule, i) => {
    if (!rules.has(rule.procoreProjectId)) rules.set(rule.procoreProjectId, i);
  });
  const visible: number[] = [];
  for (const [projectId, ruleIndex] of rules) {
    onProgress(`Procore: project ${projectId}`);
    try {
      const project = await rt.procore.project(projectId);
      const visible = `project ${projectId} "${project.name}" is visible${project.active ? '' : ' (inactive)'}`;
      checks.push(await projectCurrencyCheck(rt, projectId, visible));
    } catch (error) {
      checks.push(
        failed(
          `procore.project.${projectId}`,
          projectFailure(projectId, error),
          `add the service account to project ${projectId} in Procore's Directory (and to the app's permitted projects in Company Admin › App Management), or correct mapping.projects[${ruleIndex}].procoreProjectId`,
        ),
      );
      continue;
    }
    checks.push(await guarded(`procore.budgetCodes.${projectId}`, () => budgetCodesCheck(rt, projectId, use)));
    visible.push(projectId);
    if (invoices.poBacked === 'requisition') {
      checks.push(await guarded(`procore.billingPeriod.${projectId}`, () => billingPeriodCheck(rt, projectId)));
    }
  }
  checks.push(...(await guardedAll('procore.mappedBudgetCodes', () => mappedBudgetCodeChecks(rt, visible))));
  return checks;
}

/**
 * The project check with its currency, which the writer checks documents against: Procore's (the project's,
 * else the company's), else the rule's `currency`; neither fails the check, as the writer would quarantine.
 */
async function projectCurrencyCheck(rt: LocalRuntime, projectId: number, visible: string): Promise<PingCheck> {
  const name = `procore.project.${projectId}`;
  const rule = rt.config.mapping.projects.find((r) => r.procoreProjectId === projectId && r.currency !== undefined);
  let project: ProjectCurrency | undefined;
  try {
    project = projectCurrencyOf(await rt.procore.projectCurrency(projectId), rule?.currency);
  } catch (error) {
    return failed(
      name,
      `${visible}, but its currency configuration cannot be read: ${describeError(error)}`,
      `grant the app read access to project ${projectId}'s currency configuration in Procore (or state the project's currency in mapping.projects[].currency), then run ping again`,
    );
  }
  if (project === undefined) {
    return failed(
      name,
      `${visible}, but neither it nor the company has a currency configured in Procore, so documents for it would be quarantined`,
      `configure the company's (or project ${projectId}'s) currency in Procore, or state it in mapping.projects[].currency for project ${projectId}`,
    );
  }
  const multicurrency = project.multicurrency ? 'multicurrency on' : 'multicurrency off';
  return passed(name, `${visible}; currency ${project.currency} (${project.source}), ${multicurrency}`);
}

/** A check whose read failed outright is a failed check, not a failed ping. */
async function guarded(name: string, check: () => Promise<PingCheck>): Promise<PingCheck> {
  try {
    return await check();
  } catch (error) {
    return failed(
      name,
      describeError(error),
      "check the app's tool permissions on the project in Procore, then run ping again",
    );
  }
}

async function guardedAll(name: string, checks: () => Promise<PingCheck[]>): Promise<PingCheck[]> {
  try {
    return await checks();
  } catch (error) {
    return [await guarded(name, () => Promise.reject(error))];
  }
}

/**
 * The budget codes the config itself names, whatever the recent documents: the charges code and the default
 * pair must exist in every mapped project (any document may use them), and each cost code of
 * `mapping.costCodes.map` must be a budget code, with a mapped cost type, in at least one mapped project.
 * One ✗ per missing code, naming the code, the cost type, the project and the fix.
 */
async function mappedBudgetCodeChecks(rt: LocalRuntime, projectIds: readonly number[]): Promise<PingCheck[]> {
  const { costCodes, costTypes, charges } = rt.config.mapping;
  const fixed: { costCode: string; costType: string; key: string }[] = [];
  if (charges.costCode !== null) {
    fixed.push({ costCode: charges.costCode, costType: charges.costType, key: 'mapping.charges' });
  }
  if (costCodes.default !== null) {
    fixed.push({
      costCode: costCodes.default,
      costType: costTypes.default,
      key: 'mapping.costCodes.default × mapping.costTypes.default',
    });
  }
  const indexes = await Promise.all(projectIds.map(async (id) => [id, await rt.procore.budgetCodes(id)] as const));
  const checks: PingCheck[] = [];
  for (const [projectId, codes] of indexes) {
    for (const { costCode, costType, key } of fixed) {
      if (codes.lookup(costCode, costType) !== undefined) continue;
      checks.push(
        failed(
          `procore.budgetCode.${projectId}.${costCode}.${costType}`,
          `budget code ${costCode} × ${costType} (${key}) does not exist in project ${projectId}`,
          `add cost code ${costCode} with cost type ${costType} to project ${projectId}'s budget in Procore, or change ${key}`,
        ),
      );
    }
  }
  const types = [...new Set([...Object.values(costTypes.bySpendCategory), costTypes.default])];
  const mapped = new Map<string, string[]>();
  for (const [workday, costCode] of Object.entries(costCodes.map)) {
    mapped.set(costCode, [...(mapped.get(costCode) ?? []), workday]);
  }
  for (const [costCode, workday] of mapped) {
    if (indexes.some(([, codes]) => types.some((t) => codes.lookup(costCode, t) !== undefined))) continue;
    const keys = workday.map((w) => `mapping.costCodes.map["${w}"]`).join(', ');
    checks.push(
      failed(
        `procore.costCode.${costCode}`,
        `cost code ${costCode} (${keys}) is no budget code with any mapped cost type (${types.join(', ')}) in any mapped project (${projectIds.join(', ')})`,
        `add cost code ${costCode} to the budget of the projects its lines go to in Procore, or correct ${keys}`,
      ),
    );
  }
  if (checks.length > 0 || indexes.length === 0) return checks;
  const named =
    fixed.length === 0
      ? 'no charges or default code is set'
      : `${fixed.map((f) => `${f.costCode} × ${f.costType}`).join(' and ')} exist in every mapped project`;
  return [
    passed(
      'procore.mappedBudgetCodes',
      `budget codes the config names: ${named}; each of the ${mapped.size} mapped cost codes is in at least one`,
    ),
  ];
}

function projectFailure(projectId: number, error: unknown): string {
  const status = error instanceof ProcoreError ? error.status : undefined;
  if (status === 403) return `project ${projectId} is not visible to the app (HTTP 403)`;
  if (status === 404) return `project ${projectId} does not exist in the company, or is hidden from the app (HTTP 404)`;
  return `project ${projectId} cannot be read: ${describeError(error)}`;
}

function companyFix(companyId: number): string {
  return `install the app in Procore company ${companyId} (Company Admin › App Management), or correct procore.companyId`;
}

async function budgetCodesCheck(
  rt: LocalRuntime,
  projectId: number,
  use: BudgetCodeUse | undefined,
): Promise<PingCheck> {
  const name = `procore.budgetCodes.${projectId}`;
  const codes = await rt.procore.budgetCodes(projectId);
  if (use === undefined) return passed(name, `${codes.size} budget codes (recent Workday documents not read)`);
  const used = [...(use.get(projectId)?.values() ?? [])];
  const missing = used.filter((u) => codes.lookup(u.costCode, u.costType) === undefined);
  if (missing.length === 0) {
    return passed(
      name,
      `all ${used.length} budget ${used.length === 1 ? 'code' : 'codes'} used by recent documents exist`,
    );
  }
  const listed = missing
    .map(
      (m) =>
        `${m.costCode} × ${m.costType} (${[...m.documents].slice(0, 3).join(', ')}${m.documents.size > 3 ? ', …' : ''})`,
    )
    .join('; ');
  return failed(
    name,
    `${missing.length} of ${used.length} budget codes used by recent documents do not exist: ${listed}`,
    `add them to project ${projectId}'s budget codes in Procore, or map those lines to existing codes in mapping.costCodes / mapping.costTypes`,
  );
}

async function billingPeriodCheck(rt: LocalRuntime, projectId: number): Promise<PingCheck> {
  const name = `procore.billingPeriod.${projectId}`;
  const period = await rt.procore.openBillingPeriod(projectId);
  if (period !== undefined) {
    return passed(name, `open billing period ${period.start_date ?? '?'} to ${period.end_date ?? '?'}`);
  }
  return failed(
    name,
    `project ${projectId} has no open billing period, so invoices on POs cannot become subcontractor invoices`,
    `open a billing period in project ${projectId} (Procore: Invoicing › Billing Periods), or set invoices.poBacked to "directCost"`,
  );
}
