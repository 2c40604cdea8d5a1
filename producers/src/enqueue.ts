import type { Queue } from 'bullmq';
import {
  PLATFORM_JOB_NAME,
  platformJobOptions,
  type Change,
  type OverviewStore,
  type Platform,
  type PlatformJob,
  type TicketStore,
  type Transition,
} from '@tbe/shared';
import { planByPlatform, type PlannedTicket } from './page.ts';

export type PlatformQueues = ReadonlyMap<Platform, Queue<PlatformJob>>;

export interface EnqueueCounts {
  queued: Map<Platform, number>;
  stale: Map<Platform, number>;
}

export interface EnqueueDeps {
  tickets: TicketStore;
  overview: OverviewStore;
  queues: PlatformQueues;
  /** The platform's `maxRetries` in force (run-time setting, else the environment's). */
  maxRetries: (platform: Platform) => Promise<number>;
}

/**
 * Stores and queues a page's valid changes. Resolves only when every job of the page exists, so
 * the caller may then move the cursor. Per platform and ticket, in this order:
 * 1. `putLatest` (the version fence): a repeat or an older version is `stale` and stops here;
 * 2. one `addBulk` per platform, deduplicated per ticket (`keepLastIfActive`: a ticket being
 *    processed gets one follow-up job, never a second active one);
 * 3. the overview shows the ticket `queued`, with a `received` event;
 * 4. `markQueued`, last: a crash before it makes the next repeat `unqueued`, queued again
 *    (deduplication keeps it one job), so no version is ever stored but left without a job.
 */
export async function enqueueChanges(deps: EnqueueDeps, changes: readonly Change[]): Promise<EnqueueCounts> {
  const counts: EnqueueCounts = { queued: new Map(), stale: new Map() };
  const plan = planByPlatform(changes);
  await Promise.all(
    [...plan].map(async ([platform, planned]) => {
      const queued = await enqueuePlatform(deps, platform, planned);
      counts.queued.set(platform, queued);
      counts.stale.set(platform, planned.length - queued);
    }),
  );
  return counts;
}

async function enqueuePlatform(
  deps: EnqueueDeps,
  platform: Platform,
  planned: PlannedTicket[],
): Promise<number> {
  const queue = deps.queues.get(platform);
  if (!queue) throw new Error(`no queue for platform ${platform}`);
  const results = await Promise.all(
    planned.map(({ ticket, seq }) => deps.tickets.putLatest(platform, ticket, seq)),
  );
  const fresh = planned.filter((_, i) => results[i] !== 'stale').map(({ ticket }) => ticket);
  if (fresh.length === 0) return 0;
  const maxRetries = await deps.maxRetries(platform);
  await queue.addBulk(
    fresh.map((ticket) => ({
      name: PLATFORM_JOB_NAME,
      data: { ticketId: ticket.id },
      opts: platformJobOptions(ticket.id, maxRetries),
    })),
  );
  await deps.overview.transition(
    fresh.map((ticket): Transition => ({
      platform,
      ticketId: ticket.id,
      state: 'queued',
      event: { event: 'received', version: ticket.version, detail: null },
    })),
  );
  await deps.tickets.markQueued(
    fresh.map((ticket) => ({ platform, ticketId: ticket.id, version: ticket.version })),
  );
  return fresh.length;
}
