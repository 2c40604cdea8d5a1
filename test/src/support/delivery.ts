import { Queue } from 'bullmq';
import {
  createRedis,
  deadLetterQueueName,
  parsePlatformState,
  platformQueueName,
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

export async function stateOf(stack: Stack, platform: Platform, ticketId: string): Promise<PlatformState> {
  return parsePlatformState(await stack.redis.hgetall(stack.keys.state(platform, ticketId)));
}

/** Opens one of the stack's queues for a look, and closes it after. */
async function withQueue<T>(
  stack: Stack,
  name: string,
  platform: Platform,
  use: (queue: Queue) => Promise<T>,
): Promise<T> {
  const connection = createRedis(stack.config('producer').redis, 'worker', 'test-queue-look');
  const queue = new Queue(name, { connection, prefix: stack.keys.platformPrefix(platform) });
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

export function jobCounts(stack: Stack, platform: Platform): Promise<Record<string, number>> {
  return withQueue(stack, platformQueueName(platform), platform, (queue) =>
    queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized'),
  );
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
): Promise<{ ticketId: string; attempts: number | undefined; attemptsMade: number }[]> {
  return withQueue(stack, platformQueueName(platform), platform, async (queue) => {
    const jobs = await queue.getJobs(states);
    return jobs.map((job) => ({
      ticketId: (job.data as { ticketId: string }).ticketId,
      attempts: job.opts.attempts,
      attemptsMade: job.attemptsMade,
    }));
  });
}

/** BullMQ job ids the platform queue has issued so far (its `id` counter): jobs ever added. */
export async function platformJobsIssued(stack: Stack, platform: Platform): Promise<number> {
  return Number(
    await stack.redis.get(`${stack.keys.platformPrefix(platform)}:${platformQueueName(platform)}:id`),
  );
}
