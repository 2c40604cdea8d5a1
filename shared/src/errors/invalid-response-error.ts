/**
 * Throw when an answer with a success status cannot be read: not JSON, the wrong shape, or a
 * per-item list whose length does not match the request. Retryable; for a write the outcome
 * is unknown.
 */
export class InvalidResponseError extends Error {
  override readonly name = 'InvalidResponseError' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
