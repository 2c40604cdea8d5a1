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
  /** Calls using this token right now. */
  users: number;
  /** Told when `users` falls to 0 (a refresh waiting to retire this token). */
  onIdle: Array<() => void>;
}

/** Refresh ahead of expiry by 60 s, or by a third of the lifetime when that is shorter. */
export function refreshAtMs(issuedAtMs: number, lifetimeMs: number): number {
  return issuedAtMs + lifetimeMs - Math.min(60_000, lifetimeMs / 3);
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof HttpStatusError && error.status === 401;
}

/**
 * One token per platform and process. Fetches are single-flight, and a refresh first waits for
 * the calls still using the old token (a Cherwell refresh retires the previous tokens: a call
 * arriving after it with the old token would be refused). While credentials are refused, calls
 * fail fast with AuthFailedError and a new try happens at most every `authRetryMs`.
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const now = options.nowMs ?? Date.now;
  let held: Held | undefined;
  let inflight: Promise<void> | undefined;
  let state: AuthState = 'unknown';
  let failure: { error: AuthFailedError; retryAtMs: number } | undefined;

  function fail(error: AuthFailedError): AuthFailedError {
    held = undefined;
    state = 'failed';
    failure = { error, retryAtMs: now() + options.authRetryMs };
    return error;
  }

  async function renew(): Promise<void> {
    const old = held;
    if (old && old.users > 0) await new Promise<void>((resolve) => old.onIdle.push(resolve));
    const issuedAtMs = now(); // when asked, so that a slow answer errs on the early side
    try {
      const grant = await options.fetchGrant(held?.grant);
      held = { grant, refreshAtMs: refreshAtMs(issuedAtMs, grant.lifetimeMs), users: 0, onIdle: [] };
      state = 'ok';
      failure = undefined;
    } catch (error) {
      if (error instanceof AuthFailedError) throw fail(error);
      // Still failed, and the endpoint is down too: keep the slow pace of tries.
      if (failure) failure.retryAtMs = now() + options.authRetryMs;
      throw error;
    }
  }

  /** Takes the held token for one call, synchronously, so that no refresh slips in between. */
  function leaseNow(fresh: boolean): Held | undefined {
    if (failure && now() < failure.retryAtMs) throw failure.error;
    if (!held || inflight || (!fresh && now() >= held.refreshAtMs)) return undefined;
    held.users += 1;
    return held;
  }

  async function lease(): Promise<Held> {
    const ready = leaseNow(false);
    if (ready) return ready;
    // Bounded: a token dropped by another call's 401 between the fetch and this lease.
    for (let tries = 0; tries < 3; tries += 1) {
      inflight ??= renew().finally(() => {
        inflight = undefined;
      });
      await inflight;
      // Just fetched for us: used even when a tiny lifetime already says "refresh".
      const fetched = leaseNow(true);
      if (fetched) return fetched;
    }
    throw new TokenUnavailableError(`${options.platform} token was dropped as soon as it came`);
  }

  function release(used: Held): void {
    used.users -= 1;
    if (used.users === 0) for (const resolve of used.onIdle.splice(0)) resolve();
  }

  /** Forgets a refused token (and its refresh token: a revocation retires both). */
  function drop(used: Held): void {
    if (held === used) held = undefined;
  }

  async function attempt<T>(
    call: (accessToken: string) => Promise<T>,
  ): Promise<{ used: Held; result?: T; unauthorized?: HttpStatusError }> {
    const used = await lease();
    try {
      return { used, result: await call(used.grant.accessToken) };
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      return { used, unauthorized: error as HttpStatusError };
    } finally {
      release(used);
    }
  }

  async function withToken<T>(call: (accessToken: string) => Promise<T>): Promise<T> {
    const first = await attempt(call);
    if (!first.unauthorized) return first.result as T;
    drop(first.used);
    const second = await attempt(call);
    if (!second.unauthorized) return second.result as T;
    if (held !== undefined && held !== second.used) {
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

  return {
    authState: () => state,
    authenticate: async () => release(await lease()),
    withToken,
  };
}
