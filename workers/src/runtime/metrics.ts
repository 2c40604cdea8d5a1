import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The worker role's figures (issue: tickets by outcome, requests by status class, batch sizes). */
export function createWorkerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    tickets: new Counter({
      name: 'tbe_tickets_total',
      help: 'Tickets brought to their latest version, by platform and outcome reported to WM',
      labelNames: ['platform', 'outcome'],
      registers,
    }),
    failures: new Counter({
      name: 'tbe_operation_failures_total',
      help: 'Failed tries of ticket operations, by what happens next (retry, dead, wait)',
      labelNames: ['platform', 'operation', 'code', 'disposition'],
      registers,
    }),
    requests: new Counter({
      name: 'tbe_platform_requests_total',
      help: 'HTTP requests to the platforms, by call and status class',
      labelNames: ['platform', 'call', 'status_class'],
      registers,
    }),
    requestDuration: new Histogram({
      name: 'tbe_platform_request_duration_seconds',
      help: 'Duration of HTTP requests to the platforms',
      labelNames: ['platform', 'call'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    batchSize: new Histogram({
      name: 'tbe_batch_size',
      help: 'Tickets per operation batch',
      labelNames: ['platform', 'operation'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    }),
    deadLetters: new Counter({
      name: 'tbe_dead_letters_total',
      help: 'Tickets moved to the dead letters, by operation',
      labelNames: ['platform', 'operation'],
      registers,
    }),
    authOk: new Gauge({
      name: 'tbe_platform_auth_ok',
      help: '1 when the platform accepted our credentials, 0 when it refuses them, -1 before we know',
      labelNames: ['platform'],
      registers,
    }),
    concurrencyLimit: new Gauge({
      name: 'tbe_platform_concurrency_limit',
      help: 'Requests in flight allowed to the platform over all worker processes (adaptive: follows its capacity; fixed: maxInFlight x processes)',
      labelNames: ['platform'],
      registers,
    }),
    concurrencyShare: new Gauge({
      name: 'tbe_platform_concurrency_share',
      help: "This process's part of the platform's concurrency limit (at most maxInFlight)",
      labelNames: ['platform'],
      registers,
    }),
    statusReports: new Counter({
      name: 'tbe_wm_status_reports_total',
      help: 'Outcomes reported to WM, by result of the request',
      labelNames: ['result'],
      registers,
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

export function statusClass(status: number | string): string {
  return typeof status === 'number' ? `${Math.floor(status / 100)}xx` : status;
}
