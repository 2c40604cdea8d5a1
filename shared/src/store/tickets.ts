import type { Redis, Cluster } from 'ioredis';
import type { Keys } from '../keys.ts';
import type { Platform } from '../platforms.ts';
import { correlationOf, ticketSchema, type Ticket } from '../ticket.ts';
import { callScript, defineScript, luaSource } from './scripts.ts';

/** The latest WM version of a ticket as received for one platform. */
export interface StoredTicket {
  ticket: Ticket;
  seq: number;
  /** When the producer stored this version (ms epoch): the start of feed-to-delivered latency. */
  storedAtMs: number;
}

/**
 * `stored`: a new latest version, queue it; `unqueued`: the same version again, stored earlier
 * but never confirmed queued (the producer died between the two), queue it; `stale`: nothing new.
 */
export type PutResult = 'stored' | 'unqueued' | 'stale';

const PUT_RESULTS: Record<number, PutResult> = { 0: 'stale', 1: 'stored', 2: 'unqueued' };

type Client = Redis | Cluster;

export class TicketStore {
  readonly #redis: Client;
  readonly #keys: Keys;

  constructor(redis: Client, keys: Keys) {
    this.#redis = redis;
    this.#keys = keys;
    defineScript(redis, 'tbePutLatest', luaSource('put-latest'));
  }

  /** Stores the version unless a same or higher one is stored already. */
  async putLatest(platform: Platform, ticket: Ticket, seq: number, nowMs = Date.now()): Promise<PutResult> {
    const keys = [
      this.#keys.ticket(platform, ticket.id),
      this.#keys.state(platform, ticket.id),
      this.#keys.pendingCreates(platform, correlationOf(ticket)),
    ];
    const args = [String(ticket.version), String(seq), JSON.stringify(ticket), String(nowMs), ticket.id];
    const answer = (await callScript(this.#redis, 'tbePutLatest', keys, args)) as number;
    return PUT_RESULTS[answer] ?? 'stale';
  }

  /** Records that a job for these versions exists, so that a repeat of the change is not queued again. */
  async markQueued(
    entries: readonly { platform: Platform; ticketId: string; version: number }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const { platform, ticketId, version } of entries) {
      pipeline.hset(this.#keys.ticket(platform, ticketId), 'queued', String(version));
    }
    await pipeline.exec();
  }

  /**
   * The latest stored version, or undefined. Throws when the stored JSON no longer validates.
   * The worker passes a trusting `parse` (the producer validated and fenced what it stored).
   */
  async getLatest(
    platform: Platform,
    ticketId: string,
    parse: (value: unknown) => Ticket = (value) => ticketSchema.parse(value),
  ): Promise<StoredTicket | undefined> {
    const [json, seq, storedAt] = await this.#redis.hmget(
      this.#keys.ticket(platform, ticketId),
      'json',
      'seq',
      'storedAt',
    );
    if (json === null || json === undefined) return undefined;
    return {
      ticket: parse(JSON.parse(json)),
      seq: Number(seq),
      storedAtMs: Number(storedAt),
    };
  }
}
