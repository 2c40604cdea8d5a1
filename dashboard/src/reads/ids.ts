import type { Job } from 'bullmq';
import { isTicketJobId, PLATFORMS, ticketJobId, type Platform } from '@tbe/shared';
import type { DashboardContext } from '../context.ts';

/**
 * Wherever a ticket or a dead letter is named, the WM ticket id and the dead-letter id are both
 * accepted (operations.md, "Admin API"): an id that names an existing dead letter of that
 * platform is that dead letter; otherwise it is a WM ticket id.
 */

/**
 * The dead letter `id` names on `platform`, either way; undefined when there is none. Only ids
 * of our shape (`t-<wm id>`) and jobs BullMQ knows the state of: a bare getJob('meta') would read
 * the queue's own meta hash as a job.
 */
export async function findDeadLetter(
  ctx: DashboardContext,
  platform: Platform,
  id: string,
): Promise<Job | undefined> {
  const { queue } = ctx.deadLetterQueue(platform);
  const candidates = isTicketJobId(id) ? [id, ticketJobId(id)] : [ticketJobId(id)];
  for (const candidate of candidates) {
    if ((await queue.getJobState(candidate)) === 'unknown') continue;
    const job = await queue.getJob(candidate);
    if (job) return job;
  }
  return undefined;
}

/** The WM ticket id `id` stands for: the ticket of the dead letter it names on any platform, else itself. */
export async function resolveTicketId(ctx: DashboardContext, id: string): Promise<string> {
  if (!isTicketJobId(id)) return id;
  for (const platform of PLATFORMS) {
    const { queue } = ctx.deadLetterQueue(platform);
    if ((await queue.getJobState(id)) === 'unknown') continue;
    const ticketId = ((await queue.getJob(id))?.data as { ticketId?: unknown } | undefined)?.ticketId;
    if (typeof ticketId === 'string') return ticketId;
  }
  return id;
}
