import type { Written } from '../measure/requests.ts';
import type { Appended } from './trickle.ts';

/**
 * Matches changes entering the feed with the first time a version at least as new reached its
 * destination (a platform write, or a WM report): versions that waited coalesce, so v2 is
 * delivered when v3 is.
 */
export class Latencies {
  readonly #pending = new Map<string, Appended[]>();
  readonly #done: { appended: Appended; ms: number }[] = [];

  appended(change: Appended): void {
    const list = this.#pending.get(change.ticketId) ?? [];
    list.push(change);
    this.#pending.set(change.ticketId, list);
  }

  delivered(written: Written, atMs: number): void {
    const list = this.#pending.get(written.ticketId);
    if (!list) return;
    const remaining = list.filter((change) => {
      if (change.version > written.version) return true;
      this.#done.push({ appended: change, ms: atMs - change.atMs });
      return false;
    });
    if (remaining.length > 0) this.#pending.set(written.ticketId, remaining);
    else this.#pending.delete(written.ticketId);
  }

  /** Latencies (ms) of the changes appended in [fromMs, toMs). */
  between(fromMs: number, toMs: number): number[] {
    return this.#done.filter((d) => d.appended.atMs >= fromMs && d.appended.atMs < toMs).map((d) => d.ms);
  }

  /** Changes appended in [fromMs, toMs) not delivered yet. */
  pendingBetween(fromMs: number, toMs: number): number {
    let count = 0;
    for (const list of this.#pending.values())
      count += list.filter((c) => c.atMs >= fromMs && c.atMs < toMs).length;
    return count;
  }
}
