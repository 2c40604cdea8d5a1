import type { ConcurrencyLimiter } from './limiter.ts';

/**
 * Counts requests in flight against a limit that may change at run time (`maxInFlight`).
 * Waiters are served first come, first served. On its own it is the fixed limiter.
 */
export class Semaphore implements ConcurrencyLimiter {
  readonly #limit: () => number;
  #inUse = 0;
  readonly #waiters: (() => void)[] = [];

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

  async acquire(): Promise<() => void> {
    if (this.#inUse < this.#limit() && this.#waiters.length === 0) {
      this.#inUse += 1;
      return this.#releaser();
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
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
      this.#waiters.shift()?.();
    }
  }
}
