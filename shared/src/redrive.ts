import type { Queue } from 'bullmq';
import type { DeadLetter } from './jobs.ts';
import type { Part } from './partitions.ts';
import type { Platform } from './platforms.ts';
import { PLATFORM_JOB_NAME, platformJobOptions } from './queues.ts';
import type { OverviewStore } from './store/overview.ts';

export interface RedriveDeps {
  platform: Platform;
  overview: OverviewStore;
  /** The partition of a ticket and its queue (docs/design.md, "Partitions"). */
  queueOf: (ticketId: string) => Promise<{ part: Part; queue: Queue }>;
  /** The platform's `maxRetries` in force: the redriven job's budget. */
  maxRetries: () => Promise<number>;
}

/**
 * The platform ticket is gone (deleted on the platform side): a retry runs the first-time flow
 * again (cherwell.md, RECORDNOTFOUND), so what we knew of it is forgotten.
 */
const FORGET_PLATFORM_TICKET = {
  mode: '',
  platformId: '',
  recId: '',
  workOrder: '',
  writtenBack: '0',
  createdResolved: '0',
  version: '0',
  workOrderUnknown: '0',
};

/**
 * Sends a dead ticket through again with a fresh budget and its latest version: a new platform
 * job (attempts start at zero) that reads the latest stored version when it runs. The dead
 * letter itself is removed by the caller. Shared by the dead-letter worker (Bull Board's Retry)
 * and the admin API, so both do the same thing.
 */
export async function redrive(
  deps: RedriveDeps,
  deadLetter: Pick<DeadLetter, 'ticketId' | 'operation' | 'version' | 'lastError'>,
): Promise<void> {
  const { ticketId } = deadLetter;
  const gone = deadLetter.lastError.code === 'RECORD_NOT_FOUND';
  const { part, queue } = await deps.queueOf(ticketId);
  await deps.overview.transition([
    {
      platform: deps.platform,
      part,
      ticketId,
      state: 'queued',
      fields: { deadOperation: '', errors: '[]', ...(gone ? FORGET_PLATFORM_TICKET : {}) },
      // The version the operation died on; the new job then brings the ticket to the latest one.
      event: {
        event: 'retried',
        version: deadLetter.version,
        detail: `${deadLetter.operation} with a fresh budget`,
      },
    },
  ]);
  const maxRetries = await deps.maxRetries();
  await queue.add(PLATFORM_JOB_NAME, { ticketId }, platformJobOptions(ticketId, maxRetries));
}
