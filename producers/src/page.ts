import {
  changeSchema,
  describeIssues,
  pageSchema,
  type Change,
  type Platform,
  type Ticket,
} from '@tbe/shared';
import type { NewQuarantineEntry } from '@tbe/shared/store/quarantine';

/** A quarantined change keeps at most this much of its raw JSON (operations.md). */
export const QUARANTINED_CHANGE_MAX_BYTES = 4 * 1024;

export interface ValidPage {
  ok: true;
  /** Every element of `changes`, valid or not. */
  received: number;
  changes: Change[];
  quarantined: NewQuarantineEntry[];
  /** Absent only on an empty page of an empty feed: keep the old cursor then. */
  cursor: string | undefined;
  hasMore: boolean;
}

export type ParsedPage = ValidPage | { ok: false; reason: string };

/**
 * Validates a page (wm-feed.md): a bad envelope fails the whole poll (nothing is skipped); a bad
 * change is set aside for the quarantine and the others go on.
 */
export function parsePage(body: unknown): ParsedPage {
  const envelope = pageSchema.safeParse(body);
  if (!envelope.success) return { ok: false, reason: describeIssues(envelope.error) };
  const { changes: raw, hasMore } = envelope.data;
  // An empty cursor cannot be passed back as `after`: count it as none.
  const cursor = envelope.data.cursor === '' ? undefined : envelope.data.cursor;
  // Changes without a cursor could never be moved past: we would serve them to ourselves forever.
  if (raw.length > 0 && cursor === undefined) {
    return { ok: false, reason: 'cursor: expected a non-empty string on a page with changes' };
  }
  const changes: Change[] = [];
  const quarantined: NewQuarantineEntry[] = [];
  for (const item of raw) {
    const parsed = changeSchema.safeParse(item);
    if (parsed.success) changes.push(parsed.data);
    else quarantined.push(quarantineEntry(item, describeIssues(parsed.error)));
  }
  return { ok: true, received: raw.length, changes, quarantined, cursor, hasMore };
}

function quarantineEntry(item: unknown, reason: string): NewQuarantineEntry {
  const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
  const ticket =
    typeof record.ticket === 'object' && record.ticket !== null
      ? (record.ticket as Record<string, unknown>)
      : {};
  return {
    seq: Number.isSafeInteger(record.seq) ? (record.seq as number) : null,
    ticketId: typeof ticket.id === 'string' ? ticket.id.slice(0, 200) : null,
    reason,
    change: cutUtf8(JSON.stringify(item) ?? String(item), QUARANTINED_CHANGE_MAX_BYTES),
  };
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never splitting a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls on a character boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

export interface PlannedTicket {
  ticket: Ticket;
  seq: number;
}

/**
 * Per platform, the newest version of each ticket in the page. Older versions in the same page
 * would only be fenced off one by one; the worker reads the latest anyway.
 */
export function planByPlatform(changes: readonly Change[]): Map<Platform, PlannedTicket[]> {
  const byPlatform = new Map<Platform, Map<string, PlannedTicket>>();
  for (const change of changes) {
    for (const platform of change.platforms) {
      let tickets = byPlatform.get(platform);
      if (!tickets) byPlatform.set(platform, (tickets = new Map<string, PlannedTicket>()));
      const current = tickets.get(change.ticket.id);
      if (!current || change.ticket.version > current.ticket.version) {
        tickets.set(change.ticket.id, { ticket: change.ticket, seq: change.seq });
      }
    }
  }
  return new Map([...byPlatform].map(([platform, tickets]) => [platform, [...tickets.values()]]));
}
