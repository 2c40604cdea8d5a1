import {
  PLATFORMS,
  TICKET_STATES,
  type ErrorInfo,
  type Operation,
  type Platform,
  type PlatformState,
  type TicketState,
} from '@tbe/shared';
import type { DashboardContext } from '../context.ts';
import { comparePositions, decodeCursor, encodeCursor, type Position } from './paging.ts';
import { scanSortedSets } from './scan.ts';
import { describe, matchesText, readFacts, type TicketFacts } from './ticket-facts.ts';
import { overviewSources, type TicketQuery } from './tickets.ts';

/** One platform's part of a row. */
export interface RowOnPlatform {
  state: TicketState | null;
  platformId: string | null;
  workOrder: string | null;
  version: number | null;
  attempts: Partial<Record<Operation, number>>;
  lastError: ErrorInfo | null;
  updatedAt: string | null;
}

/** One WM ticket with its state on every platform that knows it (`GET /api/tickets?group=ticket`). */
export interface TicketRow {
  ticketId: string;
  entity: string | null;
  alarmType: string | null;
  severity: string | null;
  summary: string | null;
  /** The row's place in the listing: the newest change among the platforms and states selected. */
  updatedAt: string;
  platforms: Partial<Record<Platform, RowOnPlatform>>;
}

/**
 * Where a ticket's row stands: the newest of its (platform, state) index entries the filter
 * selects, read from the state hashes (the transition writes the hash and the index together).
 */
function rowPosition(facts: TicketFacts, query: TicketQuery): Position | undefined {
  let best: Position | undefined;
  for (const platform of query.platform ? [query.platform] : PLATFORMS) {
    const state = facts.states[platform];
    if (state?.state === undefined || state.updatedAtMs === undefined) continue;
    if (query.state !== undefined && state.state !== query.state) continue;
    const position = { score: state.updatedAtMs, tag: `${platform}/${state.state}`, member: facts.ticketId };
    if (!best || comparePositions(position, best) > 0) best = position;
  }
  return best;
}

const onPlatform = (state: PlatformState): RowOnPlatform => ({
  state: state.state ?? null,
  platformId: state.platformId ?? null,
  workOrder: state.workOrder ?? null,
  version: state.version > 0 ? state.version : null,
  attempts: state.attempts,
  lastError: state.lastError,
  updatedAt: state.updatedAtMs === undefined ? null : new Date(state.updatedAtMs).toISOString(),
});

/**
 * The overview with one row per WM ticket, newest change first. A ticket sits in one state index
 * per platform; it is listed once, at its newest selected entry, and its other entries are
 * passed over, so keyset paging stays exact: no row twice, none skipped. The order is total
 * (time, then platform/state, then id), so a refresh shows the same rows in the same order unless
 * a ticket changed, and a changed ticket moves to the top (it is the newest).
 */
export async function listTicketRows(
  ctx: DashboardContext,
  query: TicketQuery,
): Promise<{ items: TicketRow[]; next: string | null }> {
  const { rows, next } = await scanSortedSets(
    ctx.redis,
    overviewSources(ctx, query),
    decodeCursor(query.cursor),
    query.limit,
    async (entries) => {
      const facts = await readFacts(ctx, [...new Set(entries.map((entry) => entry.member))]);
      return entries.map((entry): TicketRow | undefined => {
        const known = facts.get(entry.member);
        if (!known || !matchesText(known, query.text)) return undefined;
        const position = rowPosition(known, query);
        // Listed at its newest entry; an entry the hash no longer names has moved (to the top).
        if (!position || comparePositions(position, entry) !== 0) return undefined;
        const platforms: TicketRow['platforms'] = {};
        for (const platform of PLATFORMS) {
          const state = known.states[platform];
          if (state) platforms[platform] = onPlatform(state);
        }
        return {
          ticketId: known.ticketId,
          ...describe(known.wm),
          summary: known.wm?.summary ?? null,
          updatedAt: new Date(entry.score).toISOString(),
          platforms,
        };
      });
    },
  );
  return { items: rows, next: next ? encodeCursor(next) : null };
}

/** How many tickets each platform holds in each state (the counts above the table). */
export async function countStates(
  ctx: DashboardContext,
): Promise<Record<Platform, Record<TicketState, number>>> {
  // Per partition, added up per platform (concurrent commands: a Cluster spreads the partitions).
  const counts = {} as Record<Platform, Record<TicketState, number>>;
  await Promise.all(
    PLATFORMS.map(async (platform) => {
      const perPart = await Promise.all(
        ctx.records
          .parts(platform)
          .map((part) => Promise.all(ctx.records.indexKeys(part).map((key) => ctx.redis.zcard(key)))),
      );
      counts[platform] = Object.fromEntries(
        TICKET_STATES.map((state, s) => [state, perPart.reduce((sum, each) => sum + (each[s] ?? 0), 0)]),
      ) as Record<TicketState, number>;
    }),
  );
  return counts;
}
