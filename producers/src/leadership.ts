import type { Logger } from '@tbe/shared';
import type { LeaderLease } from './lease.ts';

export interface LeadershipEvents {
  onChange(leader: boolean): void;
}

/**
 * Keeps the lease: every ttl/3 the leader extends it and a standby tries to take it. With the
 * default 3000 ms a standby takes over at most ttl + ttl/3 = 4 s after the leader's last extend.
 * A leader that cannot reach Redis stays leader only while its lease is certainly still valid.
 */
export class Leadership {
  readonly #lease: LeaderLease;
  readonly #logger: Logger;
  readonly #events: LeadershipEvents;
  readonly #intervalMs: number;
  #leader = false;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;
  #busy = false;
  readonly #waiters = new Set<() => void>();

  constructor(lease: LeaderLease, logger: Logger, events: LeadershipEvents) {
    this.#lease = lease;
    this.#logger = logger;
    this.#events = events;
    this.#intervalMs = Math.max(1, Math.floor(lease.ttlMs / 3));
  }

  start(): void {
    this.#schedule(0);
  }

  /** Tries at once instead of at the next interval (Redis just became reachable). */
  kick(): void {
    if (this.#stopped || this.#busy) return;
    clearTimeout(this.#timer);
    this.#schedule(0);
  }

  isLeader(): boolean {
    return this.#leader && this.#lease.isValid();
  }

  /** A fenced write failed: someone else holds the lease. Stand by until it is free again. */
  markLost(): void {
    this.#lease.forget();
    this.#set(false, 'another replica holds the lease');
  }

  /** Resolves when this replica leads, or when `signal` aborts. */
  waitUntilLeader(signal: AbortSignal): Promise<void> {
    if (this.isLeader() || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.#waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.#waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Stops extending and gives the lease up, so a standby takes over at its next try. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#tick;
    if (!this.#leader) return;
    this.#leader = false;
    this.#events.onChange(false);
    await this.#lease.release();
    this.#logger.info('lease released');
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#busy = true;
      this.#tick = this.#once().finally(() => {
        this.#busy = false;
        this.#schedule(this.#intervalMs);
      });
    }, delayMs);
  }

  async #once(): Promise<void> {
    try {
      if (this.#leader) {
        if (!(await this.#lease.extend())) this.#set(false, 'lease taken by another replica');
      } else if (await this.#lease.acquire()) {
        this.#set(true, 'lease taken');
      }
    } catch (error) {
      this.#logger.debug({ err: error }, 'lease call failed');
      if (this.#leader && !this.#lease.isValid())
        this.#set(false, 'lease expired while Redis was unreachable');
    }
    // Also after an extend that revived a lease gone stale locally (a long pause of this process).
    if (this.isLeader()) for (const wake of [...this.#waiters]) wake();
  }

  #set(leader: boolean, why: string): void {
    if (this.#leader === leader) return;
    this.#leader = leader;
    if (leader) this.#logger.info({ why }, 'leading: this replica polls WM');
    else this.#logger.warn({ why }, 'standing by: this replica no longer polls WM');
    this.#events.onChange(leader);
  }
}
