import type { Queue } from 'bullmq';
import {
  compactAddedJobs,
  PLATFORM_JOB_NAME,
  platformJobOptions,
  type Change,
  type OverviewStore,
  type Part,
  type Platform,
  type PlatformJob,
  type RedisClient,
  type TicketRecords,
  type TicketStore,
  type Transition,
} from '@tbe/shared';
import { planByPlatform, type PlannedTicket } from './page.ts';

/** The queue of each partition of each platform (docs/design.md, "Partitions"). */
export type PlatformQueues = ReadonlyMap<Part, Queue<PlatformJob>>;

export interface EnqueueCounts {
  queued: Map<Platform, number>;
  stale: Map<Platform, number>;
}

export interface EnqueueDeps {
  /** The connection of the platform queues (their jobs are compacted with it). */
  redis: RedisClient;
  tickets: TicketStore;
  /** Where each ticket's record lives: its partition (one script call per page with N > 1). */
  records: TicketRecords;
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
 * 3. the overview shows the ticket `queued`, with a `received` event, while the new jobs are
 *    rewritten compact (compactAddedJobs: a listpack at Redis's defaults);
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
  const parts = await deps.records.route(
    platform,
    planned.map(({ ticket }) => ticket),
  );
  const byPart = new Map<Part, PlannedTicket[]>();
  planned.forEach((one, index) => {
    const part = parts[index] ?? platform;
    byPart.set(part, [...(byPart.get(part) ?? []), one]);
  });
  let maxRetries: Promise<number> | undefined;
  const queued = await Promise.all(
    [...byPart].map(([part, items]) =>
      enqueuePart(deps, platform, part, items, () => (maxRetries ??= deps.maxRetries(platform))),
    ),
  );
  return queued.reduce((sum, each) => sum + each, 0);
}

async function enqueuePart(
  deps: EnqueueDeps,
  platform: Platform,
  part: Part,
  planned: PlannedTicket[],
  maxRetriesOf: () => Promise<number>,
): Promise<number> {
  const queue = deps.queues.get(part);
  if (!queue) throw new Error(`no queue for partition ${part}`);
  const results = await Promise.all(
    planned.map(({ ticket, seq }) => deps.tickets.putLatest(part, ticket, seq)),
  );
  const fresh = planned.filter((_, i) => results[i] !== 'stale').map(({ ticket }) => ticket);
  if (fresh.length === 0) return 0;
  const maxRetries = await maxRetriesOf();
  const jobs = await queue.addBulk(
    fresh.map((ticket) => ({
      name: PLATFORM_JOB_NAME,
      data: { ticketId: ticket.id },
      opts: platformJobOptions(ticket.id, maxRetries),
    })),
  );
  await Promise.all([
    compactAddedJobs(
      deps.redis,
      queue,
      jobs.map((job) => job.id),
    ),
    deps.overview.transition(
      fresh.map((ticket): Transition => ({
        platform,
        part,
        ticketId: ticket.id,
        state: 'queued',
        event: { event: 'received', version: ticket.version, detail: null },
      })),
    ),
  ]);
  await deps.tickets.markQueued(
    fresh.map((ticket) => ({ part, ticketId: ticket.id, version: ticket.version })),
  );
  return fresh.length;
}
