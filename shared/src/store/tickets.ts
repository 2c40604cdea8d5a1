import type { Redis, Cluster } from 'ioredis';
import type { Keys } from '../keys.ts';
import type { Platform } from '../platforms.ts';
import { correlationOf, ticketSchema, type Ticket } from '../ticket.ts';
import { callScript, defineScript } from './scripts.ts';

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

// The version fence: a version is stored only when it is higher than the stored one, so a
// repeated or older change (at-least-once feed, a 410 restart from the oldest change) can
// never replace a newer one. `queued` is set by markQueued once the job exists. A ticket with
// no platform ticket yet joins the entity's pending creates at the seq it was first seen at.
// KEYS: stored ticket, platform state, pending creates. ARGV: version, seq, json, now, ticket id.
const PUT_LATEST = `
local current = redis.call('HMGET', KEYS[1], 'version', 'queued')
local version = tonumber(ARGV[1])
if current[1] and tonumber(current[1]) > version then return 0 end
if current[1] and tonumber(current[1]) == version then
  if current[2] == ARGV[1] then return 0 end
  return 2
end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'seq', ARGV[2], 'json', ARGV[3], 'storedAt', ARGV[4])
local platformId = redis.call('HGET', KEYS[2], 'platformId')
if not platformId or platformId == '' then redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[5]) end
return 1
`;

const PUT_RESULTS: Record<number, PutResult> = { 0: 'stale', 1: 'stored', 2: 'unqueued' };

type Client = Redis | Cluster;

export class TicketStore {
  readonly #redis: Client;
  readonly #keys: Keys;

  constructor(redis: Client, keys: Keys) {
    this.#redis = redis;
    this.#keys = keys;
    defineScript(redis, 'tbePutLatest', PUT_LATEST);
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

  /** The latest stored version, or undefined. Throws when the stored JSON no longer validates. */
  async getLatest(platform: Platform, ticketId: string): Promise<StoredTicket | undefined> {
    const [json, seq, storedAt] = await this.#redis.hmget(
      this.#keys.ticket(platform, ticketId),
      'json',
      'seq',
      'storedAt',
    );
    if (json === null || json === undefined) return undefined;
    return {
      ticket: ticketSchema.parse(JSON.parse(json)),
      seq: Number(seq),
      storedAtMs: Number(storedAt),
    };
  }
}
