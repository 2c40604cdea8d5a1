import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdminError, badRequest } from '../errors.ts';

/** Admin bodies are small: at most a list of 1,000 dead-letter ids. */
export const MAX_BODY_BYTES = 256 * 1024;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export function sendError(
  res: ServerResponse,
  error: AdminError,
  headers: Record<string, string> = {},
): void {
  sendJson(res, error.status, error.toBody(), headers);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The login page loads nothing and may not be framed (clickjacking).
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    ...headers,
  });
  res.end(html);
}

/** Reads the whole body as text, refusing more than `maxBytes`. */
export async function readText(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes)
      throw badRequest(`body over ${maxBytes} bytes`, [
        { path: 'body', message: `at most ${maxBytes} bytes` },
      ]);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A JSON body. Its Content-Type must say JSON: besides being the API's format, a browser cannot
 * send that type to another site without a CORS preflight, which this server never grants.
 */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw badRequest('expected a JSON body', [
      { path: 'body', message: 'Content-Type must be application/json' },
    ]);
  }
  const text = await readText(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('body is not valid JSON', [{ path: 'body', message: 'not valid JSON' }]);
  }
}

export function pathOf(req: IncomingMessage): { path: string; query: URLSearchParams } {
  const url = new URL(req.url ?? '/', 'http://localhost');
  return { path: url.pathname, query: url.searchParams };
}
