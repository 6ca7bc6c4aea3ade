import { pathId, queryInt, type RequestContext, requireProject } from '../context';
import { type Json, paramMissing, type Reply } from '../http';
import { commonFilters, Filters, paginate } from '../listing';
import type { Route } from '../router';
import type { ProcoreState, Project } from '../state';

/** A project as `GET /rest/v1.0/projects` shows it. */
export function projectJson(state: ProcoreState, p: Project): Json {
  return {
    id: p.id,
    name: p.name,
    display_name: p.display_name,
    project_number: p.project_number,
    address: p.address,
    city: p.city,
    state_code: p.state_code,
    country_code: p.country_code,
    zip: p.zip,
    time_zone: p.time_zone,
    stage: p.stage,
    project_stage: p.stage === null ? null : { id: null, name: p.stage },
    active: p.active,
    is_demo: false,
    origin_id: p.origin_id,
    origin_data: p.origin_data,
    origin_code: p.origin_code,
    company: { id: state.company.id, name: state.company.name },
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

function companies(ctx: RequestContext): Reply {
  const c = ctx.state.company;
  return paginate(ctx, [c], () => ({ id: c.id, name: c.name, is_active: c.is_active, logo_url: null }));
}

function me(ctx: RequestContext): Reply {
  return { status: 200, body: { ...ctx.state.serviceAccount } };
}

function listProjects(ctx: RequestContext): Reply {
  if (queryInt(ctx, 'company_id') === undefined) throw paramMissing('company_id');
  const filters = new Filters(ctx.query);
  const status = filters.value('by_status') ?? 'Active';
  const name = filters.value('name')?.toLowerCase();
  const number = filters.value('project_number');
  // The app only ever sees the projects the company admin permitted it.
  const visible = ctx.state.projects().filter((p) => p.permitted && p.company_id === ctx.companyId);
  const selected = commonFilters(visible, filters, (p) => p.origin_id).filter(
    (p) =>
      (status === 'All' || (status === 'Active') === p.active) &&
      (name === undefined || p.name.toLowerCase().includes(name)) &&
      (number === undefined || p.project_number === number),
  );
  if (ctx.query.get('sort') === 'name') selected.sort((a, b) => a.name.localeCompare(b.name));
  return paginate(ctx, selected, (p) => projectJson(ctx.state, p));
}

function showProject(ctx: RequestContext): Reply {
  if (queryInt(ctx, 'company_id') === undefined) throw paramMissing('company_id');
  return { status: 200, body: projectJson(ctx.state, requireProject(ctx, pathId(ctx, 'id', 'Project'))) };
}

/** Companies, the service account and projects. */
export const projectRoutes: Route[] = [
  { method: 'GET', template: '/rest/v1.0/companies', handler: companies },
  { method: 'GET', template: '/rest/v1.0/me', handler: me },
  { method: 'GET', template: '/rest/v1.0/projects', handler: listProjects },
  { method: 'GET', template: '/rest/v1.1/projects', handler: listProjects },
  { method: 'GET', template: '/rest/v1.0/projects/{id}', handler: showProject },
];
