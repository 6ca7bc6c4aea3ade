import type { RequestContext } from './context';
import type { Reply } from './http';

/** HTTP methods the routes use. */
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One Procore operation the simulator serves. */
export interface Route {
  method: Method;
  /** Path template as Procore documents it, e.g. `/rest/v1.0/vendors/{id}`. */
  template: string;
  handler: (ctx: RequestContext) => Reply | Promise<Reply>;
}

/**
 * The operationId Procore's OpenAPI document gives `method template`: `PATCH /rest/v1.0/vendors/sync` is
 * `RestV10VendorsSyncPatch`, and the endpoint schema file carries the same name.
 */
export function operationIdOf(route: Pick<Route, 'method' | 'template'>): string {
  const words = route.template
    .split(/[/._{}]+/)
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
  return `${words.join('')}${route.method.charAt(0)}${route.method.slice(1).toLowerCase()}`;
}

/** A route matched against a request path. */
export interface RouteMatch {
  route: Route;
  operationId: string;
  params: Record<string, string>;
}

interface Compiled {
  route: Route;
  operationId: string;
  pattern: RegExp;
  names: string[];
}

/** Matches request paths to routes; literal segments win over parameters (`/vendors/sync` before `/vendors/{id}`). */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes
      .map((route) => {
        const names: string[] = [];
        const source = route.template.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
        return { route, names, operationId: operationIdOf(route), pattern: new RegExp(`^${source}/?$`) };
      })
      .sort((a, b) => a.names.length - b.names.length);
  }

  /** The route for `method path`, or undefined (Procore answers 404 for unknown paths and methods alike). */
  match(method: string, path: string): RouteMatch | undefined {
    for (const c of this.compiled) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route: c.route, operationId: c.operationId, params };
    }
    return undefined;
  }
}
