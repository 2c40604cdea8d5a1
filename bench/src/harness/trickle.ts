import { pick } from '@tbe/simulators/common/random';
import type { WmSimulator } from '@tbe/simulators';
import type { Platform } from '@tbe/shared';

/** One change appended to the WM feed, and when. */
export interface Appended {
  ticketId: string;
  version: number;
  atMs: number;
}

/**
 * A steady stream of changes from the WM simulator, the mix of its own trickle (30% updates of
 * an open ticket, 20% completions, the rest new tickets from its generator, a quarter of which
 * share an open ticket's entity), with the time each change entered the feed. The simulator's
 * `startTrickle` does not tell when it appended what, hence this copy.
 */
export function startTrickle(
  wm: WmSimulator,
  platform: Platform,
  perSecond: number,
  onAppend: (change: Appended) => void,
  random: () => number = Math.random,
): () => void {
  const open: string[] = [];
  let credit = 0;
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    credit += ((now - last) * perSecond) / 1000;
    last = now;
    for (; credit >= 1; credit -= 1) {
      const roll = random();
      const target = open.length > 0 ? pick(random, open) : undefined;
      let ticket;
      if (target && roll < 0.3) ticket = wm.updateTicket(target, { alarmCount: Math.floor(random() * 60) });
      else if (target && roll < 0.5) {
        ticket = wm.completeTicket(target);
        open.splice(open.indexOf(target), 1);
      } else {
        ticket = wm.createTicket({}, [platform]);
        open.push(ticket.id);
      }
      onAppend({ ticketId: ticket.id, version: ticket.version, atMs: now });
    }
  }, 10);
  return () => clearInterval(timer);
}
