import { Worker, type Job } from 'bullmq';
import {
  HttpStatusError,
  STATUS_REPORTS_PER_REQUEST,
  statusReportsJobSchema,
  type StatusReportsJob,
  type Logger,
  type QueueSpec,
  type RedisClient,
  type StatusReport,
  type Timings,
  type WmConfig,
  backoffDelayMs,
  type BackoffConfig,
} from '@tbe/shared';
import { createWmClient, type WmClient } from '@tbe/shared/wm/client';
import { Batcher } from '../batch/batcher.ts';
import { Semaphore } from '../batch/semaphore.ts';
import type { WorkerMetrics } from './metrics.ts';

export interface StatusReporterDeps {
  wm: WmConfig;
  connection: RedisClient;
  spec: QueueSpec;
  timings: Timings;
  backoff: BackoffConfig;
  metrics: WorkerMetrics;
  logger: Logger;
  /** How long a batch of reports waits to fill. */
  batchWaitMs?: number;
}

/** Jobs (each a batch's reports) gathered into one round of requests to WM. */
const JOBS_PER_ROUND = 20;

/**
 * Reports outcomes to WM (`POST /tickets/status`, at most 500 updates per request). Each job of
 * the `wm-status` queue carries the reports of one operation batch and has its own retries; the
 * reporter gathers jobs into rounds, so a round of small batches is still one request. A round
 * that fails retries all its jobs (a report may then reach WM twice; never not at all). It is a
 * queue of its own, never paused by the processing switch: a WM that does not accept reports
 * never blocks or loses a delivery.
 */
export function startStatusReporter(deps: StatusReporterDeps): {
  worker: Worker<StatusReportsJob>;
  close(): Promise<void>;
} {
  const client = createWmClient({
    url: deps.wm.url,
    token: deps.wm.token,
    requestTimeoutMs: deps.wm.requestTimeoutMs,
  });
  const batcher = new Batcher<StatusReport[], void>({
    inFlight: new Semaphore(() => 2),
    limits: () => ({ maxSize: JOBS_PER_ROUND, maxWaitMs: deps.batchWaitMs ?? 200 }),
    send: async (jobs) => {
      const reports = jobs.flat();
      for (let start = 0; start < reports.length; start += STATUS_REPORTS_PER_REQUEST) {
        await postStatus(deps, client, reports.slice(start, start + STATUS_REPORTS_PER_REQUEST));
      }
      return jobs.map(() => undefined);
    },
  });
  const worker = new Worker<StatusReportsJob>(
    deps.spec.name,
    async (job: Job<StatusReportsJob>) => {
      const { reports } = statusReportsJobSchema.parse(job.data);
      await batcher.submit(reports);
    },
    {
      connection: deps.connection,
      prefix: deps.spec.prefix,
      concurrency: JOBS_PER_ROUND * 3,
      lockDuration: deps.timings.lockDurationMs,
      stalledInterval: deps.timings.stalledIntervalMs,
      settings: {
        backoffStrategy: (attemptsMade, _type, error) =>
          backoffDelayMs(
            attemptsMade,
            deps.backoff,
            error instanceof HttpStatusError ? error.retryAfterMs : undefined,
          ),
      },
    },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'status reporter error'));
  return {
    worker,
    async close() {
      const closing = worker.close();
      await batcher.flush();
      await closing;
      await client.close();
    },
  };
}

async function postStatus(
  deps: StatusReporterDeps,
  client: WmClient,
  updates: StatusReport[],
): Promise<void> {
  const startedAt = Date.now();
  let status: number;
  try {
    status = await client.postStatus(updates);
  } catch (error) {
    deps.metrics.statusReports.inc({ result: 'network' }, updates.length);
    deps.logger.warn(
      { call: 'status', items: updates.length, durationMs: Date.now() - startedAt },
      'WM status report failed',
    );
    throw error;
  }
  deps.logger.info(
    { call: 'status', items: updates.length, status, durationMs: Date.now() - startedAt },
    'WM status report',
  );
  const ok = status === 200 || status === 204;
  deps.metrics.statusReports.inc({ result: ok ? 'accepted' : 'refused' }, updates.length);
  if (!ok) throw new HttpStatusError(status, { url: 'WM /tickets/status' });
}
