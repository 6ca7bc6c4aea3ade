import type { IncomingHttpHeaders } from 'node:http';
import type { TokenStore } from './auth';
import { badRequest, forbidden, isRecord, notFound, paramMissing } from './http';
import type { ProcoreSwitches } from './options';
import type { ProcoreState, Project } from './state';

/** What handlers share across requests. */
export interface SimulatorCore {
  state: ProcoreState;
  switches: ProcoreSwitches;
  tokens: TokenStore;
  clientId: string;
  clientSecret: string;
  /** Takes the write lock of a direct cost for the rest of this request, or throws 409. */
  lockDirectCost(ctx: RequestContext, directCostId: number): void;
}

/** One request as handlers see it. */
export interface RequestContext {
  core: SimulatorCore;
  state: ProcoreState;
  switches: ProcoreSwitches;
  method: string;
  /** Absolute URL of the request (host from the Host header), for `Link` headers. */
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  rawBody: Buffer;
  /** The company from `Procore-Company-Id` (already checked on `/rest/` routes). */
  companyId: number;
  /** Direct costs this request holds the write lock of; released once the response is sent. */
  locks: Set<number>;
}

/** An integer path parameter; anything else is a 404 like an unknown id. */
export function pathId(ctx: RequestContext, name: string, what = 'Resource'): number {
  const raw = ctx.params[name] ?? '';
  const id = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw notFound(what);
  return id;
}

/** An integer query parameter; undefined when absent, 400 when not an integer. */
export function queryInt(ctx: RequestContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest({ [name]: ['is not a number'] });
  return Number(raw);
}

/** The JSON body as an object (an empty body is `{}`); anything else is a 400. */
export function bodyObject(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body === undefined) return {};
  if (!isRecord(ctx.body)) throw badRequest('The request body must be a JSON object');
  return ctx.body;
}

/** The wrapper object a Procore write nests its attributes in (`vendor`, `item`, …); missing is a 400. */
export function wrapped(ctx: RequestContext, key: string): Record<string, unknown> {
  const value = bodyObject(ctx)[key];
  if (!isRecord(value)) throw paramMissing(key);
  return value;
}

/** An integer from the body; undefined when absent, 400 when not an integer. */
export function bodyInt(ctx: RequestContext, name: string): number | undefined {
  const raw = bodyObject(ctx)[name];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return raw;
  if (typeof raw === 'string' && /^\d+$/.test(raw)) return Number(raw);
  throw badRequest({ [name]: ['is not a number'] });
}

/**
 * The project a project-scoped call names: 400 without one, 404 when it does not exist in the company, 403 when
 * it exists but is not on the app's permitted list.
 */
export function requireProject(ctx: RequestContext, id: number | undefined): Project {
  if (id === undefined) throw paramMissing('project_id');
  const project = ctx.state.db.projects.get(id);
  if (!project || project.company_id !== ctx.companyId) throw notFound('Project');
  if (!project.permitted) throw forbidden('You do not have access to this project');
  return project;
}

/** The project from `?project_id=`. */
export function projectFromQuery(ctx: RequestContext): Project {
  return requireProject(ctx, queryInt(ctx, 'project_id'));
}

/** The project from the body's `project_id`. */
export function projectFromBody(ctx: RequestContext): Project {
  return requireProject(ctx, bodyInt(ctx, 'project_id'));
}

/** The project from the `{project_id}` path parameter. */
export function projectFromPath(ctx: RequestContext): Project {
  return requireProject(ctx, pathId(ctx, 'project_id', 'Project'));
}

/** The project from the body's `project_id`, falling back to the query. */
export function projectFromBodyOrQuery(ctx: RequestContext): Project {
  return requireProject(ctx, bodyInt(ctx, 'project_id') ?? queryInt(ctx, 'project_id'));
}
