export const NETWORK_ERROR_CODES = ['TIMEOUT', 'CONNECTION_RESET', 'CONNECTION_REFUSED', 'NETWORK'] as const;
export type NetworkErrorCode = (typeof NETWORK_ERROR_CODES)[number];

/**
 * Throw when a request got no HTTP answer: it timed out, the connection was reset or refused.
 * For a write the outcome is unknown: the platform may have applied it.
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError' as const;
  readonly code: NetworkErrorCode;

  constructor(code: NetworkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
