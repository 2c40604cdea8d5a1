/**
 * Throw when a platform or WM answered a whole request with a non-success HTTP status that the
 * client did not handle itself (401 is re-authenticated and 413 split before this is thrown).
 * `retryAfterMs` carries a parsed `Retry-After`; the body is kept short and never holds secrets.
 */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError' as const;
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  /** A short description from the answer's body, when it had one. */
  readonly detail: string | undefined;

  constructor(status: number, options: { retryAfterMs?: number; detail?: string; url?: string } = {}) {
    super(
      `HTTP ${status}${options.url ? ` from ${options.url}` : ''}${options.detail ? `: ${options.detail}` : ''}`,
    );
    this.status = status;
    this.retryAfterMs = options.retryAfterMs;
    this.detail = options.detail;
  }
}
