import {
  AuthFailedError,
  HttpStatusError,
  InvalidResponseError,
  NetworkError,
  TokenUnavailableError,
  type Platform,
} from '@tbe/shared';

/**
 * What a failed token request means. A 4xx other than 408/429 is a refusal of what we sent
 * (Cherwell `invalid_grant`/`invalid_client_id` are 400s, SFyC answers 400 or 401): only an
 * operator can fix it, so it is an auth failure retried slowly. 5xx, 408, 429, no answer or an
 * unreadable answer are the endpoint's transient trouble.
 */
export function tokenEndpointError(platform: Platform, error: unknown): unknown {
  if (error instanceof HttpStatusError) {
    const refused = error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
    if (refused)
      return new AuthFailedError(
        platform,
        `${platform} token endpoint refused the credentials: ${error.message}`,
      );
    return new TokenUnavailableError(`${platform} token endpoint: ${error.message}`, {
      cause: error,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    });
  }
  if (error instanceof NetworkError || error instanceof InvalidResponseError) {
    return new TokenUnavailableError(`${platform} token endpoint: ${error.message}`, { cause: error });
  }
  return error;
}
