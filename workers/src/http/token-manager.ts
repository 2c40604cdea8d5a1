import { AuthFailedError, HttpStatusError, TokenUnavailableError, type Platform } from '@tbe/shared';
import type { AuthState } from '../platform/adapter.ts';

/** What a token endpoint granted. */
export interface Grant {
  accessToken: string;
  lifetimeMs: number;
  /** Cherwell's refresh token; SFyC has none. */
  refreshToken?: string | undefined;
}

/**
 * Asks the token endpoint for a grant (`held`: the grant held now, to refresh it). Throws
 * AuthFailedError when the credentials are refused, TokenUnavailableError on transient trouble.
 */
export type FetchGrant = (held: Grant | undefined) => Promise<Grant>;

export interface TokenManagerOptions {
  platform: Platform;
  fetchGrant: FetchGrant;
  /** Pause between authentication tries while the credentials are refused. */
  authRetryMs: number;
  nowMs?: () => number;
}

export interface TokenManager {
  authState(): AuthState;
  /** Makes sure a token is held (fails like any call would). */
  authenticate(): Promise<void>;
  /** Runs `call` with a valid token; on a 401 the token is dropped and the call repeated once. */
  withToken<T>(call: (accessToken: string) => Promise<T>): Promise<T>;
}

interface Held {
  grant: Grant;
  refreshAtMs: number;
}

/** Refresh ahead of expiry by 60 s, or by a third of the lifetime when that is shorter. */
export function refreshAtMs(issuedAtMs: number, lifetimeMs: number): number {
  return issuedAtMs + lifetimeMs - Math.min(60_000, lifetimeMs / 3);
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof HttpStatusError && error.status === 401;
}

/**
 * One token per platform and process. Fetches are single-flight (a Cherwell refresh retires the
 * previous tokens, so two concurrent refreshes would invalidate each other). While credentials
 * are refused, calls fail fast with AuthFailedError and a new try happens at most every
 * `authRetryMs`.
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const now = options.nowMs ?? Date.now;
  let held: Held | undefined;
  let inflight: Promise<Held> | undefined;
  let state: AuthState = 'unknown';
  let failure: { error: AuthFailedError; retryAtMs: number } | undefined;

  function fail(error: AuthFailedError): AuthFailedError {
    held = undefined;
    state = 'failed';
    failure = { error, retryAtMs: now() + options.authRetryMs };
    return error;
  }

  async function fetchOnce(): Promise<Held> {
    const issuedAtMs = now(); // when asked, so that a slow answer errs on the early side
    try {
      const grant = await options.fetchGrant(held?.grant);
      held = { grant, refreshAtMs: refreshAtMs(issuedAtMs, grant.lifetimeMs) };
      state = 'ok';
      failure = undefined;
      return held;
    } catch (error) {
      if (error instanceof AuthFailedError) throw fail(error);
      // Still failed, and the endpoint is down too: keep the slow pace of tries.
      if (failure) failure.retryAtMs = now() + options.authRetryMs;
      throw error;
    }
  }

  function current(): Promise<Held> {
    if (failure && now() < failure.retryAtMs) return Promise.reject(failure.error);
    if (held && now() < held.refreshAtMs) return Promise.resolve(held);
    inflight ??= fetchOnce().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  /** Forgets a refused token (and its refresh token: a revocation retires both). */
  function drop(used: Held): void {
    if (held === used) held = undefined;
  }

  async function withToken<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    const first = await current();
    try {
      return await call(first.grant.accessToken);
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      drop(first);
    }
    const second = await current();
    try {
      return await call(second.grant.accessToken);
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      if (held !== undefined && held !== second) {
        // Replaced by another caller's refresh while this repeat was in flight: not a refusal
        // of our rights; the flow tries again later at no cost.
        throw new TokenUnavailableError(`${options.platform} token replaced during a repeat`);
      }
      throw fail(
        new AuthFailedError(
          options.platform,
          `${options.platform} refused a freshly issued token (HTTP 401): check the user's rights`,
        ),
      );
    }
  }

  return {
    authState: () => state,
    authenticate: async () => {
      await current();
    },
    withToken,
  };
}
