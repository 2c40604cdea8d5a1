/** How much a platform can take: settable at run time (in process and over `/_sim/settings`). */
export interface CapacitySettings {
  /** Requests in flight served at the base latency; beyond, latency grows with the load. Null: no limit. */
  capacity: number | null;
  /** Above this many requests in flight a request is answered 429 at once. Null: never. */
  hardLimit: number | null;
  /** `Retry-After` of those 429s, in seconds. */
  retryAfterS: number;
}

/** What the load has been since the last reset (GET `/_sim/load`). */
export interface LoadFigures {
  inFlight: number;
  peakInFlight: number;
  /** API requests admitted (served at some latency). */
  admitted: number;
  /** API requests answered 429 for being above the hard limit. */
  rejected: number;
}

export const DEFAULT_CAPACITY: CapacitySettings = { capacity: null, hardLimit: null, retryAfterS: 1 };

/**
 * A platform's capacity, the way a real one behaves: up to `capacity` requests in flight are
 * served at the base latency; beyond, they share the platform, so each takes longer in
 * proportion (latency x load / capacity); above `hardLimit`, the platform sheds the request with
 * 429 and `Retry-After`. Only API requests count (token requests go to another service).
 */
export class Capacity {
  settings: CapacitySettings = { ...DEFAULT_CAPACITY };
  #inFlight = 0;
  #peak = 0;
  #admitted = 0;
  #rejected = 0;

  /**
   * A request arrives: answers `reject` when it is over the hard limit, else the factor its
   * latency is multiplied by, and the function to call when it ends.
   */
  begin(): { reject: true } | { reject: false; latencyFactor: number; end: () => void } {
    const load = this.#inFlight + 1;
    const { capacity, hardLimit } = this.settings;
    if (hardLimit !== null && load > hardLimit) {
      this.#rejected += 1;
      return { reject: true };
    }
    this.#inFlight = load;
    this.#peak = Math.max(this.#peak, load);
    this.#admitted += 1;
    let ended = false;
    return {
      reject: false,
      latencyFactor: capacity === null ? 1 : Math.max(1, load / capacity),
      end: () => {
        if (ended) return;
        ended = true;
        this.#inFlight -= 1;
      },
    };
  }

  set(patch: Partial<CapacitySettings>): void {
    this.settings = { ...this.settings, ...patch };
  }

  figures(): LoadFigures {
    return {
      inFlight: this.#inFlight,
      peakInFlight: this.#peak,
      admitted: this.#admitted,
      rejected: this.#rejected,
    };
  }

  /** Counters back to zero (requests in flight stay counted until they end). */
  resetFigures(): void {
    this.#peak = this.#inFlight;
    this.#admitted = 0;
    this.#rejected = 0;
  }

  reset(): void {
    this.settings = { ...DEFAULT_CAPACITY };
    this.resetFigures();
  }
}
