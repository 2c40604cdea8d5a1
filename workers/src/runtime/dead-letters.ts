import { QueueEvents, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import {
  deadLetterJobLook,
  deadLetterSchema,
  redrive,
  ticketJobId,
  type RedriveDeps,
  type DeadLetter,
  type Logger,
  type QueueSpec,
  type RedisClient,
  type Timings,
} from '@tbe/shared';
import type { WorkerMetrics } from './metrics.ts';

export interface DeadLetterWorkerDeps extends RedriveDeps {
  connection: RedisClient;
  deadLetterSpec: QueueSpec;
  timings: Timings;
  logger: Logger;
}

/**
 * Dead letters are jobs of the `<platform>-dead` queue, parked as failed so that they are
 * visible (Bull Board's Failed tab, the admin API) until someone acts:
 * - a new dead letter is processed once and parked (an UnrecoverableError, no retries);
 * - Bull Board's Retry (or Retry all) moves it back to waiting WITHOUT resetting its attempts,
 *   so a dead letter seen again with attempts made is an operator's retry: it is redriven
 *   (fresh budget, latest version) and completes, which removes it.
 * So the dashboard's button does what `POST /api/dead-letters/{platform}/retry` does.
 */
export function startDeadLetterWorker(deps: DeadLetterWorkerDeps): Worker<DeadLetter> {
  const worker = new Worker<DeadLetter>(deps.deadLetterSpec.name, (job) => processDeadLetter(deps, job), {
    connection: deps.connection,
    prefix: deps.deadLetterSpec.prefix,
    concurrency: 10,
    lockDuration: deps.timings.lockDurationMs,
    stalledInterval: deps.timings.stalledIntervalMs,
  });
  worker.on('error', (error) => deps.logger.error({ err: error }, 'dead-letter worker error'));
  return worker;
}

async function processDeadLetter(deps: DeadLetterWorkerDeps, job: Job<DeadLetter>): Promise<string> {
  const parsed = deadLetterSchema.safeParse(job.data);
  if (!parsed.success) throw parked('unreadable dead letter: discard it after review');
  const deadLetter = parsed.data;
  if (job.attemptsMade === 0) {
    throw parked(
      `${deadLetter.operation} failed with ${deadLetter.lastError.code} after ${deadLetter.attempts} tries: ` +
        `${deadLetter.lastError.message}. Retry sends ticket ${deadLetter.ticketId} again with a fresh budget.`,
    );
  }
  await redrive(deps, deadLetter);
  deps.logger.info(
    { ticketId: deadLetter.ticketId, platform: deps.platform },
    'dead letter retried from the dashboard',
  );
  return 'retried';
}

/** The reason a dead letter is parked, as Bull Board shows it: the explanation, not our stack. */
function parked(message: string): UnrecoverableError {
  const error = new UnrecoverableError(message);
  error.stack = `${error.name}: ${message}`;
  return error;
}

export interface DeadLetterWriteDeps {
  /** Reads (which dead letters exist); BullMQ duplicates it for the rare wait on a lock. */
  redis: RedisClient;
  deadLetters: Queue;
  deadLetterSpec: QueueSpec;
  metrics: WorkerMetrics;
  logger: Logger;
}

/** How long a removal waits for the dead-letter worker to let go of a dead letter (parking takes ms). */
const RELEASE_WAIT_MS = 5000;

/**
 * The one way into the dead letters, for a batch: `deadLetters` go in (the newest dead letter
 * of a ticket replaces an older one), the dead letters of `cleared` tickets (delivered since)
 * go out. In the common case (no older dead letter) that is one pipelined EXISTS and one
 * `addBulk`, whatever the batch size.
 */
export async function moveToDeadLetters(
  deps: DeadLetterWriteDeps,
  deadLetters: readonly DeadLetter[],
  cleared: readonly string[] = [],
): Promise<void> {
  if (deadLetters.length === 0 && cleared.length === 0) return;
  await removeDeadLetters(deps, [...deadLetters.map((deadLetter) => deadLetter.ticketId), ...cleared]);
  if (deadLetters.length === 0) return;
  await deps.deadLetters.addBulk(
    deadLetters.map((deadLetter) => {
      const { name, timestamp } = deadLetterJobLook(deadLetter);
      const jobId = ticketJobId(deadLetter.ticketId);
      return { name, data: deadLetter, opts: { ...deps.deadLetterSpec.jobOptions, jobId, timestamp } };
    }),
  );
  for (const deadLetter of deadLetters) {
    deps.metrics.deadLetters.inc({ platform: deadLetter.platform, operation: deadLetter.operation });
    deps.logger.warn(
      {
        ticketId: deadLetter.ticketId,
        operation: deadLetter.operation,
        code: deadLetter.lastError.code,
        attempts: deadLetter.attempts,
      },
      'ticket moved to the dead letters',
    );
  }
}

/**
 * Removes the tickets' dead letters. BullMQ refuses (answers 0) while a job is locked: the
 * moment the dead-letter worker parks or redrives it. Such a removal waits for that job's
 * finish event (bounded), then asks once more; a dead letter still locked is left and logged
 * (adding a newer one under the same id would be a no-op).
 */
async function removeDeadLetters(deps: DeadLetterWriteDeps, ticketIds: readonly string[]): Promise<void> {
  const queue = deps.deadLetters;
  const jobIds = ticketIds.map(ticketJobId);
  const pipeline = deps.redis.pipeline();
  for (const jobId of jobIds) pipeline.exists(queue.toKey(jobId));
  const exists = (await pipeline.exec()) ?? [];
  const present = jobIds.filter((_, index) => exists[index]?.[1] === 1);
  if (present.length === 0) return;
  const locked = await refused(queue, present);
  if (locked.length === 0) return;
  await waitForRelease(deps, locked);
  for (const jobId of await refused(queue, locked)) {
    deps.logger.warn({ jobId }, 'a dead letter stayed locked and was not replaced');
  }
}

/** Removes the jobs; answers those BullMQ refused to remove because they are locked. */
async function refused(queue: Queue, jobIds: readonly string[]): Promise<string[]> {
  const codes = await Promise.all(jobIds.map((jobId) => queue.remove(jobId)));
  return jobIds.filter((_, index) => codes[index] !== 1);
}

/** Waits until each job's holder finishes it (completed or parked as failed), or the bound passes. */
async function waitForRelease(deps: DeadLetterWriteDeps, jobIds: readonly string[]): Promise<void> {
  const events = new QueueEvents(deps.deadLetterSpec.name, {
    connection: deps.redis,
    prefix: deps.deadLetterSpec.prefix,
  });
  try {
    await Promise.all(
      jobIds.map(async (jobId) => {
        const job = await deps.deadLetters.getJob(jobId);
        // Either answer (finished, failed, gone, timed out) means: ask the removal again.
        await job?.waitUntilFinished(events, RELEASE_WAIT_MS).catch(() => undefined);
      }),
    );
  } finally {
    await events.close();
  }
}
