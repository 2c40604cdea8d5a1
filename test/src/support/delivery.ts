import { Queue } from 'bullmq';
import {
  createRedis,
  deadLetterQueueName,
  parsePlatformState,
  partsOf,
  TicketRecords,
  type Part,
  type DeadLetter,
  type Platform,
  type PlatformState,
} from '@tbe/shared';
import type { StatusReport } from '@tbe/simulators';
import type { Stack } from './stack.ts';
import { waitFor } from './wait-for.ts';

/** Waits until WM heard `state` for every one of these tickets on the platform; answers those reports. */
export async function waitForReports(
  stack: Stack,
  platform: Platform,
  ticketIds: readonly string[],
  state: StatusReport['state'],
  timeoutMs = 20_000,
): Promise<Map<string, StatusReport>> {
  return waitFor(
    () => {
      const latest = new Map<string, StatusReport>();
      for (const report of stack.wm.statusReports()) {
        if (report.platform === platform && report.state === state) latest.set(report.ticketId, report);
      }
      return ticketIds.every((id) => latest.has(id)) && latest;
    },
    { timeoutMs, what: `${ticketIds.length} ${state} reports on ${platform}` },
  );
}

/** The stack's per-ticket store (QUEUE_PARTITIONS as its roles read it). */
export function recordsOf(stack: Stack): TicketRecords {
  return new TicketRecords(stack.redis, stack.keys, stack.config('producer').queuePartitions);
}

/** The partition the ticket was routed to on the platform (the platform itself with one). */
export async function partOf(stack: Stack, platform: Platform, ticketId: string): Promise<Part | undefined> {
  return recordsOf(stack).partOf(platform, ticketId);
}

export async function stateOf(stack: Stack, platform: Platform, ticketId: string): Promise<PlatformState> {
  const part = (await partOf(stack, platform, ticketId)) ?? platform;
  return parsePlatformState(await stack.redis.hgetall(recordsOf(stack).keysOf(part, ticketId).state));
}

/** Every partition queue of the platform. */
function partsOfStack(stack: Stack, platform: Platform): Part[] {
  return partsOf(platform, stack.config('producer').queuePartitions);
}

/** Opens one of the stack's queues for a look, and closes it after. */
async function withQueue<T>(
  stack: Stack,
  name: string,
  prefixPart: Part,
  use: (queue: Queue) => Promise<T>,
): Promise<T> {
  const connection = createRedis(stack.config('producer').redis, 'worker', 'test-queue-look');
  const queue = new Queue(name, { connection, prefix: stack.keys.platformPrefix(prefixPart) });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

export function deadLetters(stack: Stack, platform: Platform): Promise<DeadLetter[]> {
  return withQueue(stack, deadLetterQueueName(platform), platform, async (queue) => {
    const jobs = await queue.getJobs(['failed', 'waiting', 'active']);
    return jobs.map((job) => job.data as DeadLetter);
  });
}

/** The platform's job counts, all partitions added up. */
export async function jobCounts(stack: Stack, platform: Platform): Promise<Record<string, number>> {
  const all = await Promise.all(
    partsOfStack(stack, platform).map((part) =>
      withQueue(stack, part, part, (queue) =>
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized'),
      ),
    ),
  );
  const sum: Record<string, number> = {};
  for (const counts of all)
    for (const [state, n] of Object.entries(counts)) sum[state] = (sum[state] ?? 0) + n;
  return sum;
}

/** Requests the simulator recorded to a path (suffix) that touched the WM ticket (or any, without one). */
export function requestsTo(stack: Stack, platform: Platform, pathSuffix: string, ticketId?: string): number {
  const sim = platform === 'cherwell' ? stack.cherwell : stack.sfyc;
  return sim.requests.filter(
    (request) =>
      request.path.endsWith(pathSuffix) && (ticketId === undefined || request.ticketIds.includes(ticketId)),
  ).length;
}

/** Waits until WM heard one report matching every given field. */
export function waitForReport(
  stack: Stack,
  match: Partial<StatusReport>,
  timeoutMs = 20_000,
): Promise<StatusReport> {
  return waitFor(
    () =>
      stack.wm
        .statusReports()
        .find((report) =>
          Object.entries(match).every(([key, value]) => report[key as keyof StatusReport] === value),
        ),
    { timeoutMs, what: `a report ${JSON.stringify(match)}` },
  );
}

/** The platform queue's jobs in these states: their ticket, `attempts` option (as Bull Board shows it) and tries made. */
export function platformJobs(
  stack: Stack,
  platform: Platform,
  states: ('waiting' | 'active' | 'delayed' | 'failed' | 'completed')[],
): Promise<
  {
    id: string | undefined;
    ticketId: string;
    attempts: number | undefined;
    attemptsMade: number;
    opts: Record<string, unknown>;
  }[]
> {
  return Promise.all(
    partsOfStack(stack, platform).map((part) =>
      withQueue(stack, part, part, async (queue) => {
        const jobs = await queue.getJobs(states);
        return jobs.map((job) => ({
          id: job.id,
          ticketId: (job.data as { ticketId: string }).ticketId,
          attempts: job.opts.attempts,
          attemptsMade: job.attemptsMade,
          opts: { ...job.opts },
        }));
      }),
    ),
  ).then((each) => each.flat());
}

/** BullMQ job ids the platform queue has issued so far (its `id` counter): jobs ever added. */
export async function platformJobsIssued(stack: Stack, platform: Platform): Promise<number> {
  let issued = 0;
  for (const part of partsOfStack(stack, platform))
    issued += Number(await stack.redis.get(`${stack.keys.platformPrefix(part)}:${part}:id`));
  return issued;
}
