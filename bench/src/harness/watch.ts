import { wmReports, type Written } from '../measure/requests.ts';
import type { RequestLog } from './request-log.ts';

export interface ReportWatch {
  /** Distinct tickets WM heard a matching report for. */
  count(): number;
  /** When WM answered the request that carried the latest matching report (epoch ms). */
  lastAt(): number;
  /** The same for the first one (0 before any). */
  firstAt(): number;
  stop(): void;
}

/** Counts the WM status reports matching `match`, one per ticket. */
export function watchReports(log: RequestLog, match: (report: Written) => boolean): ReportWatch {
  const seen = new Set<string>();
  let lastAt = 0;
  let firstAt = 0;
  const stop = log.listen((source, _classified, record) => {
    if (source !== 'wm') return;
    for (const report of wmReports(record)) {
      if (!match(report) || seen.has(report.ticketId)) continue;
      seen.add(report.ticketId);
      const at = record.endedAt ?? Date.now();
      lastAt = Math.max(lastAt, at);
      firstAt = firstAt === 0 ? at : Math.min(firstAt, at);
    }
  });
  return { count: () => seen.size, lastAt: () => lastAt, firstAt: () => firstAt, stop };
}
