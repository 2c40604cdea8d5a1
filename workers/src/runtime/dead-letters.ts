import { UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  deadLetterSchema,
  redrive,
  type RedriveDeps,
  type DeadLetter,
  type Logger,
  type QueueSpec,
  type RedisClient,
  type Timings,
} from '@tbe/shared';

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
