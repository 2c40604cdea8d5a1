import type { Cluster, Redis } from 'ioredis';
import { correlationOf, type Part, type Ticket, type TicketRecords } from '@tbe/shared';

/**
 * "Several new WM tickets with the same entity and alarm type and no open platform ticket yet:
 * the oldest (lowest seq) is created, the others are noted into it once it exists"
 * (operations.md), on every replica. The producer enters each ticket without a platform ticket
 * in its entity's set (TicketStore.putLatest); a create run may create only for the oldest one
 * (the create gate, claims.ts), and takes its tickets out once their first operation is settled
 * (done or dead). One per partition: a correlation's tickets all live in one (docs/design.md,
 * "Partitions").
 */
export class PendingCreates {
  readonly #redis: Redis | Cluster;
  readonly #records: TicketRecords;
  readonly #part: Part;

  constructor(redis: Redis | Cluster, records: TicketRecords, part: Part) {
    this.#redis = redis;
    this.#records = records;
    this.#part = part;
  }

  /** Takes tickets whose first operation is settled out of their sets. */
  async settle(tickets: readonly Ticket[]): Promise<void> {
    if (tickets.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const ticket of tickets)
      pipeline.zrem(
        this.#records.correlationKeys(this.#part, correlationOf(ticket)).pendingCreates,
        ticket.id,
      );
    await pipeline.exec();
  }
}
