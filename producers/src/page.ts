import {
  changeSchema,
  describeIssues,
  pageSchema,
  type Change,
  type Platform,
  type Ticket,
} from '@tbe/shared';
import type { NewQuarantineEntry } from '@tbe/shared/store/quarantine';
import { boundedJson } from '@tbe/shared/text';

export { cutUtf8 } from '@tbe/shared/text';

/** A quarantined change keeps at most this much of its raw JSON (operations.md). */
export const QUARANTINED_CHANGE_MAX_BYTES = 4 * 1024;
/**
 * Quarantine entries kept from one page: WM's largest page (wm-feed.md: limit 1..1000). A page
 * beyond it breaks the contract; its other invalid changes are counted, not kept, so a 16 MiB
 * page of tiny bad changes cannot hold gigabytes of reasons.
 */
export const MAX_QUARANTINED_PER_PAGE = 1000;

export interface ValidPage {
  ok: true;
  /** Every element of `changes`, valid or not. */
  received: number;
  changes: Change[];
  quarantined: NewQuarantineEntry[];
  /** Invalid changes in the page: `quarantined` plus those past MAX_QUARANTINED_PER_PAGE. */
  invalid: number;
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
  let invalid = 0;
  for (const item of raw) {
    const full = quarantined.length < MAX_QUARANTINED_PER_PAGE;
    // Once no more entries are kept, a change that is plainly not one is counted without zod
    // (whose error for it would cost microseconds: seconds over a page of millions).
    if (!full && !looksLikeChange(item)) {
      invalid += 1;
      continue;
    }
    const parsed = changeSchema.safeParse(item);
    if (parsed.success) {
      changes.push(parsed.data);
      continue;
    }
    invalid += 1;
    if (full) quarantined.push(quarantineEntry(item, describeIssues(parsed.error)));
  }
  return { ok: true, received: raw.length, changes, quarantined, invalid, cursor, hasMore };
}

/** False only for what cannot be a valid change (the schema decides the rest). */
function looksLikeChange(item: unknown): boolean {
  if (typeof item !== 'object' || item === null) return false;
  const { seq, platforms, ticket } = item as Record<string, unknown>;
  return (
    typeof seq === 'number' &&
    Array.isArray(platforms) &&
    platforms.length > 0 &&
    typeof ticket === 'object' &&
    ticket !== null
  );
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
    // Never JSON.stringify: a deeply nested change would overflow the stack and stop the feed.
    change: boundedJson(item, QUARANTINED_CHANGE_MAX_BYTES),
  };
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
