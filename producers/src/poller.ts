import {
  classify,
  HttpStatusError,
  InvalidResponseError,
  type ErrorInfo,
  type Keys,
  type Logger,
  backoffDelayMs,
} from '@tbe/shared';
import { writeProducerStatus, type ProducerStatusUpdate } from '@tbe/shared/store/producer-status';
import type { QuarantineStore } from '@tbe/shared/store/quarantine';
import type { CursorStore } from './cursor.ts';
import type { LongPoll } from './long-poll.ts';
import { enqueueChanges, type EnqueueDeps } from './enqueue.ts';
import type { PollOutcome, ProducerMetrics } from './metrics.ts';
import { parsePage, type ValidPage } from './page.ts';
import type { FetchFailure, WmClient } from '@tbe/shared/wm/client';

export interface PollerOptions {
  pageSize: number;
  pollIntervalMs: number;
  backoff: { baseMs: number; maxMs: number };
}

export interface PollerDeps extends EnqueueDeps {
  keys: Keys;
  client: WmClient;
  cursor: CursorStore;
  quarantine: QuarantineStore;
  metrics: ProducerMetrics;
  logger: Logger;
  /** Whether empty polls are held by WM (`wait`), with the fallback to plain polling. */
  longPoll: LongPoll;
  /** Called when a fenced cursor write found the lease in other hands. */
  onLeaseLost(): void;
}

/** Pause after a page that was not full while WM holds polls (see `#page`). */
export const LONG_POLL_GATHER_MS = 50;

/** What the loop does next: poll again after `delayMs` (0 = at once), or end (shutdown). */
export type Next = { delayMs: number } | 'stopped';

type Failure = FetchFailure | 'invalid-envelope' | 'redis';

/**
 * One poll of the WM feed at a time: fetch from the stored cursor, validate, quarantine, queue,
 * and only then move the cursor. Every failure keeps the cursor where it is (nothing skipped).
 */
export class Poller {
  readonly #deps: PollerDeps;
  readonly #options: PollerOptions;
  #limit: number;
  #failures = 0;

