import { performance } from 'node:perf_hooks';
import { HttpStatusError, InvalidResponseError, redactUrl, type Platform } from '@tbe/shared';
import { Pool } from 'undici';
import type { z } from 'zod';
import type { RequestObserver } from '../platform/adapter.ts';
import { BodyTooLargeError, describeErrorBody, readCapped, readHead } from './body.ts';
import { toNetworkError } from './network-error.ts';
import { parseRetryAfterMs } from './retry-after.ts';

export interface HttpClientOptions {
  platform: Platform;
  /** Base URL with the device address, e.g. `https://itsm.example.mx/CherwellAPI`. */
  baseUrl: string;
  /** Bound of one request, from sending to the last byte of the answer. */
  requestTimeoutMs: number;
  /** Concurrent API requests the caller may have in flight; the pool keeps one more for tokens. */
  maxInFlight: number;
  /** Largest answer read; default 16 MiB. */
  maxResponseBytes?: number | undefined;
  observer?: RequestObserver | undefined;
  /** Values never to repeat in an error (credentials); tokens are added per request. */
  secrets?: readonly string[];
}

export interface HttpRequest<T> {
  /** What the request is for, as recorded: `token`, `search`, `create`, ... */
  call: string;
  /** Tickets (or ids, entities) the request names. */
  items: number;
  method: 'GET' | 'POST';
  /** Relative to the base URL's path, starting with `/`. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  bearer?: string;
  schema: z.ZodType<T>;
  /** More values never to repeat in an error (the tokens this request carries). */
  secrets?: readonly string[];
}

export interface HttpClient {
  request<T>(request: HttpRequest<T>): Promise<T>;
  close(): Promise<void>;
}

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const ERROR_BODY_BYTES = 16 * 1024;

/**
 * JSON over one keep-alive pool per platform. Failures become the shared errors: no answer ->
 * NetworkError; non-2xx -> HttpStatusError (with `Retry-After`); an unreadable 2xx ->
 * InvalidResponseError. Every request, however it ends, is reported once to the observer.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const pool = new Pool(base.origin, {
    connections: options.maxInFlight + 1,
    connect: { timeout: options.requestTimeoutMs },
  });
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeoutMs = options.requestTimeoutMs;

  async function request<T>(req: HttpRequest<T>): Promise<T> {
    const path = `${basePath}${req.path}${req.query ? `?${new URLSearchParams(req.query).toString()}` : ''}`;
    const what = `${req.method} ${redactUrl(`${base.origin}${path}`)}`;
    const secrets = [...(options.secrets ?? []), ...(req.secrets ?? [])];
    const startedMs = performance.now();
    let status: number | string = 'NETWORK';
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const answer = await pool.request({
        method: req.method,
        path,
        headers: headersOf(req),
        body: req.form
          ? new URLSearchParams(req.form).toString()
          : req.json === undefined
            ? null
            : JSON.stringify(req.json),
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const code = answer.statusCode;
      if (code < 200 || code > 299) {
        const retryAfterMs = parseRetryAfterMs(answer.headers['retry-after'], Date.now());
        const detail = describeErrorBody(await readHead(answer.body, ERROR_BODY_BYTES), secrets);
        status = code;
        throw new HttpStatusError(code, {
          url: what,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          ...(detail === undefined ? {} : { detail }),
        });
      }
      const text = await readCapped(answer.body, maxBytes);
      status = code;
      return parseBody(text, req.schema, what);
    } catch (error) {
      if (error instanceof HttpStatusError || error instanceof InvalidResponseError) throw error;
      if (error instanceof BodyTooLargeError) throw new InvalidResponseError(`${error.message} from ${what}`);
      const networkError = toNetworkError(error, timedOut, what, timeoutMs);
      status = networkError.code;
      throw networkError;
    } finally {
      clearTimeout(timer);
      const record = {
        platform: options.platform,
        call: req.call,
        items: req.items,
        status,
        durationMs: Math.round(performance.now() - startedMs),
      };
      try {
        options.observer?.(record);
      } catch {
        // A failing observer (logs, metrics) must not fail a platform call.
      }
    }
  }

  return { request, close: () => pool.close() };
}

function headersOf(req: HttpRequest<unknown>): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  else if (req.json !== undefined) headers['content-type'] = 'application/json';
  if (req.bearer !== undefined) headers.authorization = `Bearer ${req.bearer}`;
  return headers;
}

/** An answer's text through its schema: the data, or InvalidResponseError (never anything else). */
export function parseBody<T>(text: string, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // No cause attached: V8's message quotes the text, which may hold a token.
    throw new InvalidResponseError(`answer from ${what} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // Paths and messages only: never the values, which may carry tokens.
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidResponseError(`answer from ${what} has the wrong shape: ${issues.join('; ')}`);
  }
  return parsed.data;
}
