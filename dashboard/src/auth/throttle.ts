import type { RedisClient } from '@tbe/shared';

/** Failed logins allowed from one client address per window, before the form refuses for the rest of it. */
export const LOGIN_FAILURES_ALLOWED = 10;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

/**
 * Throttles the login form per client address (as the dashboard sees it: behind a proxy, the
 * proxy's), in Redis so that every replica counts together. Ten wrong tokens in 15 minutes and
 * the form refuses until the window ends, without checking the token at all; a success clears
 * the count. Header authentication (Bearer, basic) is not throttled: a CLI or a script is not
 * locked out by someone guessing at the form.
 */
export class LoginThrottle {
  readonly #redis: RedisClient;
  readonly #prefix: string;

  constructor(redis: RedisClient, queuePrefix: string) {
    this.#redis = redis;
    this.#prefix = `${queuePrefix}:{dashboard}:login-failures:`;
  }

  /** ms until the address may try again, or 0 when it may now. */
  async blockedForMs(address: string): Promise<number> {
    const key = this.#key(address);
    const [failures, ttl] = await Promise.all([this.#redis.get(key), this.#redis.pttl(key)]);
    return Number(failures ?? 0) >= LOGIN_FAILURES_ALLOWED ? Math.max(ttl, 1000) : 0;
  }

  async failed(address: string): Promise<void> {
    const key = this.#key(address);
    // The window starts at the first failure and is not extended by later ones.
    await this.#redis.multi().set(key, '0', 'PX', LOGIN_WINDOW_MS, 'NX').incr(key).exec();
  }

  async succeeded(address: string): Promise<void> {
    await this.#redis.del(this.#key(address));
  }

  #key(address: string): string {
    return this.#prefix + address;
  }
}
