import type { RequestKind } from '../measure/requests.ts';
import type { RequestLog } from './request-log.ts';

export interface PlatformWindow {
  /** Tickets named by the watched requests, from the first one's start to the last one's end. */
  perSec(): number;
  named(): number;
  requests(): number;
  windowMs(): number;
  stop(): void;
}

/**
 * Throughput as the platform sees it: tickets carried by requests of one kind, over the time
 * from the start of the first to the end of the last. This leaves out the worker's start and the
 * WM reports' tail, which is what a bound on requests in flight is about.
 */
export function watchPlatform(log: RequestLog, source: string, kind: RequestKind): PlatformWindow {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let named = 0;
  let requests = 0;
  const stop = log.listen((from, classified, record) => {
    if (from !== source || classified.kind !== kind) return;
    first = Math.min(first, record.startedAt);
    last = Math.max(last, record.endedAt ?? record.startedAt);
    named += classified.named;
    requests += 1;
  });
  const windowMs = (): number => (requests === 0 ? Number.NaN : last - first);
  return {
    perSec: () => (named / windowMs()) * 1000,
    named: () => named,
    requests: () => requests,
    windowMs,
    stop,
  };
}
