import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import {
  deadLetterSchema,
  ticketJobId,
  type DeadLetter,
  type Logger,
  type OverviewStore,
  type Platform,
  type QueueSpec,
  type RedisClient,
  type Timings,
} from '@tbe/shared';

export interface RedriveDeps {
  platform: Platform;
  overview: OverviewStore;
  platformQueue: Queue;
  platformSpec: QueueSpec;
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
 * letter itself is removed by the caller.
 */
export async function redrive(
  deps: RedriveDeps,
  deadLetter: Pick<DeadLetter, 'ticketId' | 'operation' | 'lastError'>,
): Promise<void> {
  const { ticketId } = deadLetter;
  const gone = deadLetter.lastError.code === 'RECORD_NOT_FOUND';
  await deps.overview.transition([
    {
      platform: deps.platform,
      ticketId,
      state: 'queued',
      fields: { deadOperation: '', errors: '[]', ...(gone ? FORGET_PLATFORM_TICKET : {}) },
      event: { event: 'retried', version: null, detail: `${deadLetter.operation} with a fresh budget` },
    },
  ]);
  await deps.platformQueue.add(
    'ticket',
    { ticketId },
    { ...deps.platformSpec.jobOptions, deduplication: { id: ticketJobId(ticketId), keepLastIfActive: true } },
  );
}

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
