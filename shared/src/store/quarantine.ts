import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../keys.ts';
import { callScript, defineScript } from './scripts.ts';

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

// KEYS: the list, the id counter, the set of entries already kept. ARGV: limit, now (ISO), then
// per entry a dedupe member ('' = never a repeat), its seq (the member's score) and its JSON
// without `id`/`at`.
// A change served again (at-least-once feed, a 410 restart) is kept once: same seq, same bytes.
// Ids are consecutive, one per LPUSH, so the position of id N in the list is (top id - N).
const PUSH = `
local list, counter, seen = KEYS[1], KEYS[2], KEYS[3]
local limit, at = tonumber(ARGV[1]), ARGV[2]
local pushed = 0
for i = 3, #ARGV, 3 do
  local member, score, json = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if member == '' or redis.call('ZADD', seen, 'NX', score, member) == 1 then
    local id = redis.call('INCR', counter)
    redis.call('LPUSH', list, '{"id":"' .. id .. '","at":"' .. at .. '",' .. string.sub(json, 2))
    pushed = pushed + 1
  end
end
redis.call('LTRIM', list, 0, limit - 1)
redis.call('ZREMRANGEBYRANK', seen, 0, -(limit + 1))
return pushed
`;

// KEYS: the list, the id counter. ARGV: cursor (last id seen, '' = from the newest), count.
const LIST = `
local top = tonumber(redis.call('GET', KEYS[2]) or '0')
local start = 0
if ARGV[1] ~= '' then start = top - tonumber(ARGV[1]) + 1 end
if start < 0 then start = 0 end
return redis.call('LRANGE', KEYS[1], start, start + tonumber(ARGV[2]) - 1)
`;

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
    defineScript(redis, 'tbeQuarantinePush', PUSH);
    defineScript(redis, 'tbeQuarantineList', LIST);
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
