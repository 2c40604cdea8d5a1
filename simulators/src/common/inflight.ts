/**
 * Requests in flight and the WM ticket ids each touches. Two at once touching one id is the
 * `overlapping-requests` violation: per WM ticket and platform, operations never run concurrently.
 */
export class InFlight {
  readonly #active = new Map<number, readonly string[]>();

  /** Registers a request; answers the ids it shares with requests already in flight. */
  begin(requestId: number, ticketIds: readonly string[]): string[] {
    const shared = new Set<string>();
    for (const ids of this.#active.values()) {
      for (const id of ids) if (ticketIds.includes(id)) shared.add(id);
    }
    if (ticketIds.length > 0) this.#active.set(requestId, ticketIds);
    return [...shared];
  }

  end(requestId: number): void {
    this.#active.delete(requestId);
  }

  clear(): void {
    this.#active.clear();
  }
}
