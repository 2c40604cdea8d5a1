/**
 * Throw when a token endpoint is in transient trouble (5xx, timeout, reset): requests wait for a
 * token and no ticket is charged (operations.md).
 */
export class TokenUnavailableError extends Error {
  override readonly name = 'TokenUnavailableError' as const;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}
