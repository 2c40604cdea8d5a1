import {
  HISTORY_LIMIT,
  EMPTY_STATE,
  heldReceivedEvents,
  parsePlatformState,
  PLATFORMS,
  TICKET_STATES,
  type ErrorInfo,
  type HistoryEvent,
  type Operation,
  type Platform,
  type TicketState,
} from '@tbe/shared';
import type { DashboardContext } from '../context.ts';
import { decodeCursor, encodeCursor, type SortedSource } from './paging.ts';
import { describe, matchesText, readFacts } from './ticket-facts.ts';
import { scanSortedSets } from './scan.ts';

export interface TicketOnPlatform {
  state: TicketState | null;
  platformId: string | null;
  workOrder: string | null;
  /** The last WM version applied on the platform; null before the first. */
  version: number | null;
  /** The latest WM version received for the platform (added to the contract's fields). */
  receivedVersion: number | null;
  attempts: Partial<Record<Operation, number>>;
  lastError: ErrorInfo | null;
  updatedAt: string | null;
  /** Newest first, at most HISTORY_LIMIT. */
  history: HistoryEvent[];
}

export interface TicketListItem {
  ticketId: string;
  platform: Platform;
  state: TicketState;
  platformId: string | null;
  workOrder: string | null;
  version: number | null;
  /**
   * Added to the contract's fields: the operation that ended in the dead letters and the WM
   * version it was on (newer than `version` when an update died); null unless in `error`.
   */
  deadOperation: Operation | null;
  deadVersion: number | null;
  lastError: ErrorInfo | null;
  updatedAt: string;
  /** Added to the contract's fields: the WM ticket's, null when its stored version is gone. */
  entity: string | null;
  alarmType: string | null;
  severity: string | null;
}

/** A ticket on every platform that knows it; undefined when none does. */
export async function readTicket(
  ctx: DashboardContext,
  ticketId: string,
): Promise<{ ticketId: string; platforms: Partial<Record<Platform, TicketOnPlatform>> } | undefined> {
  // Each platform's record in the ticket's partition there; concurrent commands, not one
  // pipeline: on a Cluster the partitions may live on different masters.
  type Read = [Record<string, string>, string[], number | undefined];
  const nothing: Read = [{}, [], undefined];
  const results = await Promise.all(
    PLATFORMS.map(async (platform): Promise<Read> => {
      const part = await ctx.records.partOf(platform, ticketId);
      if (part === undefined) return nothing;
      const keys = ctx.records.keysOf(part, ticketId);
      return Promise.all([
        ctx.redis.hgetall(keys.state),
        ctx.redis.lrange(keys.history, 0, HISTORY_LIMIT - 1),
        ctx.tickets.getVersion(part, ticketId),
      ]);
    }),
  );
  const platforms: Partial<Record<Platform, TicketOnPlatform>> = {};
  PLATFORMS.forEach((platform, i) => {
    const [hash, history, received] = results[i] ?? nothing;
    if (Object.keys(hash).length === 0 && received === undefined) return;
    const state = parsePlatformState(hash);
    platforms[platform] = {
      state: state.state ?? null,
      platformId: state.platformId ?? null,
      workOrder: state.workOrder ?? null,
      version: state.version > 0 ? state.version : null,
      receivedVersion: received ?? null,
      attempts: state.attempts,
      lastError: state.lastError,
      updatedAt: state.updatedAtMs === undefined ? null : new Date(state.updatedAtMs).toISOString(),
      history: [
        ...heldReceivedEvents(hash.received),
        ...history.map((json) => JSON.parse(json) as HistoryEvent),
      ].slice(0, HISTORY_LIMIT),
    };
  });
  return Object.keys(platforms).length > 0 ? { ticketId, platforms } : undefined;
}

export interface TicketQuery {
  platform?: Platform | undefined;
  state?: TicketState | undefined;
  /** Case-insensitive part of the WM id, the entity, a platform id or an OT number. */
  text?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * The overview from the state indexes (scored by last change), newest first, across the filter:
 * one item per ticket and platform. With `text`, a page may hold fewer items than `limit` (see
 * `scanSortedSets`); `next` says whether to go on.
 */
export async function listTickets(
  ctx: DashboardContext,
  query: TicketQuery,
): Promise<{ items: TicketListItem[]; next: string | null }> {
  const { rows, next } = await scanSortedSets(
    ctx.redis,
    overviewSources(ctx, query),
    decodeCursor(query.cursor),
    query.limit,
    async (entries) => {
      const facts = await readFacts(ctx, [...new Set(entries.map((entry) => entry.member))]);
      return entries.map((entry) => {
        const [platform, state] = entry.tag.split('/') as [Platform, TicketState];
        const known = facts.get(entry.member) ?? { ticketId: entry.member, states: {}, wm: undefined };
        if (!matchesText(known, query.text)) return undefined;
        const parsed = known.states[platform] ?? EMPTY_STATE;
        return {
          ticketId: entry.member,
          platform,
          // The index names the state; the hash may be a step ahead if the ticket moved meanwhile.
          state: parsed.state ?? state,
          platformId: parsed.platformId ?? null,
          workOrder: parsed.workOrder ?? null,
          version: parsed.version > 0 ? parsed.version : null,
          deadOperation: parsed.deadOperation ?? null,
          deadVersion:
            parsed.deadOperation !== undefined && parsed.deadVersion > 0 ? parsed.deadVersion : null,
          lastError: parsed.lastError,
          updatedAt: new Date(entry.score).toISOString(),
          ...describe(known.wm),
        };
      });
    },
  );
  return { items: rows, next: next ? encodeCursor(next) : null };
}

/** Every (platform, state) index the filter selects. */
export function overviewSources(
  ctx: DashboardContext,
  query: { platform?: Platform | undefined; state?: TicketState | undefined },
): SortedSource[] {
  const platforms = query.platform ? [query.platform] : [...PLATFORMS];
  const states = query.state ? [query.state] : [...TICKET_STATES];
  // A platform's partitions each index their own tickets; the tag names the platform first.
  return platforms.flatMap((platform) =>
    ctx.records.parts(platform).flatMap((part) =>
      states.map((state) => ({
        key: ctx.records.indexKey(part, state),
        tag: part === platform ? `${platform}/${state}` : `${platform}/${state}/${part}`,
      })),
    ),
  );
}
