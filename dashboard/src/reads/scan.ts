import type { RedisClient } from '@tbe/shared';
import { pageSortedSets, type Position, type SortedSource } from './paging.ts';

/** Index entries read per round while a filter drops some. */
const CHUNK = 100;
/**
 * Index entries one request examines at most. A filter that matches little (a text nobody has)
 * answers a short page, or an empty one, with `next` set, rather than reading every ticket: each
 * answer stays quick however many tickets Redis holds, and paging on continues the search.
 */
export const MAX_EXAMINED = 2000;

/**
 * Keyset paging with a filter: walks the merged sorted sets newest first from `after`, asks
 * `keep` about each round's entries (answering a row, or undefined to drop the entry), and stops
 * at `limit` rows or `MAX_EXAMINED` entries. `next` is the position of the last entry looked at,
 * so the next page starts right after it and a page never skips or repeats an entry.
 */
export async function scanSortedSets<T>(
  redis: RedisClient,
  sources: readonly SortedSource[],
  after: Position | undefined,
  limit: number,
  keep: (entries: Position[]) => Promise<(T | undefined)[]>,
): Promise<{ rows: T[]; next: Position | undefined }> {
  const rows: T[] = [];
  let position = after;
  let examined = 0;
  for (;;) {
    const { entries, more } = await pageSortedSets(redis, sources, position, CHUNK);
    const kept = await keep(entries);
    for (const [i, entry] of entries.entries()) {
      examined += 1;
      position = entry;
      const row = kept[i];
      if (row !== undefined) rows.push(row);
      if (rows.length === limit) {
        // Full: more follow if this chunk or the sets hold more.
        return { rows, next: i < entries.length - 1 || more ? entry : undefined };
      }
    }
    if (!more) return { rows, next: undefined };
    if (examined >= MAX_EXAMINED) return { rows, next: position };
  }
}
