import type { ConcurrencyLimiter } from './limiter.ts';

interface Waiter {
  priority: number;
  wake: () => void;
}

/**
 * Counts requests in flight against a limit that may change at run time (`maxInFlight`).
 * Waiters are served by priority, then first come, first served: a platform's later steps
 * (work orders, write-backs) go before new creates, so no step starves another. On its own it is
 * the fixed limiter.
 */
export class Semaphore implements ConcurrencyLimiter {
  readonly #limit: () => number;
  #inUse = 0;
  readonly #waiters: Waiter[] = [];

  constructor(limit: () => number) {
    this.#limit = limit;
  }

  get inUse(): number {
    return this.#inUse;
  }

  get limit(): number {
    return this.#limit();
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** The limit went up: let waiters in now rather than at the next release. */
  limitChanged(): void {
    this.#wake();
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
