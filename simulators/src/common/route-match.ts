import { compilePattern } from './router.ts';
import type { CompiledPattern } from './router.ts';
import type { SimRequest, SimRoute } from './route.ts';

export interface CompiledRoute {
  route: SimRoute;
  pattern: CompiledPattern;
}

export function compileRoutes(routes: readonly SimRoute[], caseInsensitive: boolean): CompiledRoute[] {
  return routes.map((route) => ({ route, pattern: compilePattern(route.path, caseInsensitive) }));
}

/** The path under the device address, or null when the request is outside it. */
export function stripBase(fullPath: string, basePath: string, ci: boolean): string | null {
  const [p, b] = ci ? [fullPath.toLowerCase(), basePath.toLowerCase()] : [fullPath, basePath];
  if (basePath === '' || basePath === '/') return fullPath;
  return p.startsWith(`${b}/`) ? fullPath.slice(basePath.length) : null;
}

export function findRoute(
  routes: CompiledRoute[],
  method: string,
  path: string,
  sreq: SimRequest,
): SimRoute | undefined {
  for (const { route, pattern } of routes) {
    if (route.method !== method) continue;
    const params = pattern.match(path);
    if (params) {
      sreq.params = params;
      return route;
    }
  }
  return undefined;
}

export function touchesOf(route: SimRoute, sreq: SimRequest): string[] {
  try {
    return [...new Set(route.touches?.(sreq) ?? [])];
  } catch {
    return []; // a body too broken to name tickets touches none
  }
}
