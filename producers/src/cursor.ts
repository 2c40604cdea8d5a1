import { createHash } from 'node:crypto';
import { PLATFORMS, partsOf, type Keys, type Logger, type Part, type RedisClient } from '@tbe/shared';
import { callScript, defineScript, luaSource } from '@tbe/shared/store/scripts';

/**
 * Every tag a page may write to, each holding a cursor copy: every partition of every platform,
 * and with QUEUE_PARTITIONS > 1 the platform's own tag too (its routes hash is written per page).
 */
export function cursorCopyParts(count: number): Part[] {
  return PLATFORMS.flatMap((platform) => [...partsOf(platform, count), ...(count > 1 ? [platform] : [])]);
}

export interface CursorCopies {
  /** Where the copies go (`cursorCopyParts`); empty: no copies (one master holds everything). */
  parts: readonly Part[];
  logger: Logger;
}

interface Entry {
  page: number;
  /** '' = start from the oldest retained change. */
  cursor: string;
  where: string;
}

/**
 * The producer's position in the WM feed. The lease, the cursor, its page number and the status
 * share the `{producer}` hash tag. On a Redis Cluster the cursor is also copied, after each page,
 * into every partition's shard (docs/design.md, "Cursor copies"): the cursor read is the one of
 * lowest page number among the main cursor and the copies, so a shard that failed over to a
 * replica that missed a page's writes (and so the copy written after them) makes the producer
 * replay from before them.
 */
export class CursorStore {
  readonly #redis: RedisClient;
  readonly #keys: string[];
  readonly #marker: string;
  readonly #replicaId: string;
  readonly #copyKeys: string[];
  readonly #signature: string;
  readonly #logger: Logger | undefined;
  /** The highest page number seen on the main cursor or any copy at the last read. */
  #highest = 0;
  /** Whether the marker names this set of copies (then every copy has been written once). */
  #marked = false;

  constructor(redis: RedisClient, keys: Keys, replicaId: string, copies?: CursorCopies) {
    this.#redis = redis;
    this.#keys = [
      keys.producer('lease'),
      keys.producer('cursor'),
      keys.producer('status'),
      keys.producer('cursor-page'),
    ];
    this.#marker = keys.producer('cursor-copies');
    this.#replicaId = replicaId;
    this.#copyKeys = (copies?.parts ?? []).map((part) => keys.cursorCopy(part));
    this.#signature = createHash('sha1').update(this.#copyKeys.join('\n')).digest('hex').slice(0, 16);
    this.#logger = copies?.logger;
    defineScript(redis, 'tbeCursorWrite', luaSource('cursor-write'));
    defineScript(redis, 'tbeCursorCopy', luaSource('cursor-copy'));
  }

  /** undefined: no cursor yet (or a shard lost everything), start from the oldest retained change. */
  async read(): Promise<string | undefined> {
    if (this.#copyKeys.length === 0) return (await this.#redis.get(this.#keys[1] ?? '')) ?? undefined;
    // One round trip: the `{producer}` keys in one MGET, the copies in parallel (one per shard).
    const [[cursor, pageText, marker], copies] = await Promise.all([
      this.#redis.mget(this.#keys[1] ?? '', this.#keys[3] ?? '', this.#marker),
      Promise.all(this.#copyKeys.map((key) => this.#redis.get(key))),
    ]);
    const main: Entry = { page: Number(pageText ?? 0), cursor: cursor ?? '', where: 'main' };
    const entries = copies.map((value, index) => parseCopy(value, this.#copyKeys[index] ?? ''));
    this.#highest = Math.max(main.page, ...entries.map((entry) => entry?.page ?? 0));
    this.#marked = marker === this.#signature;
    // Copies are trusted only once every one of this set was written (the marker): before, after
    // an upgrade or a new QUEUE_PARTITIONS, the main cursor alone, as a release without copies.
    if (pageText === null || !this.#marked) return main.cursor || undefined;
    const missing = entries.flatMap((entry, index) => (entry ? [] : [this.#copyKeys[index]]));
    if (missing.length > 0) {
      // Written once and gone: that shard lost everything it held (a replica that never synced,
      // a FLUSHALL). What it lost may be anywhere in the feed: replay all WM still retains.
      this.#logger?.error(
        { missing, cursor: main.cursor },
        'cursor copies missing: a shard lost its data; restarting from the oldest retained change',
      );
      return undefined;
    }
    let lowest = main;
    for (const entry of entries) if (entry && entry.page < lowest.page) lowest = entry;
    if (lowest !== main)
      this.#logger?.warn(
        {
          copy: lowest.where,
          page: lowest.page,
          mainPage: main.page,
          from: lowest.cursor,
          cursor: main.cursor,
        },
        'a cursor copy is behind the cursor (a shard lost writes, or copies were cut short): replaying from it',
      );
    return lowest.cursor || undefined;
  }

  /** Writes the cursor while this replica holds the lease; false when it does not (nothing written). */
  async write(cursor: string): Promise<boolean> {
    return this.#write(cursor);
  }

  /** Forgets the cursor (fenced the same way): the next poll starts from the oldest change. */
  async forget(): Promise<boolean> {
    return this.#write('');
  }

  async #write(cursor: string): Promise<boolean> {
    const page = Number(
      await callScript(this.#redis, 'tbeCursorWrite', this.#keys, [
        this.#replicaId,
        cursor,
        this.#highest + 1,
      ]),
    );
    if (page === 0) return false;
    this.#highest = Math.max(this.#highest, page);
    if (this.#copyKeys.length === 0) return true;
    // Only after the fenced write succeeded, so a replica without the lease writes no copy; each
    // copy after the page's writes on its shard (they were all answered before this).
    await Promise.all(
      this.#copyKeys.map((key) => callScript(this.#redis, 'tbeCursorCopy', [key], [page, cursor])),
    );
    if (!this.#marked) {
      await this.#redis.set(this.#marker, this.#signature);
      this.#marked = true;
    }
    return true;
  }
}

function parseCopy(value: string | null, where: string): Entry | undefined {
  if (value === null) return undefined;
  const colon = value.indexOf(':');
  const page = Number(value.slice(0, colon));
  // Unreadable: as a copy of page 0, the lowest there is (replaying is always safe).
  if (colon === -1 || !Number.isSafeInteger(page)) return { page: 0, cursor: '', where };
  return { page, cursor: value.slice(colon + 1), where };
}
