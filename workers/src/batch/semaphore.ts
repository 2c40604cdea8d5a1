/**
 * What a batcher needs of the requests-in-flight limit: a slot, at a priority. A small interface
 * so that the limit's policy (fixed `maxInFlight`, or adaptive) can be swapped without touching
 * the batchers.
 */
export interface InFlightLimiter {
  /** Waits for a slot; higher `priority` waiters are served first. Answers its release. */
  acquire(priority?: number): Promise<() => void>;
  readonly inUse: number;
}

interface Waiter {
  priority: number;
  wake: () => void;
}

/**
 * Counts requests in flight against a limit that may change at run time (`maxInFlight`).
 * Waiters are served by priority, then first come, first served: a platform's later steps
 * (work orders, write-backs) go before new creates, so no step starves another.
 */
export class Semaphore implements InFlightLimiter {
  readonly #limit: () => number;
  #inUse = 0;
  readonly #waiters: Waiter[] = [];

  constructor(limit: () => number) {
    this.#limit = limit;
  }

  get inUse(): number {
    return this.#inUse;
  }

  async acquire(priority = 0): Promise<() => void> {
    if (this.#inUse < this.#limit() && this.#waiters.length === 0) {
      this.#inUse += 1;
      return this.#releaser();
    }
    await new Promise<void>((wake) => {
      // Behind every waiter of the same or a higher priority.
      const at = this.#waiters.findIndex((waiter) => waiter.priority < priority);
      this.#waiters.splice(at === -1 ? this.#waiters.length : at, 0, { priority, wake });
    });
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inUse -= 1;
      this.#wake();
    };
  }

  #wake(): void {
    while (this.#waiters.length > 0 && this.#inUse < this.#limit()) {
      this.#inUse += 1;
      this.#waiters.shift()?.wake();
    }
  }
}
