import { pathId, type RequestContext, requireProject } from '../context';
import type { Reply } from '../http';
import { usesMulticurrency } from '../options';
import type { Route } from '../router';

/** Multicurrency is on for the company when any project uses it (the switch is per project or global). */
function companyMulticurrency(ctx: RequestContext): boolean {
  const m = ctx.switches.multicurrency;
  return Array.isArray(m) ? m.length > 0 : m;
}

// The simulator already refuses a path `company_id` other than the request's company.
function companyCurrency(ctx: RequestContext): Reply {
  const multicurrency = companyMulticurrency(ctx);
  return {
    status: 200,
    body: {
      company_id: ctx.state.company.id,
      currency_iso_code: ctx.state.company.currency_iso_code,
      currency_display: 'symbol',
      multicurrency_enabled: multicurrency,
      multicurrency_enabled_effective_date: multicurrency ? '2026-01-01T00:00:00Z' : null,
      eligible_for_multicurrency: multicurrency,
    },
  };
}

/** A project without a configuration of its own answers null codes; its documents are in the company's currency. */
function projectCurrency(ctx: RequestContext): Reply {
  const project = requireProject(ctx, pathId(ctx, 'project_id', 'Project'));
  const own = project.currency_configured;
  return {
    status: 200,
    body: {
      company_id: project.company_id,
      project_id: project.id,
      currency_iso_code: own ? project.currency_iso_code : null,
      currency_display: own ? 'symbol' : null,
      company_currency_exchange_rate_override: null,
      multicurrency_enabled: usesMulticurrency(ctx.switches, project.id),
      eligible_for_financial_objs_multicurrency: companyMulticurrency(ctx),
    },
  };
}

/** The company's and each project's currency configuration. */
export const currencyRoutes: Route[] = [
  { method: 'GET', template: '/rest/v1.0/companies/{company_id}/currency_configuration', handler: companyCurrency },
  {
    method: 'GET',
    template: '/rest/v1.0/companies/{company_id}/projects/{project_id}/currency_configuration',
    handler: projectCurrency,
  },
];