  constructor(deps: PollerDeps, options: PollerOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#limit = options.pageSize;
    deps.metrics.limit.set(this.#limit);
  }

  async pollOnce(signal: AbortSignal): Promise<Next> {
    try {
      return await this.#poll(signal);
    } catch (error) {
      // Redis away (or a bug): the cursor did not move, so the same page comes again.
      return this.#failed('redis', error);
    }
  }

  async #poll(signal: AbortSignal): Promise<Next> {
    const after = await this.#deps.cursor.read();
    await this.#status({ lastPollAt: new Date().toISOString(), limit: this.#limit });
    const { longPoll } = this.#deps;
    const waitS = longPoll.waitS;
    const startedMs = Date.now();
    const outcome = await this.#deps.client.fetchChanges({ after, limit: this.#limit, waitS }, signal);
    switch (outcome.kind) {
      case 'stopped':
        return 'stopped';
      case 'failed':
        // A WM that does not know `wait`: ask again at once, the plain way (said once).
        if (longPoll.refused(outcome.error, waitS)) return { delayMs: 0 };
        return outcome.reason === 'oversized'
          ? this.#oversized(outcome.error)
          : this.#failed(outcome.reason, outcome.error);
      case 'gone':
        return this.#gone(after);
      case 'body': {
        const page = parsePage(outcome.json);
        if (!page.ok)
          return this.#failed(
            'invalid-envelope',
            new InvalidResponseError(`WM page envelope: ${page.reason}`),
          );
        longPoll.answered({ waitS, empty: page.received === 0, elapsedMs: Date.now() - startedMs });
        return this.#page(page, after);
      }
    }
  }

  async #page(page: ValidPage, after: string | undefined): Promise<Next> {
    const { metrics, logger } = this.#deps;
    // The page is in hand: queue all of it before the cursor moves.
    if (page.quarantined.length > 0) {
      const added = await this.#deps.quarantine.push(page.quarantined);
      // One line per page: a broken WM could send a thousand bad changes at once.
      const first = page.quarantined[0];
      const shown = { seq: first?.seq, ticketId: first?.ticketId, reason: first?.reason };
      logger.warn(
        { quarantined: page.invalid, kept: page.quarantined.length, new: added, first: shown },
        'WM changes quarantined',
      );
    }
    const counts = await enqueueChanges(this.#deps, page.changes);
    if (page.cursor !== undefined && page.cursor !== after && !(await this.#deps.cursor.write(page.cursor))) {
      logger.warn(
        { cursor: after },
        'lease lost during a page: its jobs exist, the cursor stays for the new leader',
      );
      this.#deps.onLeaseLost();
      return { delayMs: 0 };
    }
    metrics.polls.inc({ outcome: page.received > 0 ? 'page' : 'empty' });
    metrics.received.inc(page.received);
    metrics.quarantined.inc(page.invalid);
    for (const [platform, n] of counts.queued) metrics.queued.inc({ platform }, n);
    for (const [platform, n] of counts.stale) metrics.stale.inc({ platform }, n);
    const now = Date.now();
    const newest = page.changes.at(-1)?.ticket.updatedAt;
    const behindMs = page.hasMore && newest ? Math.max(0, now - Date.parse(newest)) : 0;
    metrics.lag.set(behindMs / 1000);
    metrics.lastSuccess.set(now / 1000);
    if (page.received > 0) {
      const queued = Object.fromEntries(counts.queued);
      logger.info(
        { received: page.received, queued, quarantined: page.invalid, cursor: page.cursor },
        'page queued',
      );
    }
    this.#failures = 0;
    this.#setLimit(this.#options.pageSize);
    await this.#status({
      lastSuccessAt: new Date(now).toISOString(),
      lastError: null,
      stuck: null,
      limit: this.#limit,
    });
    // An empty page that claims more would make us spin: wait as when caught up. While WM holds
    // our empty polls, the next poll goes at once: WM answers it when the next change comes.
    const more = page.hasMore && page.received > 0;
    if (more) return { delayMs: 0 };
    if (!this.#deps.longPoll.waiting) return { delayMs: this.#options.pollIntervalMs };
    // A busy feed answers every held poll at once with a few changes: a short pause lets the
    // next page gather more, rather than spending a request (and a queue write) per change.
    return { delayMs: page.received > 0 ? LONG_POLL_GATHER_MS : 0 };
  }

  async #gone(after: string | undefined): Promise<Next> {
    if (after === undefined) {
      // WM refuses even the oldest change: nothing to restart from; retry as any failure.
      return this.#failed('status', new HttpStatusError(410, { detail: 'gone without a cursor' }));
    }
    this.#deps.metrics.polls.inc({ outcome: 'gone' });
    if (!(await this.#deps.cursor.forget())) {
      this.#deps.onLeaseLost();
      return { delayMs: 0 };
    }
    this.#deps.logger.error(
      { cursor: after },
      'WM answered 410 Gone: it no longer knows the cursor; restarting from the oldest retained change (repeats are fenced off)',
    );
    await this.#status({
      lastRestartAt: new Date().toISOString(),
      lastError: errorInfo(new HttpStatusError(410)),
    });
    return { delayMs: 0 };
  }

  /** Over 16 MiB: ask again at once for half as many, down to 1; at 1, wait and say so loudly. */
  async #oversized(error: Error): Promise<Next> {
    if (this.#limit > 1) {
      this.#deps.metrics.polls.inc({ outcome: 'oversized' });
      this.#setLimit(Math.max(1, Math.floor(this.#limit / 2)));
      this.#deps.logger.warn(
        { limit: this.#limit },
        'WM answered over 16 MiB: asking again for fewer changes',
      );
      await this.#status({ lastError: errorInfo(error), limit: this.#limit });
      return { delayMs: 0 };
    }
    const stuck = 'WM answers over 16 MiB even for one change: the feed cannot move until WM is fixed';
    this.#deps.metrics.stuck.set(1);
    this.#deps.logger.error({ limit: this.#limit }, stuck);
    await this.#status({ stuck });
    return this.#failed('oversized', error);
  }

  async #failed(reason: Failure, error: unknown): Promise<Next> {
    this.#failures += 1;
    const delayMs = backoffDelayMs(this.#failures, this.#options.backoff);
    const info = errorInfo(error);
    this.#deps.metrics.polls.inc({ outcome: reason satisfies PollOutcome });
    // 5xx, timeouts and resets pass by themselves; the rest (4xx, bad bodies) needs a person.
    const passing =
      reason === 'timeout' ||
      reason === 'network' ||
      reason === 'redis' ||
      (error instanceof HttpStatusError && error.status >= 500);
    const line = { reason, code: info.code, err: info.message, failures: this.#failures, retryInMs: delayMs };
    if (passing) this.#deps.logger.warn(line, 'WM poll failed; cursor kept, retrying');
    else this.#deps.logger.error(line, 'WM poll failed; cursor kept, retrying');
    await this.#status({ lastError: info });
    return { delayMs };
  }

  #setLimit(limit: number): void {
    this.#limit = limit;
    this.#deps.metrics.limit.set(limit);
    if (limit === this.#options.pageSize) this.#deps.metrics.stuck.set(0);
  }

  /** Best effort: the status is for people; a write failing must not fail the poll. */
  async #status(update: ProducerStatusUpdate): Promise<void> {
    try {
      await writeProducerStatus(this.#deps.redis, this.#deps.keys, update);
    } catch (error) {
      this.#deps.logger.debug({ err: error }, 'status write failed');
    }
  }
}

function errorInfo(error: unknown): ErrorInfo {
  const verdict = classify(error);
  return { code: verdict.code, message: verdict.message };
}
