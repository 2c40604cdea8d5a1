import type { Cluster, Redis } from 'ioredis';
import type { Part, TicketRecords } from '@tbe/shared';
import { defineScript, luaSource, queueScript } from '@tbe/shared/store/scripts';
export { correlationOf } from '@tbe/shared';

export interface Claim {
  /** `<entity>|<alarmType>`. */
  correlation: string;
  /** The WM ticket that will create the platform ticket (the group's oldest). */
  owner: string;
  /** Every ticket of the batch in this group. */
  members: readonly string[];
}

/**
 * What the gate lets a group do: `wait` (another run holds the entity's claim), `create` (search,
 * then create or note; `claimed` when a claim was taken, to release after), `note` (an older
 * ticket elsewhere waits to be created: note into a found ticket, never create).
 */
export type Gate = { kind: 'wait' } | { kind: 'create'; claimed: boolean } | { kind: 'note' };

const CLAIMED: Gate = { kind: 'create', claimed: true };
const GATES: Record<number, Gate> = {
  0: { kind: 'wait' },
  1: { kind: 'create', claimed: false },
  2: CLAIMED,
  3: { kind: 'note' },
};

/**
 * Create gates: per platform, entity and alarm type, at most one WM ticket at a time may look
 * for an open platform ticket and create one, on every replica. The pending creates (the
 * producer's set of the entity's tickets without a platform ticket) already name the one that
 * may: the oldest. A claim is taken only where that set cannot decide (none of the group is in
 * it: a retry from the dead letters), and is then checked by everyone: one script call per
 * group (create-gate.lua). The holder searches only after the gate, so a ticket created by
 * another holder is always found (noted into) and never created twice. A claim lives for one
 * operation run; its expiry frees it when the process dies mid-run.
 */
export class CreateClaims {
  readonly #redis: Redis | Cluster;
  readonly #records: TicketRecords;
  readonly #part: Part;
  readonly #ttlMs: number;

  constructor(redis: Redis | Cluster, records: TicketRecords, part: Part, ttlMs: number) {
    this.#redis = redis;
    this.#records = records;
    this.#part = part;
    this.#ttlMs = ttlMs;
    // EVALSHA: the script text travels once per connection, not with every batch.
    defineScript(redis, 'tbeCreateGate', luaSource('create-gate'));
    defineScript(redis, 'tbeClaimRelease', luaSource('claim-release'));
  }

  /** One gate per group, in one pipeline. */
  async gate(claims: readonly Claim[]): Promise<Gate[]> {
    if (claims.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    const statePrefix = this.#records.keysOf(this.#part, '').state;
    for (const claim of claims) {
      queueScript(
        pipeline,
        'tbeCreateGate',
        [
          this.#records.correlationKeys(this.#part, claim.correlation).pendingCreates,
          this.#records.correlationKeys(this.#part, claim.correlation).createClaim,
        ],
        [statePrefix, claim.owner, this.#ttlMs, ...claim.members],
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const failure = results.find(([error]) => error)?.[0];
    if (failure) {
      // One group's gate failed: free the claims the others took before failing the batch, so
      // their entities are not held for the claims' lifetime (the release only frees our own).
      await this.release(claims.filter((_, index) => GATES[results[index]?.[1] as number] === CLAIMED));
      throw failure;
    }
    return results.map(([, value]) => GATES[value as number] ?? { kind: 'wait' });
  }

  async release(claims: readonly Claim[]): Promise<void> {
    if (claims.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const claim of claims) {
      queueScript(
        pipeline,
        'tbeClaimRelease',
        [this.#records.correlationKeys(this.#part, claim.correlation).createClaim],
        [claim.owner],
      );
    }
    await pipeline.exec();
  }
}
