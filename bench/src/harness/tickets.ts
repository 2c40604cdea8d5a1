import type { Platform } from '@tbe/shared';
import type { WmSimulator, WmTicket } from '@tbe/simulators';
import { seededRandom } from '@tbe/simulators/common/random';
import { TicketGenerator } from '@tbe/simulators/wm/generator';

/**
 * Realistic WM tickets (the WM simulator's own generator: summary ~60 characters, details ~600
 * bytes of operator prose, the other fields as in wm-feed.md), made here rather than with
 * `wm.createTicket()`, which looks through every open ticket for each new one (quadratic at
 * 100,000). Entities are made unique, so that every ticket is a create of its own: no note into
 * another ticket, no wait behind an older ticket of the same entity.
 */
export class TicketMaker {
  readonly #generator: TicketGenerator;
  #made = 0;

  /**
   * The same arguments make the same tickets in the same order (ids included: `nowMs` fixes the
   * date in them), so a scenario can make its tickets again to send their next versions.
   */
  constructor(firstTicketNumber: number, nowMs: number, seed = 7) {
    this.#generator = new TicketGenerator({
      random: seededRandom(seed),
      now: () => nowMs,
      firstTicketNumber,
      entityReuseShare: 0,
    });
  }

  create(): WmTicket {
    const ticket = this.#generator.generate();
    const entity = `${ticket.entity}.${++this.#made}`;
    return { ...ticket, entity, summary: ticket.summary.replace(ticket.entity, entity) };
  }
}

/** Version `version` of a ticket: a new alarm count, as WM sends while an alarm goes on. */
export function atVersion(ticket: WmTicket, version: number): WmTicket {
  const updatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { ...ticket, version, alarmCount: ticket.alarmCount + version - 1, updatedAt };
}

/** Appends changes to the WM feed; answers the seq of the last one. */
export function pushChanges(wm: WmSimulator, platform: Platform, tickets: readonly WmTicket[]): number {
  let seq = wm.lastSeq();
  for (const ticket of tickets) seq = wm.pushRaw({ platforms: [platform], ticket });
  return seq;
}

/** Approximate size of one change as served (for the report beside bytes per queued ticket). */
export function changeBytes(platform: Platform, ticket: WmTicket): number {
  return Buffer.byteLength(JSON.stringify({ seq: 1, platforms: [platform], ticket }));
}
