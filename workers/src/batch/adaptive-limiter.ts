import type { ConcurrencyMode, Logger, Platform } from '@tbe/shared';
import type { ConcurrencyStore, LatencyGroup, WindowAnswer } from '@tbe/shared/store/concurrency';
import type { ConcurrencyLimiter } from './limiter.ts';
import { Semaphore } from './semaphore.ts';

/** One platform request as the HTTP client reports it (workers/src/platform/adapter.ts). */
export interface RequestSample {
  call: string;
  items: number;
  /** HTTP status, or the NetworkError code when no answer came. */
  status: number | string;
  durationMs: number;
}

export interface AdaptiveLimiterOptions {
  platform: Platform;
  /** {PLATFORM}_CONCURRENCY: `fixed` keeps the limit at the ceiling (and still publishes it). */
  mode: ConcurrencyMode;
  store: ConcurrencyStore;
  /** Unique per worker process (two runtimes in one process are two). */
  processId: string;
  /** `maxInFlight`, read live: this process's ceiling. */
  ceiling: () => number;
  logger: Logger;
  /** Told the platform's limit and this process's share after every window. */
  onLimit?: (answer: WindowAnswer) => void;
  /** How often this process reports what it saw (default 500 ms). */
  windowMs?: number;
}

/** Where a limit starts when no replica has set one: the old fixed default. */
const START_LIMIT = 4;

/** Signs of an overloaded platform that lower the limit at once (operations.md, issue 12). */
const OVERLOAD_STATUSES: ReadonlySet<number | string> = new Set([429, 503, 'TIMEOUT']);

/**
 * Adaptive concurrency for one platform in one process: the platform's limit lives in Redis and
 * is moved by every replica (ConcurrencyStore's AIMD); this process gets its share and never
 * more than `maxInFlight`. Latencies are grouped by call and batch size so a search is compared
 * with searches and a full batch with full batches. An overload sign is reported at once
 * rather than at the end of the window. Redis away: the last share stays (safe: it only moves
 * within 1..maxInFlight).
 */
export class AdaptiveLimiter implements ConcurrencyLimiter {
  readonly #options: AdaptiveLimiterOptions;
  readonly #slots: Semaphore;
  readonly #windowMs: number;
  #share: number;
  #groups = new Map<string, { count: number; minMs: number; totalMs: number }>();
  #saturated = false;
  #overloaded = false;
  #lastAvgMs = 0;
  #reporting: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #listeners: (() => void)[] = [];

  constructor(options: AdaptiveLimiterOptions) {
    this.#options = options;
    this.#windowMs = options.windowMs ?? 500;
    this.#share = Math.min(START_LIMIT, options.ceiling());
    this.#slots = new Semaphore(() => this.limit);
  }

  get limit(): number {
    const ceiling = this.#options.ceiling();
    return this.#options.mode === 'fixed' ? ceiling : Math.max(1, Math.min(this.#share, ceiling));
  }

  get inUse(): number {
    return this.#slots.inUse;
  }

  acquire(priority = 0): Promise<() => void> {
    // Every slot taken: more concurrency would have been used (the AIMD only rises then).
    if (this.#slots.inUse >= this.limit) this.#saturated = true;
    return this.#slots.acquire(priority);
  }

  /** Every platform request, however it ended (token requests do not load the platform's API). */
  observe(sample: RequestSample): void {
    if (sample.call === 'token') return;
    if (OVERLOAD_STATUSES.has(sample.status)) {
      this.#overloaded = true;
      void this.#report();
      return;
    }
    if (typeof sample.status !== 'number') return;
    // Batch sizes in powers of two: latency grows with what a request carries.
    const name = `${sample.call}:${2 ** Math.ceil(Math.log2(Math.max(1, sample.items)))}`;
    const group = this.#groups.get(name) ?? { count: 0, minMs: Infinity, totalMs: 0 };
    group.count += 1;
    group.minMs = Math.min(group.minMs, sample.durationMs);
    group.totalMs += sample.durationMs;
    this.#groups.set(name, group);
  }

  onLimitChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  start(): void {
    this.#timer = setInterval(() => void this.#report(), this.#windowMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One window's report; one at a time (an overload sign during a report waits for the next). */
  #report(): Promise<void> {
    this.#reporting ??= this.#send().finally(() => {
      this.#reporting = undefined;
    });
    return this.#reporting;
  }

  async #send(): Promise<void> {
    const groups: LatencyGroup[] = [...this.#groups].map(([name, g]) => ({
      name,
      count: g.count,
      minMs: g.minMs,
      avgMs: g.totalMs / g.count,
    }));
    const samples = groups.reduce((sum, g) => sum + g.count, 0);
    if (samples > 0) this.#lastAvgMs = groups.reduce((sum, g) => sum + g.avgMs * g.count, 0) / samples;
    const saturated = this.#saturated;
    const overloaded = this.#overloaded;
    this.#groups = new Map();
    // Still waiting for slots now: the next window starts saturated.
    this.#saturated = this.#slots.waiting > 0;
    this.#overloaded = false;
    const options = this.#options;
    try {
      const answer = await options.store.report(options.platform, {
        processId: options.processId,
        mode: options.mode,
        active: samples > 0 || overloaded || this.#slots.inUse > 0 || this.#slots.waiting > 0,
        saturated,
        overloaded,
        ceiling: options.ceiling(),
        startLimit: Math.min(START_LIMIT, options.ceiling()),
        // Requests sent before a fall still answer at the old load: wait about two of them.
        cooldownMs: Math.max(this.#windowMs, 2 * this.#lastAvgMs),
        groups,
      });
      const before = this.limit;
      this.#share = answer.share;
      if (this.limit > before) this.#slots.limitChanged();
      if (this.limit !== before) for (const listener of this.#listeners) listener();
      if (answer.decision !== 'hold')
        options.logger.debug(
          { limit: answer.limit, share: answer.share, decision: answer.decision },
          'concurrency',
        );
      options.onLimit?.(answer);
    } catch (error) {
      options.logger.debug({ err: error }, 'concurrency report failed; keeping the current share');
    }
  }
}
