/**
 * `Retry-After` as milliseconds to wait: delay-seconds (RFC 9110 §10.2.3) or an HTTP date,
 * measured against `nowMs`. A date in the past waits 0. Absent or unreadable: undefined, and the
 * caller falls back to its own backoff. Capping (`BACKOFF_MAX_MS`) is the flow's business.
 */
export function parseRetryAfterMs(
  value: string | readonly string[] | undefined,
  nowMs: number,
): number | undefined {
  const first: string | undefined = typeof value === 'string' ? value : value?.[0];
  const text = first?.trim();
  if (text === undefined || text === '') return undefined;
  // Integers per the RFC; fractions are tolerated because gateways send them.
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // HTTP dates always name a day or month; this keeps Date.parse from reading "-5" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}
