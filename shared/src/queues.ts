import type { DefaultJobOptions, JobsOptions, KeepJobs } from 'bullmq';
import type { z } from 'zod';
import { deadLetterSchema, platformJobSchema, statusReportsJobSchema } from './jobs.ts';
import { ticketJobId, type Keys } from './keys.ts';
import { partsOf, type Part } from './partitions.ts';
import { PLATFORMS, type Platform } from './platforms.ts';
import { SETTING_SPECS } from './settings.ts';

const DAY_S = 24 * 60 * 60;

/** The name of every platform job: the job names the ticket only, the worker decides the operation. */
export const PLATFORM_JOB_NAME = 'ticket';

/**
 * The options of a ticket's platform job, wherever it is added (producer, hand-over to a fresh
 * budget, redrive). `attempts` is the operation's retry budget, `maxRetries + 1` (operations.md:
 * the board shows the budget an operator set); the worker sets it again when an operation
 * starts, so a job that waited through a settings change gets the new budget. Deduplicated per
 * ticket: at most one active job and one waiting, so versions coalesce and never run in parallel.
 * Nothing else goes into a job's stored `opts`, so that its hash stays a listpack (docs/design.md,
 * "Keys in Redis"): the backoff and the removal of finished jobs are the platform worker's
 * settings, and the producer drops `keepLastIfActive` once the job exists (compactAddedJobs).
 */
export function platformJobOptions(ticketId: string, maxRetries: number): JobsOptions {
  return {
    attempts: maxRetries + 1,
    deduplication: { id: ticketJobId(ticketId), keepLastIfActive: true },
  };
}

/**
 * The backoff of a platform job's retries: the platform worker's own strategy (backoffDelayMs,
 * honouring a platform's Retry-After), given to each job it takes instead of stored in every job.
 */
export const PLATFORM_JOB_BACKOFF = { type: 'tbe' } as const;

/** WM status reports are retried for a long time: a report is never dropped for a passing outage. */
export const STATUS_REPORT_ATTEMPTS = 50;

/** WM accepts at most 500 updates per request (wm-feed.md). */
export const STATUS_REPORTS_PER_REQUEST = 500;

export type QueueKind = 'platform' | 'dead-letter' | 'wm-status';

export interface QueueSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  prefix: string;
  kind: QueueKind;
  platform: Platform | undefined;
  /** A platform queue's partition (its name); undefined for the other queues. */
  part: Part | undefined;
  payload: S;
  /** The platform queue's dead-letter queue. */
  deadLetter: string | undefined;
  jobOptions: DefaultJobOptions;
  /**
   * Which finished jobs the queue's worker keeps, given to the worker instead of copied into every
   * job's `opts` (a platform job's `opts` is its largest field: docs/design.md "Keys in Redis").
   * BullMQ applies them to a job whose own `opts` name no removal (jobs from older releases do).
   */
  keepJobs?: { removeOnComplete: KeepJobs; removeOnFail: KeepJobs };
  /** Shown in Bull Board. */
  description: string;
}

/**
 * Every queue of the product, as data: producers, workers, the dashboard and tests read this.
 * Each platform has one queue per partition (QUEUE_PARTITIONS; named after the platform when
 * there is one, `<platform>.<i>` otherwise) and one dead-letter queue.
 */
export function queueCatalogue(keys: Keys, partitions = 1) {
  const platformQueues = PLATFORMS.flatMap((platform) => [
    ...partsOf(platform, partitions).map(
      (part) =>
        ({
          name: part,
          prefix: keys.platformPrefix(part),
          kind: 'platform' as const,
          platform,
          part,
          payload: platformJobSchema,
          deadLetter: `${platform}-dead`,
          jobOptions: { attempts: SETTING_SPECS.maxRetries.defaultValue + 1 },
          keepJobs: {
            removeOnComplete: { count: 0 },
            // A platform job fails only through a bug: keep it a week for a look.
            removeOnFail: { age: 7 * DAY_S },
          },
          description:
            partitions === 1
              ? `Ticket changes for ${platform}, one job per ticket change (create, work order, write-back; update; resolve)`
              : `Ticket changes for ${platform}, partition ${part.slice(platform.length + 1)} of ${partitions} (pausing it pauses all of ${platform})`,
        }) satisfies QueueSpec<typeof platformJobSchema>,
    ),
    {
      name: `${platform}-dead`,
      prefix: keys.platformPrefix(platform),
      kind: 'dead-letter',
      platform,
      part: undefined,
      payload: deadLetterSchema,
      deadLetter: undefined,
      // Parked as failed until an operator retries or discards it (docs/design.md, dead letters).
      jobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: false },
      description: `Dead letters of ${platform}: Retry sends the ticket again with a fresh budget`,
    } satisfies QueueSpec<typeof deadLetterSchema>,
  ]);
  const wmStatus = {
    name: 'wm-status',
    prefix: keys.wmPrefix(),
    kind: 'wm-status',
    platform: undefined,
    part: undefined,
    payload: statusReportsJobSchema,
    deadLetter: undefined,
    jobOptions: {
      attempts: STATUS_REPORT_ATTEMPTS,
      backoff: { type: 'tbe' },
      removeOnComplete: true,
      removeOnFail: { age: 7 * DAY_S },
    },
    description: 'Outcomes reported to WM (POST /tickets/status), batched',
  } satisfies QueueSpec<typeof statusReportsJobSchema>;
  return [...platformQueues, wmStatus] as QueueSpec[];
}

export function findQueue(catalogue: readonly QueueSpec[], name: string): QueueSpec {
  const spec = catalogue.find((queue) => queue.name === name);
  if (!spec) throw new Error(`no queue named ${name} in the catalogue`);
  return spec;
}

/** The queue of a partition (with one partition, the platform's only queue is named after it). */
export const platformQueueName = (part: Part): string => part;
export const deadLetterQueueName = (platform: Platform): string => `${platform}-dead`;
export const STATUS_QUEUE_NAME = 'wm-status';
