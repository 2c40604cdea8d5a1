import { Worker, type Job } from 'bullmq';
import { request } from 'undici';
import {
  HttpStatusError,
  NetworkError,
  STATUS_REPORTS_PER_REQUEST,
  statusReportSchema,
  type Logger,
  type QueueSpec,
  type RedisClient,
  type StatusReport,
  type Timings,
  type WmConfig,
} from '@tbe/shared';
import { Batcher } from '../batch/batcher.ts';
import { Semaphore } from '../batch/semaphore.ts';
import { backoffDelayMs, type BackoffConfig } from './backoff.ts';
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

/**
 * Reports outcomes to WM in batches of at most 500 (`POST /tickets/status`), each report a job
 * of the `wm-status` queue with its own retries. It is a queue of its own, never paused by the
 * processing switch, so a WM that does not accept reports never blocks or loses a delivery.
 */
export function startStatusReporter(deps: StatusReporterDeps): {
  worker: Worker<StatusReport>;
  close(): Promise<void>;
} {
  const batcher = new Batcher<StatusReport, void>({
    inFlight: new Semaphore(() => 2),
    limits: () => ({ maxSize: STATUS_REPORTS_PER_REQUEST, maxWaitMs: deps.batchWaitMs ?? 200 }),
    send: async (reports) => {
      await postStatus(deps, reports);
      return reports.map(() => undefined);
    },
  });
  const worker = new Worker<StatusReport>(
    deps.spec.name,
    async (job: Job<StatusReport>) => {
      const report = statusReportSchema.parse(job.data);
      await batcher.submit(report);
    },
    {
      connection: deps.connection,
      prefix: deps.spec.prefix,
      concurrency: STATUS_REPORTS_PER_REQUEST * 3,
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
    },
  };
}

async function postStatus(deps: StatusReporterDeps, updates: StatusReport[]): Promise<void> {
  const startedAt = Date.now();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (deps.wm.token) headers.authorization = `Bearer ${deps.wm.token}`;
  let status: number;
  try {
    const response = await request(`${deps.wm.url}/tickets/status`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ updates }),
      headersTimeout: deps.wm.requestTimeoutMs,
      bodyTimeout: deps.wm.requestTimeoutMs,
    });
    status = response.statusCode;
    await response.body.dump();
  } catch (error) {
    deps.metrics.statusReports.inc({ result: 'network' }, updates.length);
    deps.logger.warn(
      { call: 'status', items: updates.length, durationMs: Date.now() - startedAt },
      'WM status report failed',
    );
    throw new NetworkError('NETWORK', 'WM status report got no answer', { cause: error });
  }
  deps.logger.info(
    { call: 'status', items: updates.length, status, durationMs: Date.now() - startedAt },
    'WM status report',
  );
  const ok = status === 200 || status === 204;
  deps.metrics.statusReports.inc({ result: ok ? 'accepted' : 'refused' }, updates.length);
  if (!ok) throw new HttpStatusError(status, { url: 'WM /tickets/status' });
}
