import type { ServerResponse } from 'node:http';
import type { SimReply } from './types.ts';

/** Writes a reply as JSON (204 and undefined bodies go out empty); false when the socket is gone. */
export function sendReply(res: ServerResponse, reply: SimReply, padToBytes = 0): boolean {
  if (res.writableEnded || res.destroyed) return false;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return true;
  }
  let text =
    typeof reply.body === 'string' && headers['content-type'] ? reply.body : JSON.stringify(reply.body);
  const missing = padToBytes - Buffer.byteLength(text);
  // Whitespace after a JSON value is still valid JSON: a client that ignores its size cap parses it.
  if (missing > 0) text += ' '.repeat(missing);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(text);
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
