import { pick } from '../common/random.ts';
import type { WmStore } from './store.ts';
import type { WmPlatform } from './ticket.ts';

export interface TrickleOptions {
  /** Changes per second (new tickets, updates and completions together). */
  ticketsPerSecond: number;
  /** Share of changes that update an open ticket (default 0.3). */
  updateShare?: number;
  /** Share of changes that complete an open ticket (default 0.2). */
  completeShare?: number;
  /** Platforms of new tickets (default the simulator's). */
  platforms?: WmPlatform[];
}

const TICK_MS = 100;

/**
 * A steady stream of realistic changes for the demo; returns the function that stops it. Tickets
 * in `spared` are never updated or completed by it.
 */
export function startTrickle(
  store: WmStore,
  random: () => number,
  options: TrickleOptions,
  spared: ReadonlySet<string> = new Set(),
): () => void {
  const updateShare = options.updateShare ?? 0.3;
  const completeShare = options.completeShare ?? 0.2;
  let credit = 0;
  const timer = setInterval(() => {
    credit += (options.ticketsPerSecond * TICK_MS) / 1000;
    for (; credit >= 1; credit -= 1) {
      const open = store.openTickets().filter((ticket) => !spared.has(ticket.id));
      const roll = random();
      const target = open.length > 0 ? pick(random, open) : undefined;
      // WM sometimes skips intermediate versions; the producer must cope.
      const skipVersions = random() < 0.1 ? 1 : 0;
      if (target && roll < updateShare) {
        const alarmCount = Math.max(0, target.alarmCount + Math.floor(random() * 16) - 5);
        store.update(target.id, { alarmCount }, { skipVersions });
      } else if (target && roll < updateShare + completeShare) {
        store.complete(target.id, { skipVersions });
      } else {
        store.create({}, options.platforms);
      }
    }
  }, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
