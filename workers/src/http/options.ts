import type { RequestObserver } from '../platform/adapter.ts';

/** What the worker runtime gives a platform adapter besides the platform's configuration. */
export interface AdapterOptions {
  /** Told about every HTTP request (one record each), for logs and metrics. */
  observer?: RequestObserver | undefined;
  /** Pause between authentication tries while the platform refuses the credentials. */
  authRetryMs: number;
  /**
   * The most concurrent requests the runtime will make. The pool opens connections lazily up
   * to this (plus one for tokens); default 64, the highest `maxInFlight` an operator may set at
   * run time.
   */
  maxInFlight?: number | undefined;
  /** Largest answer read; default 16 MiB. */
  maxResponseBytes?: number | undefined;
  /** Clock for token expiry; tests shorten time with it. */
  nowMs?: (() => number) | undefined;
}

export const DEFAULT_MAX_IN_FLIGHT = 64;
