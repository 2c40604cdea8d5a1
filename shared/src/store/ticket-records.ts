import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../keys.ts';
import { partName, partitionOf, partsOf, platformOfPart, type Part } from '../partitions.ts';
import type { Platform } from '../platforms.ts';
import { correlationOf, type Ticket } from '../ticket.ts';
import { TICKET_STATES } from './overview.ts';
import { callScript, defineScript, luaSource } from './scripts.ts';

type Client = Redis | Cluster;

/** The keys of one ticket's record in its partition. */
export interface TicketRecordKeys {
  /** String: the latest WM version received; read and written only through TicketStore (./tickets.ts). */
  ticket: string;
  /** Hash: what Ticketing BE knows of the ticket on the platform. */
  state: string;
  /** List: the ticket's last events, newest first. */
  history: string;
}

/**
 * The per-ticket record and where it lives (issue 8, item 3; docs/design.md, "Keys in Redis"):
 * every key of a ticket is built here, from the ticket's partition. With QUEUE_PARTITIONS=1 the
 * partition is the platform and no route is kept (no Redis call at all); with N > 1 a ticket's
 * partition is decided by its first version seen (`route`) and kept in the platform's routes
 * hash, which later versions and the admin API read.
 */
export class TicketRecords {
  readonly #redis: Client;
  readonly #keys: Keys;
  readonly count: number;

  constructor(redis: Client, keys: Keys, count: number) {
    this.#redis = redis;
    this.#keys = keys;
    this.count = count;
    defineScript(redis, 'tbeRoute', luaSource('route'));
  }

  /** Every partition of the platform. */
  parts(platform: Platform): Part[] {
    return partsOf(platform, this.count);
  }

  keysOf(part: Part, ticketId: string): TicketRecordKeys {
    return {
      ticket: this.#keys.ticket(part, ticketId),
      state: this.#keys.state(part, ticketId),
      history: this.#keys.history(part, ticketId),
    };
  }

  /** The partition's overview index of each state, in TICKET_STATES order. */
  indexKeys(part: Part): string[] {
    return TICKET_STATES.map((state) => this.#keys.stateIndex(part, state));
  }

  indexKey(part: Part, state: string): string {
    return this.#keys.stateIndex(part, state);
  }

  /** The keys of a correlation (`<entity>|<alarmType>`) in the partition of a ticket of it. */
  correlationKeys(part: Part, correlation: string) {
    return {
      openTickets: this.#keys.openTickets(part),
      createClaim: this.#keys.createClaim(part, correlation),
      pendingCreates: this.#keys.pendingCreates(part, correlation),
    };
  }

  /**
   * The partitions of a page's tickets of one platform: a ticket seen before keeps its own, a
   * new one goes by its (first) version's entity and alarm type. One script call per page.
   */
  async route(platform: Platform, tickets: readonly Ticket[]): Promise<Part[]> {
    if (this.count === 1 || tickets.length === 0) return tickets.map(() => platform);
    const args = tickets.flatMap((ticket) => [
      ticket.id,
      String(partitionOf(correlationOf(ticket), this.count)),
    ]);
    const answer = (await callScript(
      this.#redis,
      'tbeRoute',
      [this.#keys.routes(platform)],
      args,
    )) as string[];
    return answer.map((index) => partName(platform, Number(index), this.count));
  }

  /** The partition of a ticket seen before, or undefined when it is unknown. */
  async partOf(platform: Platform, ticketId: string): Promise<Part | undefined> {
    if (this.count === 1) return platform;
    const index = await this.#redis.hget(this.#keys.routes(platform), ticketId);
    return index === null ? undefined : partName(platform, Number(index), this.count);
  }

  /** The partitions of tickets seen before (undefined where unknown), in one call. */
  async partsOfMany(platform: Platform, ticketIds: readonly string[]): Promise<(Part | undefined)[]> {
    if (this.count === 1) return ticketIds.map(() => platform);
    if (ticketIds.length === 0) return [];
    const indexes = await this.#redis.hmget(this.#keys.routes(platform), ...ticketIds);
    return indexes.map((index) =>
      index === null ? undefined : partName(platform, Number(index), this.count),
    );
  }

  /** Forgets a deleted ticket's route (the retention sweep deleted its record). */
  async forget(part: Part, ticketIds: readonly string[]): Promise<void> {
    if (this.count === 1 || ticketIds.length === 0) return;
    await this.#redis.hdel(this.#keys.routes(platformOfPart(part)), ...ticketIds);
  }
}
