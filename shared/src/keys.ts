import { partTag, type Part } from './partitions.ts';
import type { Platform } from './platforms.ts';

/**
 * Every Redis key Ticketing BE writes, in one place (docs/design.md, "Keys in Redis").
 * A partition's per-ticket keys and its BullMQ queue share one hash tag (`{cherwell}` with one
 * partition, `{cherwell.<i>~<n>}` with several: see `partTag`): on Redis Cluster a partition
 * lives on one shard and the partitions spread over shards. A platform's platform-wide keys
 * (settings, rate limit, auth, concurrency, routes, dead letters) keep the tag `{<platform>}`.
 */
export interface Keys {
  /** The BullMQ `prefix` of a partition's queue, or (given the platform) of its dead letters. */
  platformPrefix(part: Part): string;
  /** The BullMQ `prefix` of the WM status reports queue. */
  wmPrefix(): string;
  /**
   * String: the latest WM version received for the platform, a fixed-width header (version,
   * storedAt, queued) and the compact record (store/stored-ticket.ts). Hash before this release.
   */
  ticket(part: Part, ticketId: string): string;
  /** Hash: what Ticketing BE knows of the ticket on the platform. */
  state(part: Part, ticketId: string): string;
  /** List: the ticket's last events on the platform, newest first. */
  history(part: Part, ticketId: string): string;
  /** Sorted set per overview state: ticket ids by last change (ms). */
  stateIndex(part: Part, state: string): string;
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
  openTickets(part: Part): string;
  /** String with a TTL: the WM ticket creating the platform ticket for `<entity>|<alarmType>`. */
  createClaim(part: Part, correlation: string): string;
  /**
   * Sorted set: WM tickets waiting for their first platform ticket, by the seq they were first
   * seen at, per `<entity>|<alarmType>`: the oldest one creates, the others are noted into it.
   */
  pendingCreates(part: Part, correlation: string): string;
  /**
   * Hash (only with QUEUE_PARTITIONS > 1): WM ticket id -> its partition index, fixed by its
   * first version seen, so later versions and the admin API find the ticket's partition.
   */
  routes(platform: Platform): string;
  /** String: the QUEUE_PARTITIONS the queues were made with (roles refuse another one). */
  partitions(): string;
  /**
   * String: a copy of the producer's cursor in a partition's shard, `<page>:<cursor>`, written
   * after the partition's writes of each page (docs/design.md, "Cursor copies"). Given a
   * platform with QUEUE_PARTITIONS > 1: the copy beside the platform's routes.
   */
  cursorCopy(part: Part): string;
  /**
   * Producer keys: cursor, its page number (`cursor-page`), the copies' marker (`cursor-copies`:
   * which set of copies was written in full), leader lease, quarantine list, status.
   */
  producer(name: 'cursor' | 'cursor-page' | 'cursor-copies' | 'lease' | 'quarantine' | 'status'): string;
  /** String: set once the processing switch got its starting value from the environment. */
  processingInitialised(): string;
}

export function createKeys(base: string): Keys {
  const tag = (part: Part) => `${base}:{${partTag(part)}}`;
  return {
    platformPrefix: tag,
    wmPrefix: () => `${base}:{wm}`,
    ticket: (part, ticketId) => `${tag(part)}:ticket:${ticketId}`,
    state: (part, ticketId) => `${tag(part)}:state:${ticketId}`,
    history: (part, ticketId) => `${tag(part)}:history:${ticketId}`,
    stateIndex: (part, state) => `${tag(part)}:index:${state}`,
    settings: (platform) => `${tag(platform)}:settings`,
    rateLimit: (platform) => `${tag(platform)}:rate-limit`,
    auth: (platform) => `${tag(platform)}:auth`,
    concurrency: (platform) => `${tag(platform)}:concurrency`,
    concurrencyMembers: (platform) => `${tag(platform)}:concurrency-members`,
    openTickets: (part) => `${tag(part)}:open-tickets`,
    createClaim: (part, correlation) => `${tag(part)}:create-claim:${correlation}`,
    pendingCreates: (part, correlation) => `${tag(part)}:pending-create:${correlation}`,
    routes: (platform) => `${tag(platform)}:routes`,
    cursorCopy: (part) => `${tag(part)}:cursor-copy`,
    partitions: () => `${base}:{producer}:partitions`,
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
