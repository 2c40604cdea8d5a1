import { NetworkError, type NetworkErrorCode } from '@tbe/shared';

// Node and undici name their failures with stable codes; the decision is made on those codes
// only (never on message text). Unknown codes are plain NETWORK trouble.
const BY_CODE: Readonly<Record<string, NetworkErrorCode>> = {
  ETIMEDOUT: 'TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'TIMEOUT',
  ECONNRESET: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
  ECONNABORTED: 'CONNECTION_RESET',
  // undici: "other side closed": the server closed the connection before answering.
  UND_ERR_SOCKET: 'CONNECTION_RESET',
  ECONNREFUSED: 'CONNECTION_REFUSED',
};

/** The first code on the error or its causes that says what happened. */
export function networkCodeOf(error: unknown): { code: NetworkErrorCode; raw: string | undefined } {
  let raw: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      raw ??= code;
      const mapped = BY_CODE[code];
      if (mapped) return { code: mapped, raw: code };
    }
    current = current.cause;
  }
  return { code: 'NETWORK', raw };
}

/**
 * A failure with no HTTP answer as the shared NetworkError. `timedOut`: our own deadline fired
 * (the request was aborted by us), which is a TIMEOUT whatever the abort surfaced as.
 */
export function toNetworkError(
  error: unknown,
  timedOut: boolean,
  what: string,
  timeoutMs: number,
): NetworkError {
  if (timedOut)
    return new NetworkError('TIMEOUT', `no answer within ${timeoutMs} ms from ${what}`, { cause: error });
  const { code, raw } = networkCodeOf(error);
  const suffix = raw === undefined ? '' : ` (${raw})`;
  const text: Record<NetworkErrorCode, string> = {
    TIMEOUT: 'timed out',
    CONNECTION_RESET: 'connection reset',
    CONNECTION_REFUSED: 'connection refused',
    NETWORK: 'network failure',
  };
  return new NetworkError(code, `${text[code]}${suffix} on ${what}`, { cause: error });
}
