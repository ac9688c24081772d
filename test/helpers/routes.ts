// The routes of the app, read from Express itself (following mounted routers and their mount
// paths), with what each route declared to the policy. Tests that must cover every route
// enumerate them here, so a new route cannot be left out of them.
import type { Express } from 'express';
import { routePolicyOf, RoutePolicy } from '../../server/auth/middleware';

export interface AppRoute {
  method: string;
  /** The full path, mount paths included (e.g. /api/v1/waves/:id). */
  path: string;
  /** The first allow(action) or anyone(reason) among the route's handlers, if any. */
  policy: RoutePolicy | undefined;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle: unknown }> };
  handle?: { stack?: Layer[] };
}

export function routesOf(app: Express): AppRoute[] {
  const routes: AppRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const policy = layer.route.stack.map((l) => routePolicyOf(l.handle)).find((p) => p !== undefined);
        for (const method of Object.keys(layer.route.methods)) routes.push({ method, path: prefix + layer.route.path, policy });
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes;
}
