/**
 * How many requests a platform's batchers may have in flight in this process. The batcher asks
 * for a slot before each send and gives it back when the send ends.
 */
export interface ConcurrencyLimiter {
  acquire(): Promise<() => void>;
  /** Slots this process may use now. */
  readonly limit: number;
  readonly inUse: number;
}
