import type { RedisClient } from '@tbe/shared';
import { callScript, defineScript, luaSource } from '@tbe/shared/store/scripts';

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
    defineScript(redis, 'tbeLeaseAcquire', luaSource('lease-acquire'));
    defineScript(redis, 'tbeLeaseExtend', luaSource('lease-extend'));
    defineScript(redis, 'tbeLeaseRelease', luaSource('lease-release'));
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
