import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../keys.ts';
import { callScript, defineScript, luaSource } from './scripts.ts';

/** Rejected changes kept, newest first; older ones fall off the end. */
export const QUARANTINE_LIMIT = 10_000;

/** One WM change the producer rejected (operations.md, `GET /api/quarantine`). */
export interface QuarantineEntry {
  /** Opaque, increasing with every entry; what a listing cursor names. */
  id: string;
  /** The change's `seq` when it was an integer, else null. */
  seq: number | null;
  /** The change's `ticket.id` when it was a string, else null. */
  ticketId: string | null;
  /** Every invalid field by its path: "ticket.severity: expected one of critical, major, minor". */
  reason: string;
  at: string;
  /** The raw change as JSON, cut at 4 KiB. */
  change: string;
}

export type NewQuarantineEntry = Omit<QuarantineEntry, 'id' | 'at'>;

type Client = Redis | Cluster;

function quarantineKeys(keys: Keys): string[] {
  const list = keys.producer('quarantine');
  // Same hash tag as the list, so one Cluster slot and one script.
  return [list, `${list}:next-id`, `${list}:seen`];
}

/** Cursors of the quarantine listing are entry ids: decimal integers. */
export function isQuarantineCursor(text: string): boolean {
  return /^\d{1,15}$/.test(text);
}

/** The producer's side: adds rejected changes, bounded, each once. */
export class QuarantineStore {
  readonly #redis: Client;
  readonly #keys: string[];

  constructor(redis: Client, keys: Keys) {
    this.#redis = redis;
    this.#keys = quarantineKeys(keys);
    defineScript(redis, 'tbeQuarantinePush', luaSource('quarantine-push'));
    defineScript(redis, 'tbeQuarantineList', luaSource('quarantine-list'));
  }

  /** Adds the entries in one step; answers how many were new. */
  async push(entries: readonly NewQuarantineEntry[], nowMs = Date.now()): Promise<number> {
    if (entries.length === 0) return 0;
    const args: string[] = [String(QUARANTINE_LIMIT), new Date(nowMs).toISOString()];
    for (const entry of entries) {
      const digest = createHash('sha1').update(entry.change).digest('hex');
      const member = entry.seq === null ? '' : `${entry.seq}|${digest}`;
      args.push(member, String(entry.seq ?? 0), JSON.stringify(entry));
    }
    return (await callScript(this.#redis, 'tbeQuarantinePush', this.#keys, args)) as number;
  }

  /** Newest first; `next` goes back as `cursor` for the following page, null at the end. */
  async list(options: {
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ items: QuarantineEntry[]; next: string | null }> {
    const cursor = options.cursor ?? '';
    if (cursor !== '' && !isQuarantineCursor(cursor))
      throw new TypeError('quarantine cursor must be an entry id');
    const raw = (await callScript(this.#redis, 'tbeQuarantineList', this.#keys.slice(0, 2), [
      cursor,
      String(options.limit + 1),
    ])) as string[];
    const items = raw.slice(0, options.limit).map((json) => JSON.parse(json) as QuarantineEntry);
    const next = raw.length > options.limit ? (items.at(-1)?.id ?? null) : null;
    return { items, next };
  }
}
