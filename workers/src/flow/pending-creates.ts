import type { Cluster, Redis } from 'ioredis';
import { correlationOf, type Keys, type Platform, type Ticket } from '@tbe/shared';

/**
 * "Several new WM tickets with the same entity and alarm type and no open platform ticket yet:
 * the oldest (lowest seq) is created, the others are noted into it once it exists"
 * (operations.md), on every replica. The producer enters each ticket without a platform ticket
 * in its entity's set (TicketStore.putLatest); a create run may create only for the oldest one
 * (the create gate, claims.ts), and takes its tickets out once their first operation is settled
 * (done or dead).
 */
export class PendingCreates {
  readonly #redis: Redis | Cluster;
  readonly #keys: Keys;
  readonly #platform: Platform;

  constructor(redis: Redis | Cluster, keys: Keys, platform: Platform) {
    this.#redis = redis;
    this.#keys = keys;
    this.#platform = platform;
  }

  /** Takes tickets whose first operation is settled out of their sets. */
  async settle(tickets: readonly Ticket[]): Promise<void> {
    if (tickets.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const ticket of tickets)
      pipeline.zrem(this.#keys.pendingCreates(this.#platform, correlationOf(ticket)), ticket.id);
    await pipeline.exec();
  }
}
