import { Counter, Gauge, type Registry } from 'prom-client';

/** Outcomes of one poll, as the `outcome` label of `tbe_producer_polls_total`. */
export const POLL_OUTCOMES = [
  'page',
  'empty',
  'gone',
  'network',
  'timeout',
  'status',
  'invalid-json',
  'invalid-envelope',
  'oversized',
  'redis',
] as const;
export type PollOutcome = (typeof POLL_OUTCOMES)[number];

export type ProducerMetrics = ReturnType<typeof createProducerMetrics>;

/** The producer's own figures, registered on the registry its process serves at /metrics. */
export function createProducerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    received: new Counter({
      name: 'tbe_producer_changes_received_total',
      help: 'WM changes read from the feed, valid or not (a repeat counts again)',
      registers,
    }),
    queued: new Counter({
      name: 'tbe_producer_changes_queued_total',
      help: 'Ticket versions stored and queued, per platform',
      labelNames: ['platform'],
      registers,
    }),
    stale: new Counter({
      name: 'tbe_producer_changes_stale_total',
      help: 'Ticket versions not queued because the same or a newer version was already queued, per platform',
      labelNames: ['platform'],
      registers,
    }),
    quarantined: new Counter({
      name: 'tbe_producer_changes_quarantined_total',
      help: 'WM changes rejected by validation and put in the quarantine',
      registers,
    }),
    polls: new Counter({
      name: 'tbe_producer_polls_total',
      help: 'Polls of the WM feed by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    lastSuccess: new Gauge({
      name: 'tbe_producer_last_success_timestamp_seconds',
      help: 'When a poll last ended with its page queued (Unix seconds)',
      registers,
    }),
    lag: new Gauge({
      name: 'tbe_producer_lag_seconds',
      help: "Seconds between now and the newest queued change's updatedAt while WM has more; 0 when caught up",
      registers,
    }),
    leader: new Gauge({
      name: 'tbe_producer_leader',
      help: '1 while this replica holds the lease and polls WM, else 0',
      registers,
    }),
    limit: new Gauge({
      name: 'tbe_producer_page_limit',
      help: 'The limit of the next poll (halved while WM answers over 16 MiB)',
      registers,
    }),
    longPoll: new Gauge({
      name: 'tbe_producer_long_polling',
      help: '1 while WM holds empty polls until a change comes (WM_LONG_POLL_S), 0 while polling every WM_POLL_INTERVAL_MS',
      registers,
    }),
    stuck: new Gauge({
      name: 'tbe_producer_stuck',
      help: '1 while WM answers over 16 MiB even at limit 1: the feed cannot move until WM is fixed',
      registers,
    }),
  };
}
