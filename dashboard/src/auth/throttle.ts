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

  /**
   * Counts a login attempt before its token is checked (so parallel guesses cannot slip past the
   * limit between a read and a write) and answers the ms until the address may try again, or 0
   * when this attempt may go on. A success then clears the count.
   */
  async attempt(address: string): Promise<number> {
    const key = this.#key(address);
    // The window starts at the first attempt and is not extended by later ones.
    const replies = await this.#redis
      .multi()
      .set(key, '0', 'PX', LOGIN_WINDOW_MS, 'NX')
      .incr(key)
      .pttl(key)
      .exec();
    const attempts = Number(replies?.[1]?.[1] ?? 0);
    const ttl = Number(replies?.[2]?.[1] ?? LOGIN_WINDOW_MS);
    return attempts > LOGIN_FAILURES_ALLOWED ? Math.max(ttl, 1000) : 0;
  }

  async succeeded(address: string): Promise<void> {
    await this.#redis.del(this.#key(address));
  }

  #key(address: string): string {
    return this.#prefix + address;
  }
}
