import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@tbe/shared';
import { readAuthorization } from '../auth/credentials.ts';
import { loginPage, safeNext } from '../auth/login-page.ts';
import { readCookie, SESSION_COOKIE, sessionCookie, type SessionStore } from '../auth/sessions.ts';
import type { LoginThrottle } from '../auth/throttle.ts';
import { BOARD_PATH } from '../board/board.ts';
import { AdminError } from '../errors.ts';
import { isOverviewPath } from '../overview/routes.ts';
import { pathOf, readText, sendError, sendHtml } from './io.ts';

export interface AdminDeps {
  sessions: SessionStore;
  throttle: LoginThrottle;
  checkToken: (presented: string) => boolean;
  board: (req: IncomingMessage, res: ServerResponse) => void;
  /** The ticket overview page (/admin/tickets, its assets and actions). */
  overview: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  logger: Logger;
}

/** The browser challenge: a basic-auth prompt, and the login form when it is dismissed. */
const CHALLENGE = { 'www-authenticate': 'Basic realm="Ticketing BE admin", charset="UTF-8"' };

/**
 * The browser side under /admin: the login page, logout, and Bull Board behind authentication
 * (the admin token as Bearer or as the basic-auth password, or a session cookie from the login
 * page). The caller has already refused cross-site state changes.
 */
export async function serveAdmin(req: IncomingMessage, res: ServerResponse, deps: AdminDeps): Promise<void> {
  const { path, query } = pathOf(req);
  const method = req.method ?? 'GET';
  if (path === '/admin' || path === '/admin/') {
    res.writeHead(302, { location: BOARD_PATH }).end();
  } else if (path === '/admin/login' && method === 'GET') {
    sendHtml(res, 200, loginPage({ next: safeNext(query.get('next')), failed: false }));
  } else if (path === '/admin/login' && method === 'POST') {
    await login(req, res, deps);
  } else if (path === '/admin/logout' && (method === 'GET' || method === 'POST')) {
    // A GET logout is harmless: the SameSite=Strict cookie is not sent from another site.
    await deps.sessions.destroy(readCookie(req, SESSION_COOKIE));
    res.writeHead(303, { location: '/admin/login', 'set-cookie': sessionCookie(req, '', 0) }).end();
  } else if (path === BOARD_PATH || path.startsWith(`${BOARD_PATH}/`)) {
    await behindLogin(req, res, deps, () => Promise.resolve(deps.board(req, res)));
  } else if (isOverviewPath(path)) {
    await behindLogin(req, res, deps, () => deps.overview(req, res));
  } else {
    sendError(res, new AdminError('NOT_FOUND', `no page ${path}`));
  }
}

/** The board and the ticket page share one login: the token (Bearer, basic auth) or a session. */
async function behindLogin(
  req: IncomingMessage,
  res: ServerResponse,
  deps: AdminDeps,
  serve: () => Promise<void>,
): Promise<void> {
  if (await isAuthenticated(req, deps)) {
    await serve();
  } else if (wantsHtml(req)) {
    sendHtml(res, 401, loginPage({ next: safeNext(req.url), failed: false }), CHALLENGE);
  } else {
    sendError(res, new AdminError('UNAUTHORIZED', 'the admin token is required'), CHALLENGE);
  }
}

async function isAuthenticated(req: IncomingMessage, deps: AdminDeps): Promise<boolean> {
  const presented = readAuthorization(req.headers.authorization);
  if (presented) return deps.checkToken(presented.secret);
  return deps.sessions.isValid(readCookie(req, SESSION_COOKIE));
}

async function login(req: IncomingMessage, res: ServerResponse, deps: AdminDeps): Promise<void> {
  const form = new URLSearchParams(await readText(req, 4096));
  const next = safeNext(form.get('next'));
  const remote = req.socket.remoteAddress ?? 'unknown';
  const blockedMs = await deps.throttle.attempt(remote);
  if (blockedMs > 0) {
    deps.logger.warn({ remote }, 'dashboard login refused: too many failures');
    const minutes = Math.ceil(blockedMs / 60_000);
    sendHtml(res, 429, loginPage({ next, failed: true, throttledMinutes: minutes }), {
      'retry-after': String(Math.ceil(blockedMs / 1000)),
    });
    return;
  }
  if (!deps.checkToken(form.get('token') ?? '')) {
    deps.logger.warn({ remote }, 'dashboard login refused');
    sendHtml(res, 401, loginPage({ next, failed: true }));
    return;
  }
  await deps.throttle.succeeded(remote);
  const id = await deps.sessions.create();
  deps.logger.info({ remote }, 'dashboard login');
  res
    .writeHead(303, { location: next, 'set-cookie': sessionCookie(req, id), 'cache-control': 'no-store' })
    .end();
}

function wantsHtml(req: IncomingMessage): boolean {
  return (req.method ?? 'GET') === 'GET' && (req.headers.accept ?? '').includes('text/html');
}
