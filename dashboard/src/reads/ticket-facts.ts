import {
  decodeRecordHead,
  parsePlatformState,
  PLATFORMS,
  type Platform,
  type PlatformState,
} from '@tbe/shared';
import type { DashboardContext } from '../context.ts';

/** What the WM ticket says of itself (its latest stored version), as the overview shows it. */
export interface WmFacts {
  entity: string;
  alarmType: string;
  severity: string;
  summary: string;
}

/** A WM ticket as the overview lists it: its state on each platform that knows it. */
export interface TicketFacts {
  ticketId: string;
  states: Partial<Record<Platform, PlatformState>>;
  wm: WmFacts | undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Only the fields listed: the rest of a stored version (32 KiB of details) stays out of the
 * answer. The compact record's head line holds them in clear (no inflate); a record of the
 * format before is the ticket's JSON.
 */
function wmFacts(record: Buffer | null | undefined, json: Buffer | null | undefined): WmFacts | undefined {
  if (record) {
    try {
      const { entity, alarmType, severity, summary } = decodeRecordHead(record);
      return { entity, alarmType, severity, summary };
    } catch {
      return undefined;
    }
  }
  if (!json) return undefined;
  try {
    const ticket = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
    const entity = text(ticket.entity);
    if (entity === undefined) return undefined;
    return {
      entity,
      alarmType: text(ticket.alarmType) ?? '',
      severity: text(ticket.severity) ?? '',
      summary: text(ticket.summary) ?? '',
    };
  } catch {
    return undefined;
  }
}

/**
 * Every platform's state hash and the stored WM version of each ticket, in one round trip.
 * Tickets no platform knows (swept since they were listed) are absent from the answer.
 */
export async function readFacts(
  ctx: DashboardContext,
  ticketIds: readonly string[],
): Promise<Map<string, TicketFacts>> {
  const found = new Map<string, TicketFacts>();
  if (ticketIds.length === 0) return found;
  const pipeline = ctx.redis.pipeline();
  for (const ticketId of ticketIds) {
    for (const platform of PLATFORMS) {
      pipeline.hgetall(ctx.keys.state(platform, ticketId));
      pipeline.hmgetBuffer(ctx.keys.ticket(platform, ticketId), 't', 'json');
    }
  }
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
  ticketIds.forEach((ticketId, t) => {
    const facts: TicketFacts = { ticketId, states: {}, wm: undefined };
    PLATFORMS.forEach((platform, p) => {
      const at = (t * PLATFORMS.length + p) * 2;
      const hash = (results[at]?.[1] ?? {}) as Record<string, string>;
      if (Object.keys(hash).length > 0) facts.states[platform] = parsePlatformState(hash);
      const [record, json] = (results[at + 1]?.[1] ?? []) as (Buffer | null)[];
      facts.wm ??= wmFacts(record, json);
    });
    if (Object.keys(facts.states).length > 0) found.set(ticketId, facts);
  });
  return found;
}

/** Whether the WM id, the entity, a platform id or an OT number contains `text` (any case). */
export function matchesText(facts: TicketFacts, text: string | undefined): boolean {
  if (text === undefined) return true;
  const needle = text.toLowerCase();
  const haystack = [
    facts.ticketId,
    facts.wm?.entity,
    ...Object.values(facts.states).flatMap((state) => [state.platformId, state.workOrder]),
  ];
  return haystack.some((value) => value?.toLowerCase().includes(needle) ?? false);
}

/** The WM fields a listing item carries (null when the stored version is gone). */
export function describe(wm: WmFacts | undefined): {
  entity: string | null;
  alarmType: string | null;
  severity: string | null;
} {
  return { entity: wm?.entity ?? null, alarmType: wm?.alarmType ?? null, severity: wm?.severity ?? null };
}
