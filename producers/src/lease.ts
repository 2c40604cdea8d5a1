import type { RedisClient } from '@tbe/shared';
import { callScript, defineScript } from '@tbe/shared/store/scripts';

// The leader lease: a string holding the replica id, with a TTL. Taking it is SET NX PX, or
// extending it when it is already ours (a replica that kept it across a Redis blip).
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

// Compare and extend: only the holder extends; a replica whose lease expired and was taken learns it here.
const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

/**
 * One replica's hold on the lease. `validUntilMs` is the local bound: Redis keeps the key at
 * least `ttlMs` after it answered a take or an extend sent at `sentAt`, so until `sentAt + ttlMs`
 * nobody else can hold it. Writes that must come from the leader are fenced in Redis anyway.
 */
export class LeaderLease {
  readonly id: string;
  readonly ttlMs: number;
  readonly #redis: RedisClient;
  readonly #key: string;
  #validUntilMs = 0;

  constructor(redis: RedisClient, key: string, id: string, ttlMs: number) {
    this.#redis = redis;
    this.#key = key;
    this.id = id;
    this.ttlMs = ttlMs;
    defineScript(redis, 'tbeLeaseAcquire', ACQUIRE);
    defineScript(redis, 'tbeLeaseExtend', EXTEND);
    defineScript(redis, 'tbeLeaseRelease', RELEASE);
  }

  /** Takes the lease when free (or keeps it when ours); answers whether we hold it now. */
  acquire(): Promise<boolean> {
    return this.#call('tbeLeaseAcquire');
  }

  /** Extends the lease when we still hold it; false means another replica has it. */
  extend(): Promise<boolean> {
    return this.#call('tbeLeaseExtend');
  }

  /** Gives the lease up at once, so a standby need not wait for the TTL. */
  async release(): Promise<void> {
    this.#validUntilMs = 0;
    await callScript(this.#redis, 'tbeLeaseRelease', [this.#key], [this.id]);
  }

  isValid(nowMs = Date.now()): boolean {
    return nowMs < this.#validUntilMs;
  }

  forget(): void {
    this.#validUntilMs = 0;
  }

  async #call(script: string): Promise<boolean> {
    const sentAtMs = Date.now();
    const held = (await callScript(this.#redis, script, [this.#key], [this.id, String(this.ttlMs)])) === 1;
    this.#validUntilMs = held ? sentAtMs + this.ttlMs : 0;
    return held;
  }
}
