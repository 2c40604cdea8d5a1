import { Agent, request } from 'undici';
import { HttpStatusError } from '../errors/http-status-error.ts';
import { InvalidResponseError } from '../errors/invalid-response-error.ts';
import { NetworkError, type NetworkErrorCode } from '../errors/network-error.ts';
import type { StatusReport } from '../jobs.ts';
import { redactUrl } from '../redact-url.ts';

/** WM's answers are read up to this size and no further (wm-feed.md): a bigger one is a failed poll. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Kept from an error answer's body, for the log and the status. */
const ERROR_DETAIL_MAX_CHARS = 200;

/** Why a request brought back no page. Each is retried; only `oversized` changes the `limit`. */
export type FetchFailure = 'network' | 'timeout' | 'status' | 'invalid-json' | 'oversized';

export type FetchOutcome =
  | { kind: 'body'; json: unknown; bytes: number }
  /** 410: WM does not know the cursor (any more). */
  | { kind: 'gone' }
  | { kind: 'failed'; reason: FetchFailure; error: NetworkError | HttpStatusError | InvalidResponseError }
  /** The caller's signal aborted the request (shutdown). */
  | { kind: 'stopped' };

export interface WmClientOptions {
  /** WM_URL: origin and device address, no trailing slash. */
  url: string;
  token: string | undefined;
  requestTimeoutMs: number;
  maxBodyBytes?: number;
}

export interface FetchRequest {
  after: string | undefined;
  limit: number;
  /** Seconds WM may hold an empty poll (`wait`, wm-feed.md); 0 or absent: a plain poll. */
  waitS?: number;
}

/**
 * The one client of WM for every role: the feed for the producer, the status reports for the
 * workers. One keep-alive agent, one whole-request timeout (WM_REQUEST_TIMEOUT_MS, which config
 * keeps above any `wait`), the token never repeated in an error.
 */
export interface WmClient {
  fetchChanges(request: FetchRequest, signal: AbortSignal): Promise<FetchOutcome>;
  /**
   * `POST /tickets/status` (at most 500 updates: the caller splits); answers WM's status code.
   * Throws NetworkError when no answer came.
   */
  postStatus(updates: readonly StatusReport[], signal?: AbortSignal): Promise<number>;
  close(): Promise<void>;
}

/** WM over undici, with a whole-request timeout and a streamed size cap on feed pages. */
export function createWmClient(options: WmClientOptions): WmClient {
  const maxBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const agent = new Agent({ keepAliveTimeout: 10_000, connectTimeout: options.requestTimeoutMs });
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const shownUrl = redactUrl(`${options.url}/tickets/changes`);
  const statusUrl = `${options.url}/tickets/status`;
  const shownStatusUrl = redactUrl(statusUrl);
  // An error answer could in theory echo our request: never let the token travel on.
  const scrub = (text: string): string =>
    options.token ? text.replaceAll(options.token, '[redacted]') : text;

  async function fetchChanges(req: FetchRequest, stop: AbortSignal): Promise<FetchOutcome> {
    const { after, limit } = req;
    const url = new URL(`${options.url}/tickets/changes`);
    if (after !== undefined) url.searchParams.set('after', after);
    url.searchParams.set('limit', String(limit));
    if (req.waitS !== undefined && req.waitS > 0) url.searchParams.set('wait', String(req.waitS));
    // One bound for the whole request, body included.
    const timeout = AbortSignal.timeout(options.requestTimeoutMs);
    const signal = AbortSignal.any([stop, timeout]);
    try {
      const res = await request(url, { method: 'GET', headers, signal, dispatcher: agent });
      if (res.statusCode === 410) {
        await res.body.dump();
        return { kind: 'gone' };
      }
      if (res.statusCode < 200 || res.statusCode >= 300) {
        const text = await readCapped(res.body, 4096);
        const detail =
          text === 'too-large' ? undefined : scrub(text.toString('utf8').slice(0, ERROR_DETAIL_MAX_CHARS));
        return {
          kind: 'failed',
          reason: 'status',
          error: new HttpStatusError(res.statusCode, { detail, url: shownUrl }),
        };
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      const body = declared > maxBytes ? 'too-large' : await readCapped(res.body, maxBytes);
      if (body === 'too-large') {
        res.body.destroy();
        const error = new InvalidResponseError(`WM answered more than ${maxBytes} bytes at limit ${limit}`);
        return { kind: 'failed', reason: 'oversized', error };
      }
      try {
        return { kind: 'body', json: JSON.parse(body.toString('utf8')) as unknown, bytes: body.length };
      } catch (cause) {
        const error = new InvalidResponseError(`WM answered ${body.length} bytes that are not JSON`, {
          cause,
        });
        return { kind: 'failed', reason: 'invalid-json', error };
      }
    } catch (cause) {
      if (stop.aborted) return { kind: 'stopped' };
      if (timeout.aborted) {
        const error = new NetworkError(
          'TIMEOUT',
          `no whole answer from ${shownUrl} within ${options.requestTimeoutMs} ms`,
        );
        return { kind: 'failed', reason: 'timeout', error };
      }
      const code = networkCode(cause);
      const error = new NetworkError(code, `${code} on ${shownUrl}`, { cause });
      return { kind: 'failed', reason: code === 'TIMEOUT' ? 'timeout' : 'network', error };
    }
  }

  async function postStatus(updates: readonly StatusReport[], stop?: AbortSignal): Promise<number> {
    const timeout = AbortSignal.timeout(options.requestTimeoutMs);
    const signal = stop ? AbortSignal.any([stop, timeout]) : timeout;
    try {
      const res = await request(statusUrl, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ updates }),
        signal,
        dispatcher: agent,
      });
      await res.body.dump();
      return res.statusCode;
    } catch (cause) {
      const code = timeout.aborted ? 'TIMEOUT' : networkCode(cause);
      throw new NetworkError(code, `${code} on ${shownStatusUrl}: WM status report got no answer`, { cause });
    }
  }

  return { fetchChanges, postStatus, close: () => agent.destroy() };
}

/** Reads a stream to its end, or stops as soon as it passes `maxBytes` (never buffers more). */
async function readCapped(body: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early destroys the stream, so the rest is never read.
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

const CODES: Record<string, NetworkErrorCode> = {
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'TIMEOUT',
  ETIMEDOUT: 'TIMEOUT',
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ECONNRESET: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
  UND_ERR_SOCKET: 'CONNECTION_RESET',
};

/** By the errors' machine codes (undici's and the OS's), never by their messages. */
function networkCode(error: unknown): NetworkErrorCode {
  for (
    let current = error, depth = 0;
    current instanceof Error && depth < 4;
    current = current.cause, depth += 1
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CODES[code]) return CODES[code];
  }
  return 'NETWORK';
}
