import type { Cluster, Redis } from 'ioredis';
import type { Keys, Platform } from '@tbe/shared';
export { correlationOf } from '@tbe/shared';

// Take the claim when free or already ours (a repeat after a crash); refresh its expiry.
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

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
  }

  async acquire(claims: readonly Claim[]): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const claim of claims) {
      pipeline.eval(
        ACQUIRE,
        1,
        this.#keys.createClaim(this.#platform, claim.correlation),
        claim.owner,
        this.#ttlMs,
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
      pipeline.eval(RELEASE, 1, this.#keys.createClaim(this.#platform, claim.correlation), claim.owner);
    }
    await pipeline.exec();
  }
}
