import type { Cluster, Redis } from 'ioredis';
import type { Keys, Platform } from '@tbe/shared';
import { defineScript, luaSource, queueScript } from '@tbe/shared/store/scripts';
export { correlationOf } from '@tbe/shared';

export interface Claim {
  /** `<entity>|<alarmType>`. */
  correlation: string;
  /** The WM ticket that will create the platform ticket. */
  owner: string;
}

/**
 * Create claims: per platform, entity and alarm type, at most one WM ticket at a time may look
 * for an open platform ticket and create one, on every replica. The holder searches only after
 * it holds the claim, so a ticket created by another holder is always found (noted into) and
 * never created twice. A claim lives for one operation run; its expiry frees it when the
 * process dies mid-run.
 */
export class CreateClaims {
  readonly #redis: Redis | Cluster;
  readonly #keys: Keys;
  readonly #platform: Platform;
  readonly #ttlMs: number;

  constructor(redis: Redis | Cluster, keys: Keys, platform: Platform, ttlMs: number) {
    this.#redis = redis;
    this.#keys = keys;
    this.#platform = platform;
    this.#ttlMs = ttlMs;
    // EVALSHA: the script text travels once per connection, not twice per new ticket.
    defineScript(redis, 'tbeClaimAcquire', luaSource('claim-acquire'));
    defineScript(redis, 'tbeClaimRelease', luaSource('claim-release'));
  }

  async acquire(claims: readonly Claim[]): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const claim of claims) {
      queueScript(
        pipeline,
        'tbeClaimAcquire',
        [this.#keys.createClaim(this.#platform, claim.correlation)],
        [claim.owner, this.#ttlMs],
      );
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return value === 1;
    });
  }

  async release(claims: readonly Claim[]): Promise<void> {
    if (claims.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const claim of claims) {
      queueScript(
        pipeline,
        'tbeClaimRelease',
        [this.#keys.createClaim(this.#platform, claim.correlation)],
        [claim.owner],
      );
    }
    await pipeline.exec();
  }
}
