import type { Redis, Cluster } from 'ioredis';
import type { Keys } from '../keys.ts';
import type { Part } from '../partitions.ts';
import { correlationOf, describeIssues, ticketSchema, type Ticket } from '../ticket.ts';
import { callScript, defineScript, luaSource } from './scripts.ts';
import { CorruptRecordError, decodeRecord, encodeRecord } from './ticket-record.ts';

/**
 * The latest WM version of a ticket as received for one platform. Stored as the hash
 * `version`, `storedAt`, `queued` and `t` (the compact record, ./ticket-record.ts).
 */
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
  async putLatest(part: Part, ticket: Ticket, seq: number, nowMs = Date.now()): Promise<PutResult> {
    const keys = [
      this.#keys.ticket(part, ticket.id),
      this.#keys.state(part, ticket.id),
      this.#keys.pendingCreates(part, correlationOf(ticket)),
    ];
    const args = [String(ticket.version), String(seq), encodeRecord(ticket, seq), String(nowMs), ticket.id];
    const answer = (await callScript(this.#redis, 'tbePutLatest', keys, args)) as number;
    return PUT_RESULTS[answer] ?? 'stale';
  }

  /** Records that a job for these versions exists, so that a repeat of the change is not queued again. */
  async markQueued(entries: readonly { part: Part; ticketId: string; version: number }[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const { part, ticketId, version } of entries) {
      pipeline.hset(this.#keys.ticket(part, ticketId), 'queued', String(version));
    }
    await pipeline.exec();
  }

  /**
   * The latest stored version, or undefined. The producer validated it before storing it, so it
   * is decoded, not validated again; a record of the format before (`json`, written by an earlier
   * release) is parsed and validated as then. Throws CorruptRecordError when it cannot be read.
   */
  async getLatest(part: Part, ticketId: string): Promise<StoredTicket | undefined> {
    const [record, version, storedAt, json, seq] = await this.#redis.hmgetBuffer(
      this.#keys.ticket(part, ticketId),
      't',
      'version',
      'storedAt',
      'json',
      'seq',
    );
    const storedAtMs = Number(storedAt?.toString() ?? 0);
    if (record) {
      const versionNumber = Number(version?.toString());
      if (!Number.isInteger(versionNumber) || versionNumber < 1)
        throw new CorruptRecordError(`stored version ${String(version)} is not an integer >= 1`);
      return { ...decodeRecord(record, ticketId, versionNumber), storedAtMs };
    }
    if (!json) return undefined;
    const parsed = ticketSchema.safeParse(safeJson(json.toString('utf8')));
    if (!parsed.success)
      throw new CorruptRecordError(
        `stored ticket (json format) does not validate: ${describeIssues(parsed.error)}`,
      );
    return { ticket: parsed.data, seq: Number(seq?.toString()), storedAtMs };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
