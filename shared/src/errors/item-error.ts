/**
 * Throw (or return as an item's result) when a batch request succeeded as a whole but the
 * platform rejected one ticket's entry: Cherwell's per-entry `hasError`, SFyC's per-result
 * `success: false`. The platform says whether it is retryable.
 */
export class ItemError extends Error {
  override readonly name = 'ItemError' as const;
  /** A stable code: FIELD_INVALID, RECORD_NOT_FOUND, LOCKED, ROLLED_BACK, or the platform's own. */
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, retryable: boolean) {
    super(message);
    this.code = code;
    this.retryable = retryable;
  }
}
