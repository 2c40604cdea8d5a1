import type { ConcurrencyLimiter } from './limiter.ts';

export interface BatchLimits {
  /** Most items in one send (`maxTicketsPerRequest`). */
  maxSize: number;
  /** Longest an item waits for its batch to fill (`batchWaitMs`). */
  maxWaitMs: number;
}

export interface BatcherOptions<I, R> {
  /** Read before every send, so a run-time change applies to the next batch. */
  limits: () => BatchLimits;
  /**
   * Sends one batch. Must answer one result per item, in order; a rejection fails every item
   * of the batch with that error (a whole request that failed).
   */
  send: (items: I[]) => Promise<R[]>;
  /** Shared by every batcher of a platform: requests in flight per process (fixed or adaptive). */
  inFlight: ConcurrencyLimiter;
  /** This batcher's turn for a request slot against the other batchers sharing `inFlight`. */
  priority?: number;
}

export interface SubmitOptions {
  /**
   * The item comes straight from a batch of another operation that just settled in this process
   * (the next step of its change). Its batch goes once the settled batch's items have all arrived
   * (they come in the same turn of the event loop), instead of waiting out `maxWaitMs`: it is as
   * full as the batch they came from, and a second wait would only delay the change.
   */
  handedOn?: boolean;
}

interface Entry<I, R> {
  item: I;
  addedAtMs: number;
  handedOn: boolean;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects items submitted one at a time into batches: a batch goes out when it is full, when
 * its oldest item has waited `maxWaitMs`, or when items handed on from a settled batch have all
 * arrived, and only when a request slot is free; items that arrive while every slot is busy join
 * the next batch, so a backlog yields full batches. Each submitter gets its own item's result.
 *
 * A batch's slot is given back a turn after it settles: by then its items that go on to another
 * operation wait in that batcher for a slot (at its higher priority), so they take this one
 * before a new batch of the first step does. In a backlog a ticket's later steps therefore follow
 * its first one batch after batch instead of queueing behind the backlog's next batches.
 */
export class Batcher<I, R> {
  readonly #options: BatcherOptions<I, R>;
  readonly #buffer: Entry<I, R>[] = [];
  #timer: NodeJS.Timeout | undefined;
  #waitingForSlot = false;
  #handedOnCheck = false;
  readonly #sending = new Set<Promise<void>>();

  constructor(options: BatcherOptions<I, R>) {
    this.#options = options;
  }

  /** Items waiting for a batch (not yet sent). */
  get buffered(): number {
    return this.#buffer.length;
  }

  submit(item: I, options: SubmitOptions = {}): Promise<R> {
    const handedOn = options.handedOn ?? false;
    return new Promise<R>((resolve, reject) => {
      this.#buffer.push({ item, addedAtMs: Date.now(), handedOn, resolve, reject });
      if (handedOn && !this.#handedOnCheck) {
        // After the promise reactions now queued (the settled batch's other items) have run.
        this.#handedOnCheck = true;
        process.nextTick(() => {
          this.#handedOnCheck = false;
          this.#kick(this.#buffer.some((entry) => entry.handedOn));
        });
      }
      this.#kick(false);
    });
  }

  /** Sends everything buffered now, whatever the fill, and waits for every send in flight. */
  async flush(): Promise<void> {
    while (this.#buffer.length > 0) {
      this.#kick(true);
      await Promise.race([...this.#sending, new Promise((resolve) => setTimeout(resolve, 5))]);
    }
    await Promise.all([...this.#sending]);
  }

  #kick(force: boolean): void {
    if (this.#waitingForSlot || this.#buffer.length === 0) return;
    const { maxSize, maxWaitMs } = this.#options.limits();
    const oldest = this.#buffer[0];
    const dueInMs = oldest ? oldest.addedAtMs + maxWaitMs - Date.now() : 0;
    if (force || this.#buffer.length >= maxSize || dueInMs <= 0) {
      this.#clearTimer();
      void this.#dispatch();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#kick(false);
      }, dueInMs);
    }
  }

  async #dispatch(): Promise<void> {
    this.#waitingForSlot = true;
    const release = await this.#options.inFlight.acquire(this.#options.priority ?? 0);
    this.#waitingForSlot = false;
    // Taken only now: whatever arrived while we waited for the slot rides along.
    const batch = this.#buffer.splice(0, Math.max(1, this.#options.limits().maxSize));
    if (batch.length === 0) {
      release();
      return;
    }
    const sending = this.#send(batch).finally(() => {
      // Its items' next batches are formed after the promise reactions of this settlement
      // (process.nextTick above); setImmediate runs after those, so they are waiting for the slot.
      setImmediate(release);
      this.#sending.delete(sending);
    });
    this.#sending.add(sending);
    this.#kick(false);
  }

  async #send(batch: Entry<I, R>[]): Promise<void> {
    try {
      const results = await this.#options.send(batch.map((entry) => entry.item));
      if (results.length !== batch.length) {
        throw new Error(`batch send answered ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((entry, index) => entry.resolve(results[index] as R));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
