import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import { readBody } from './body.ts';
import { sendReply } from './reply.ts';
import { ControlError } from './route.ts';
import type { ControlRoute } from './route.ts';
import { compilePattern } from './router.ts';

export const CONTROL_PREFIX = '/_sim';

/** `/_sim/...`: JSON control calls for tests in other processes, the demo and operators. */
export function controlHandler(routes: readonly ControlRoute[]) {
  const compiled = routes.map((route) => ({ route, pattern: compilePattern(route.path) }));
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.slice(CONTROL_PREFIX.length) || '/';
    const raw = await readBody(req);
    let body: unknown = undefined;
    try {
      const text = raw === 'too-large' ? '' : raw.toString('utf8');
      if (text.trim() !== '') body = JSON.parse(text) as unknown;
    } catch {
      sendReply(res, { status: 400, body: { error: 'body is not valid JSON' } });
      return;
    }
    for (const { route, pattern } of compiled) {
      if (route.method !== method) continue;
      const params = pattern.match(path);
      if (!params) continue;
      try {
        sendReply(res, route.handle(body, params, Object.fromEntries(url.searchParams)));
      } catch (error) {
        sendReply(res, controlFailure(error));
      }
      return;
    }
    sendReply(res, { status: 404, body: { error: `no control endpoint ${method} ${url.pathname}` } });
  };
}

function controlFailure(error: unknown): { status: number; body: unknown } {
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    return { status: 400, body: { error: issues.join('; '), issues } };
  }
  if (error instanceof ControlError) return { status: error.status, body: { error: error.message } };
  return { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
}
