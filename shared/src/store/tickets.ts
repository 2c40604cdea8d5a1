import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import type { Keys } from '../keys.ts';
import type { Part } from '../partitions.ts';
import { correlationOf, describeIssues, ticketSchema, type Ticket } from '../ticket.ts';
import { callScript, defineScript, luaSource, queueScript } from './scripts.ts';
import { encodeStored, readStoredAnswer, storedVersionOf, type StoredRead } from './stored-ticket.ts';
import { CorruptRecordError, decodeRecord, encodeRecord } from './ticket-record.ts';

/**
 * The latest WM version of a ticket as received for one platform. Stored as one string: a
 * fixed-width header (version, storedAt, queued flag) and the compact record
 * (./stored-ticket.ts, ./ticket-record.ts); hashes written by earlier releases are read too.
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

/** The one owner of a ticket's stored version: every read and write of `ticket:<wmId>` is here. */
export class TicketStore {
  readonly #redis: Client;
  readonly #keys: Keys;

  constructor(redis: Client, keys: Keys) {
    this.#redis = redis;
    this.#keys = keys;
    defineScript(redis, 'tbePutLatest', luaSource('put-latest'));
    defineScript(redis, 'tbeMarkQueued', luaSource('mark-queued'));
    // ioredis also defines `tbeReadTicketBuffer`, which answers Buffers (the record is binary).
    defineScript(redis, 'tbeReadTicket', luaSource('read-ticket'));
  }

  /** Stores the version unless a same or higher one is stored already. */
  async putLatest(part: Part, ticket: Ticket, seq: number, nowMs = Date.now()): Promise<PutResult> {
    const keys = [
      this.#keys.ticket(part, ticket.id),
      this.#keys.state(part, ticket.id),
      this.#keys.pendingCreates(part, correlationOf(ticket)),
    ];
    const stored = encodeStored(
      { version: ticket.version, queued: false, storedAtMs: nowMs },
      encodeRecord(ticket, seq),
    );
    const args = [String(ticket.version), String(seq), stored, ticket.id];
    const answer = (await callScript(this.#redis, 'tbePutLatest', keys, args)) as number;
    return PUT_RESULTS[answer] ?? 'stale';
  }

  /**
   * Records that a job for these versions exists, so that a repeat of the change is not queued
   * again. One script call per partition (its keys share a Cluster slot).
   */
  async markQueued(entries: readonly { part: Part; ticketId: string; version: number }[]): Promise<void> {
    const byPart = new Map<Part, { keys: string[]; versions: string[] }>();
    for (const { part, ticketId, version } of entries) {
      const batch = byPart.get(part) ?? { keys: [], versions: [] };
      batch.keys.push(this.#keys.ticket(part, ticketId));
      batch.versions.push(String(version));
      byPart.set(part, batch);
    }
    await Promise.all(
      [...byPart.values()].map(({ keys, versions }) =>
        callScript(this.#redis, 'tbeMarkQueued', keys, versions),
      ),
    );
  }

  /**
   * The latest stored version, or undefined. The producer validated it before storing it, so it
   * is decoded, not validated again; a record of the format before (`json`, written by an earlier
   * release) is parsed and validated as then. Throws CorruptRecordError when it cannot be read.
   */
  async getLatest(part: Part, ticketId: string): Promise<StoredTicket | undefined> {
    const read = readStoredAnswer(await this.#read(part, ticketId));
    return read === undefined ? undefined : decodeStored(read, ticketId);
  }

  /** The stored version's number, or undefined when none is stored or its header is unreadable. */
  async getVersion(part: Part, ticketId: string): Promise<number | undefined> {
    return storedVersionOf(await this.#read(part, ticketId));
  }

  /**
   * A `readStoredAnswer` answer in one plain command when the record is a string (the worker's
   * every job): MGET answers nil for a key of another type where GET would fail. Only then, a
   * hash of a release before or no key, read-ticket.lua reads whichever it is, atomically.
   */
  async #read(part: Part, ticketId: string): Promise<unknown> {
    const key = this.#keys.ticket(part, ticketId);
    const [value] = await this.#redis.mgetBuffer(key);
    return value ?? callScript(this.#redis, 'tbeReadTicketBuffer', [key], []);
  }

  /**
   * Queues the read of a stored version on a pipeline of this connection (the dashboard reads a
   * page of tickets in one round trip); give its answer to `readStoredAnswer`.
   */
  queueRead(pipeline: ChainableCommander, part: Part, ticketId: string): void {
    queueScript(pipeline, 'tbeReadTicketBuffer', [this.#keys.ticket(part, ticketId)], []);
  }
}

function decodeStored(read: StoredRead, ticketId: string): StoredTicket {
  if (read.format === 'record')
    return { ...decodeRecord(read.record, ticketId, read.version), storedAtMs: read.storedAtMs };
  const parsed = ticketSchema.safeParse(safeJson(read.json.toString('utf8')));
  if (!parsed.success)
    throw new CorruptRecordError(
      `stored ticket (json format) does not validate: ${describeIssues(parsed.error)}`,
    );
  return { ticket: parsed.data, seq: read.seq, storedAtMs: read.storedAtMs };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
