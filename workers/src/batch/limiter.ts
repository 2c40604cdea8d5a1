/**
 * How many requests a platform's batchers may have in flight in this process. The batcher asks
 * for a slot before each send and gives it back when the send ends.
 */
export interface ConcurrencyLimiter {
  /** Waits for a slot; higher `priority` waiters are served first. Answers its release. */
  acquire(priority?: number): Promise<() => void>;
  /** Slots this process may use now. */
  readonly limit: number;
  readonly inUse: number;
  /** Told when `limit` changed by itself (not by a setting): the worker sizes its job intake by it. */
  onLimitChange?(listener: () => void): void;
}
