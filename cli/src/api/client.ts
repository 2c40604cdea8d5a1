import { CommandError } from '../errors.ts';
import { apiErrorParts, describeApiError } from './errors.ts';

export interface AdminClient {
  /** The JSON answer, or null for 204. Throws CommandError with a one-line reason. */
  request(
    method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<unknown>;
}

export interface AdminClientOptions {
  /** TBE_URL, without a trailing slash. */
  baseUrl: string;
  /** ADMIN_TOKEN: sent as a bearer token, never printed. */
  token: string;
  /** A dashboard that accepts the connection and never answers must not hang the CLI. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The admin API (operations.md, "Admin API") over global fetch. */
export function adminClient(options: AdminClientOptions): AdminClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const doFetch = options.fetch ?? fetch;
  const unreachable = (detail: string): CommandError =>
    new CommandError(`cannot reach the dashboard at ${options.baseUrl} (${detail})`, {}, 'UNREACHABLE');

  return {
    async request(method, path, body) {
      let response: Response;
      try {
        response = await doFetch(`${options.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw unreachable(networkDetail(error, timeoutMs));
      }
      const text = await response.text().catch(() => '');
      if (response.status === 204) return null;
      const answer = parseJson(text);
      if (!response.ok) {
        const { code, fields } = apiErrorParts(answer);
        throw new CommandError(
          describeApiError(response.status, answer),
          { status: response.status, ...(fields ? { fields } : {}) },
          code ?? `HTTP_${response.status}`,
        );
      }
      if (answer === undefined) {
        throw new CommandError(
          `unexpected answer from ${options.baseUrl}${path}: HTTP ${response.status} without JSON`,
          {},
          'INVALID_ANSWER',
        );
      }
      return answer;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** What fetch's failure says in a word: the system error code, or the timeout. */
function networkDetail(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
