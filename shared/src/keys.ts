import type { Platform } from './platforms.ts';

/**
 * Every Redis key Ticketing BE writes, in one place (docs/design.md, "Keys in Redis").
 * A platform's keys and its BullMQ queues share the hash tag `{<platform>}`, so on Redis
 * Cluster they live on one shard and different platforms spread over shards.
 */
export interface Keys {
  /** The BullMQ `prefix` of a platform's queues (the platform queue and its dead letters). */
  platformPrefix(platform: Platform): string;
  /** The BullMQ `prefix` of the WM status reports queue. */
  wmPrefix(): string;
  /** Hash: the latest WM version received for the platform (`version`, `seq`, `json`). */
  ticket(platform: Platform, ticketId: string): string;
  /** Hash: what Ticketing BE knows of the ticket on the platform. */
  state(platform: Platform, ticketId: string): string;
  /** List: the ticket's last events on the platform, newest first. */
  history(platform: Platform, ticketId: string): string;
  /** Sorted set per overview state: ticket ids by last change (ms). */
  stateIndex(platform: Platform, state: string): string;
  /** Hash: run-time settings set by operators. */
  settings(platform: Platform): string;
  /** String with a TTL: the platform asked us to slow down until its expiry (ms epoch inside). */
  rateLimit(platform: Platform): string;
  /** Hash: worker id -> auth state and time, so the dashboard can report it. */
  auth(platform: Platform): string;
  /** Hash: the platform's adaptive concurrency limit (all replicas), latency floors, mode. */
  concurrency(platform: Platform): string;
  /** Sorted set: worker processes sending to the platform, by when they last said so (ms). */
  concurrencyMembers(platform: Platform): string;
  /** Hash: `<entity>|<alarmType>` -> the open platform ticket we know of, or a create in progress. */
  openTickets(platform: Platform): string;
  /** String with a TTL: the WM ticket creating the platform ticket for `<entity>|<alarmType>`. */
  createClaim(platform: Platform, correlation: string): string;
  /**
   * Sorted set: WM tickets waiting for their first platform ticket, by the seq they were first
   * seen at, per `<entity>|<alarmType>`: the oldest one creates, the others are noted into it.
   */
  pendingCreates(platform: Platform, correlation: string): string;
  /** Producer keys: cursor, leader lease, quarantine list, status. */
  producer(name: 'cursor' | 'lease' | 'quarantine' | 'status'): string;
  /** String: set once the processing switch got its starting value from the environment. */
  processingInitialised(): string;
}

export function createKeys(base: string): Keys {
  const tag = (platform: Platform) => `${base}:{${platform}}`;
  return {
    platformPrefix: tag,
    wmPrefix: () => `${base}:{wm}`,
    ticket: (platform, ticketId) => `${tag(platform)}:ticket:${ticketId}`,
    state: (platform, ticketId) => `${tag(platform)}:state:${ticketId}`,
    history: (platform, ticketId) => `${tag(platform)}:history:${ticketId}`,
    stateIndex: (platform, state) => `${tag(platform)}:index:${state}`,
    settings: (platform) => `${tag(platform)}:settings`,
    rateLimit: (platform) => `${tag(platform)}:rate-limit`,
    auth: (platform) => `${tag(platform)}:auth`,
    concurrency: (platform) => `${tag(platform)}:concurrency`,
    concurrencyMembers: (platform) => `${tag(platform)}:concurrency-members`,
    openTickets: (platform) => `${tag(platform)}:open-tickets`,
    createClaim: (platform, correlation) => `${tag(platform)}:create-claim:${correlation}`,
    pendingCreates: (platform, correlation) => `${tag(platform)}:pending-create:${correlation}`,
    producer: (name) => `${base}:{producer}:${name}`,
    processingInitialised: () => `${base}:{producer}:processing-initialised`,
  };
}

/**
 * A BullMQ job id or deduplication id for a WM ticket id. WM ids may contain `:` and may be all
 * digits, which BullMQ refuses as custom ids; this encoding is reversible and never all digits.
 */
export function ticketJobId(ticketId: string): string {
  return `t-${encodeURIComponent(ticketId)}`;
}

/** Whether `jobId` has the shape ticketJobId gives (never one of BullMQ's own key names). */
export function isTicketJobId(jobId: string): boolean {
  if (!/^t-(?:[A-Za-z0-9\-_.!~*'()]|%[0-9A-F]{2})+$/.test(jobId)) return false;
  try {
    return ticketJobId(decodeURIComponent(jobId.slice(2))) === jobId;
  } catch {
    return false;
  }
}

export function ticketIdFromJobId(jobId: string): string {
  return decodeURIComponent(jobId.slice(2));
}
