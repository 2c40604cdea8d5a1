import type { Verdict } from '@tbe/shared';

/**
 * Thrown by the platform processor to hand a failed try to BullMQ for a retry. Carries the
 * classifier's verdict so the backoff strategy can honour `Retry-After`.
 */
export class OperationFailedError extends Error {
  override readonly name = 'OperationFailedError' as const;
  readonly verdict: Verdict;

  constructor(verdict: Verdict) {
    super(`${verdict.code}: ${verdict.message}`);
    this.verdict = verdict;
  }
}
