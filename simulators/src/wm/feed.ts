/** One retained change: the feed's own seq (what cursors name) and the JSON served. */
export interface FeedEntry {
  seq: number;
  change: unknown;
}

export type FeedPage =
  { gone: true; reason: string } | { gone: false; changes: unknown[]; cursor?: string; hasMore: boolean };

/**
 * The append-only change feed. Cursors are the last served seq as a string. A cursor is gone
 * (410) when it names a seq never issued, or when changes right after it were dropped by retention.
 */
export class ChangeFeed {
  #entries: FeedEntry[] = [];
  #lastSeq = 0;
  #replayFrom: number | null = null;
  /** Long polls waiting for the next change (wm-feed.md, "Waiting for changes"). */
  #waiters = new Set<() => void>();
  maxRetained: number;

  constructor(maxRetained: number) {
    this.maxRetained = maxRetained;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  append(build: (seq: number) => unknown): number {
    const seq = ++this.#lastSeq;
    this.#entries.push({ seq, change: build(seq) });
    this.#trim();
    this.wake();
    return seq;
  }

  /**
   * Resolves at the next change, after `waitMs`, or when `signal` aborts (the client went
   * away), whichever comes first. Answers whether a change came.
   */
  waitForChange(waitMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const done = (changed: boolean): void => {
        clearTimeout(timer);
        this.#waiters.delete(onChange);
        signal?.removeEventListener('abort', onAbort);
        resolve(changed);
      };
      const onChange = (): void => done(true);
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), waitMs);
      this.#waiters.add(onChange);
      signal?.addEventListener('abort', onAbort);
    });
  }

  /** Answers every waiting long poll now (a change, a replay, a reset or closing). */
  wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  page(after: string | undefined, limit: number): FeedPage {
    let start: number;
    if (this.#replayFrom !== null) {
      // A WM restart that lost its position: serve again from there, whatever the cursor says.
      start = this.#indexAfter(this.#replayFrom - 1);
      this.#replayFrom = null;
    } else if (after === undefined) {
      start = 0;
    } else {
      const seq = /^\d{1,15}$/.test(after) ? Number(after) : NaN;
      if (Number.isNaN(seq) || seq > this.#lastSeq) return { gone: true, reason: `unknown cursor ${after}` };
      const oldest = this.#entries[0]?.seq ?? this.#lastSeq + 1;
      if (seq < oldest - 1)
        return { gone: true, reason: `cursor ${after} expired (oldest retained seq ${oldest})` };
      start = this.#indexAfter(seq);
    }
    const served = this.#entries.slice(start, start + limit);
    const last = served.at(-1);
    const cursor = last ? String(last.seq) : after;
    return {
      gone: false,
      changes: served.map((e) => e.change),
      ...(cursor === undefined ? {} : { cursor }),
      hasMore: start + served.length < this.#entries.length,
    };
  }

  /** The next page (whatever cursor it is asked with) starts at `seq` again. */
  replayFrom(seq: number): void {
    this.#replayFrom = seq;
    this.wake();
  }

  /** Retention by hand: drops every change up to and including `seq`. */
  dropThrough(seq: number): void {
    this.#entries = this.#entries.slice(this.#indexAfter(seq));
  }

  entries(): FeedEntry[] {
    return [...this.#entries];
  }

  setMaxRetained(n: number): void {
    this.maxRetained = n;
    this.#trim();
  }

  /** Empties the feed. Seqs keep growing, so a cursor from before stays valid and misses nothing. */
  reset(): void {
    this.#entries = [];
    this.#replayFrom = null;
    this.wake();
  }

  #trim(): void {
    const excess = this.#entries.length - this.maxRetained;
    if (excess > 0) this.#entries = this.#entries.slice(excess);
  }

  /** Index of the first entry with a seq above `seq` (entries are sorted by seq). */
  #indexAfter(seq: number): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#entries[mid]?.seq ?? Infinity) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
