import type { RedisClient } from '@tbe/shared';
import { z } from 'zod';
import { badRequest } from '../errors.ts';

/** One sorted set read newest first; `tag` orders ties between sets and names the set in a cursor. */
export interface SortedSource {
  key: string;
  tag: string;
}

/** A place in the merged listing: newest score first, then tag, then member, both descending. */
export interface Position {
  score: number;
  tag: string;
  member: string;
}

/** Entries read per round trip while skipping those at or before the cursor. */
const FETCH = 200;

// Bytes, as Redis orders members of equal score, so a page never depends on JS string order.
const bytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Positive when `a` comes before `b` in the listing (newer, or greater on a tie). */
export function comparePositions(a: Position, b: Position): number {
  return a.score - b.score || bytes(a.tag, b.tag) || bytes(a.member, b.member);
}

/**
 * Keyset paging over several sorted sets merged newest first: a page starts strictly after the
 * cursor's position, so removing listed entries (retried, swept) never makes the next page skip
 * any. An entry that moves while an operator pages (a ticket changing state) may show twice or
 * not at all: it is a live listing.
 */
export async function pageSortedSets(
  redis: RedisClient,
  sources: readonly SortedSource[],
  after: Position | undefined,
  limit: number,
): Promise<{ entries: Position[]; more: boolean }> {
  const perSource = await Promise.all(sources.map((source) => readAfter(redis, source, after, limit + 1)));
  const merged = perSource.flat().sort((a, b) => comparePositions(b, a));
  return { entries: merged.slice(0, limit), more: merged.length > limit };
}

async function readAfter(
  redis: RedisClient,
  source: SortedSource,
  after: Position | undefined,
  wanted: number,
) {
  const kept: Position[] = [];
  const max = after === undefined ? '+inf' : String(after.score);
  for (let offset = 0; kept.length < wanted; offset += FETCH) {
    const flat = await redis.zrevrangebyscore(source.key, max, '-inf', 'WITHSCORES', 'LIMIT', offset, FETCH);
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const position = { score: Number(flat[i + 1]), tag: source.tag, member: flat[i] ?? '' };
      if (after === undefined || comparePositions(position, after) < 0) kept.push(position);
    }
    if (flat.length < FETCH * 2) break;
  }
  return kept.slice(0, wanted);
}

const positionSchema = z.tuple([z.number(), z.string(), z.string()]);

/** Cursors are opaque to clients: base64url of the last listed position. */
export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.score, position.tag, position.member])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [score, tag, member] = positionSchema.parse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    return { score, tag, member };
  } catch {
    throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor from a previous page' }]);
  }
}
