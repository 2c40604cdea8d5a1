import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExtraHandler, Logger } from '@tbe/shared';
import { readAuthorization } from '../auth/credentials.ts';
import { isCrossSite } from '../auth/origin.ts';
import { AdminError } from '../errors.ts';
import { serveAdmin, type AdminDeps } from './admin.ts';
import { pathOf, sendError, sendJson } from './io.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { matchRoute, type Route } from './router.ts';

export interface HandlerDeps extends AdminDeps {
  routes: readonly Route[];
  logger: Logger;
}

const BEARER_CHALLENGE = { 'www-authenticate': 'Bearer realm="Ticketing BE admin API"' };

/**
 * The dashboard's part of the role server: `/api/*` (JSON, Bearer token) and `/admin/*` (the
 * browser side). Every other path is left to the role server (/healthz, /readyz, /metrics).
 */
export function dashboardHandler(deps: HandlerDeps): ExtraHandler {
  return (req, res) => {
    const { path } = pathOf(req);
    const api = path === '/api' || path.startsWith('/api/');
    if (!api && path !== '/admin' && !path.startsWith('/admin/')) return false;
    setSecurityHeaders(res, api);
    void serve(req, res, deps, api).catch((error: unknown) => fail(res, error, deps.logger));
    return true;
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HandlerDeps,
  api: boolean,
): Promise<void> {
  if (isCrossSite(req.method ?? 'GET', req.headers)) {
    deps.logger.warn({ method: req.method, path: pathOf(req).path }, 'cross-site request refused');
    throw new AdminError('FORBIDDEN', 'cross-site requests may not change anything');
  }
  if (!api) return serveAdmin(req, res, deps);
  const presented = readAuthorization(req.headers.authorization);
  if (presented?.scheme !== 'bearer' || !deps.checkToken(presented.secret)) {
    sendError(
      res,
      new AdminError('UNAUTHORIZED', 'Authorization: Bearer <ADMIN_TOKEN> is required'),
      BEARER_CHALLENGE,
    );
    return;
  }
  const { path, query } = pathOf(req);
  const { route, params } = matchRoute(deps.routes, req.method ?? 'GET', path);
  const reply = await route.handle({ params, query, req });
  if (reply.status === 204) {
    res.writeHead(204, { 'cache-control': 'no-store' }).end();
  } else {
    sendJson(res, reply.status, reply.body);
  }
}

function fail(res: ServerResponse, error: unknown, logger: Logger): void {
  if (res.headersSent) {
    logger.error({ err: error }, 'dashboard request failed after answering');
    res.destroy();
    return;
  }
  if (error instanceof AdminError) {
    sendError(res, error);
    return;
  }
  // Details stay in the log: an answer never carries internals (or anything secret).
  logger.error({ err: error }, 'dashboard request failed');
  sendError(res, new AdminError('INTERNAL', 'internal error; see the dashboard log'));
}
