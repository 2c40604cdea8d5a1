import type { IncomingMessage } from 'node:http';
import { notFound } from '../errors.ts';

export interface ApiRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  req: IncomingMessage;
}

/** What a handler answers: a status and a JSON body (none for 204). */
export interface ApiReply {
  status: number;
  body?: unknown;
}

export interface Route {
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** Segments; `:name` captures one path segment, URL-decoded. */
  pattern: string;
  handle(request: ApiRequest): Promise<ApiReply>;
}

/** Finds the route for a request, or throws 404 (unknown paths and methods alike). */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } {
  const segments = path.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPattern(route.pattern.split('/').slice(1), segments);
    if (params) return { route, params };
  }
  throw notFound(`no route for ${method} ${path}`);
}

function matchPattern(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) {
      if (segment === '') return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}
