import type { Platform } from '../platforms.ts';
import type { SettingsWithSource } from '../settings.ts';

/** `all` runs producer, worker and dashboard in one process; `cli` is the admin client. */
export type Role = 'producer' | 'worker' | 'dashboard' | 'all' | 'cli' | 'demo';

export interface HostPort {
  host: string;
  port: number;
}

/**
 * How to authenticate to Redis and whether to use TLS, the same in every mode. Fields are
 * present only when configured (a standalone URL may carry its own user, password and rediss://).
 */
export interface RedisSecurity {
  username?: string;
  password?: string;
  /** The sentinels' own password (Sentinel mode only). */
  sentinelPassword?: string;
  /** TLS to Redis (data nodes and sentinels); `ca` is the PEM text of REDIS_TLS_CA_FILE. */
  tls?: { ca?: string };
}

export type RedisTarget = (
  | { kind: 'standalone'; url: string }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string }
  | { kind: 'cluster'; nodes: HostPort[] }
) &
  RedisSecurity;

/** `adaptive`: requests in flight follow the platform's capacity; `fixed`: always maxInFlight. */
export const CONCURRENCY_MODES = ['adaptive', 'fixed'] as const;
export type ConcurrencyMode = (typeof CONCURRENCY_MODES)[number];

export interface WmConfig {
  url: string;
  token: string | undefined;
  pollIntervalMs: number;
  /** `wait` asked of WM on an empty feed, in seconds; 0: plain polling (WM_LONG_POLL_S). */
  longPollS: number;
  pageSize: number;
  requestTimeoutMs: number;
  statusReporting: boolean;
}

export interface CherwellConfig {
  url: string;
  clientId: string;
  username: string;
  password: string;
  authMode: 'Internal' | 'LDAP' | 'SAML' | 'Windows' | 'Auto';
  busObs: { incident: string; note: string; workOrder: string };
  fieldMapFile: string | undefined;
  requestTimeoutMs: number;
}

export interface SfycConfig {
  url: string;
  clientId: string;
  clientSecret: string;
  requestTimeoutMs: number;
}

/** Timings that tests shorten; the defaults are the production ones. */
export interface Timings {
  lockDurationMs: number;
  stalledIntervalMs: number;
  leaseTtlMs: number;
  settingsRefreshMs: number;
  authRetryMs: number;
}

export interface Config {
  redis: RedisTarget;
  queuePrefix: string;
  /** QUEUE_PARTITIONS: partitions per platform (docs/design.md, "Partitions"). */
  queuePartitions: number;
  wm: WmConfig | undefined;
  cherwell: CherwellConfig | undefined;
  sfyc: SfycConfig | undefined;
  processingEnabled: boolean;
  workerPlatforms: Platform[];
  /** {PLATFORM}_CONCURRENCY: whether maxInFlight is a ceiling (adaptive) or the value (fixed). */
  concurrency: Record<Platform, ConcurrencyMode>;
  ticketRetentionDays: number;
  /** Link templates to a platform record (`{id}`: the platform id), for the ticket overview page. */
  recordUrls: Partial<Record<Platform, string>>;
  backoff: { baseMs: number; maxMs: number };
  httpPort: number;
  adminToken: string | undefined;
  tbeUrl: string;
  logLevel: string;
  shutdownTimeoutMs: number;
  /** The starting values of the run-time settings, per platform, with where each came from. */
  settings: Record<Platform, SettingsWithSource>;
  timings: Timings;
}
