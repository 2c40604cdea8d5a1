import type { Violation, ViolationKind } from './types.ts';

/** Bounded so that a long demo run does not grow without limit. */
const MAX_VIOLATIONS = 10_000;

export class ViolationLog {
  readonly #items: Violation[] = [];
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  add(kind: ViolationKind, detail: string, requestId: number | null = null): void {
    this.#items.push({ kind, at: new Date(this.#now()).toISOString(), detail, requestId });
    if (this.#items.length > MAX_VIOLATIONS) this.#items.shift();
  }

  list(): Violation[] {
    return this.#items.map((v) => ({ ...v }));
  }

  clear(): void {
    this.#items.length = 0;
  }
}
