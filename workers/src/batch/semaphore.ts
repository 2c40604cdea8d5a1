/**
 * Counts requests in flight against a limit that may change at run time (`maxInFlight`).
 * Waiters are served first come, first served.
 */
export class Semaphore {
  readonly #limit: () => number;
  #inUse = 0;
  readonly #waiters: (() => void)[] = [];

  constructor(limit: () => number) {
    this.#limit = limit;
  }

  get inUse(): number {
    return this.#inUse;
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
