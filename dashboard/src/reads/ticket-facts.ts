import {
  decodeRecordHead,
  parsePlatformState,
  readStoredAnswer,
  PLATFORMS,
  type Part,
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
function wmFacts(answer: unknown): WmFacts | undefined {
  try {
    const read = readStoredAnswer(answer);
    if (read === undefined) return undefined;
    if (read.format === 'record') {
      const { entity, alarmType, severity, summary } = decodeRecordHead(read.record);
      return { entity, alarmType, severity, summary };
    }
    const ticket = JSON.parse(read.json.toString('utf8')) as Record<string, unknown>;
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
  // Where each ticket lives on each platform (no Redis call with one partition).
  const parts = await Promise.all(PLATFORMS.map((platform) => ctx.records.partsOfMany(platform, ticketIds)));
  // With one partition, one pipeline; with several, one per partition (a Cluster pipeline must
  // stay on one master).
  const results = await readPerPart(
    ctx,
    ticketIds.flatMap((ticketId, t) => PLATFORMS.map((_, p) => ({ part: parts[p]?.[t], ticketId }))),
  );
  ticketIds.forEach((ticketId, t) => {
    const facts: TicketFacts = { ticketId, states: {}, wm: undefined };
    PLATFORMS.forEach((platform, p) => {
      const [hash, stored] = results[t * PLATFORMS.length + p] ?? [{}, null];
      if (Object.keys(hash).length > 0) facts.states[platform] = parsePlatformState(hash);
      facts.wm ??= wmFacts(stored);
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

/** A state hash and the answer of the stored version's read (`readStoredAnswer`). */
type Read = [Record<string, string>, unknown];

/** Each record's state hash and stored version, one pipeline per partition. */
async function readPerPart(
  ctx: DashboardContext,
  wanted: readonly { part: Part | undefined; ticketId: string }[],
): Promise<Read[]> {
  const answers: Read[] = wanted.map(() => [{}, null]);
  const byPart = new Map<Part, number[]>();
  wanted.forEach(({ part }, index) => {
    if (part !== undefined) byPart.set(part, [...(byPart.get(part) ?? []), index]);
  });
  await Promise.all(
    [...byPart].map(async ([part, indexes]) => {
      const pipeline = ctx.redis.pipeline();
      for (const index of indexes) {
        const ticketId = wanted[index]?.ticketId ?? '';
        pipeline.hgetall(ctx.records.keysOf(part, ticketId).state);
        ctx.tickets.queueRead(pipeline, part, ticketId);
      }
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed?.[0]) throw failed[0];
      indexes.forEach((index, i) => {
        answers[index] = [(results[i * 2]?.[1] ?? {}) as Record<string, string>, results[i * 2 + 1]?.[1]];
      });
    }),
  );
  return answers;
}
