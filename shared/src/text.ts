// Bounded text: whatever comes from outside (WM, a platform) is kept and shown only up to a size,
// so one hostile answer cannot grow the state, the logs or a heap without limit.

/** Error messages that come from WM or a platform are kept, shown and reported cut to this (operations.md). */
export const OUTSIDE_MESSAGE_MAX_BYTES = 1024;

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never splitting a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  // Fast path without encoding: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes) return text;
  // Encode no more than can matter: maxBytes characters are at least maxBytes bytes.
  const head = text.length > maxBytes ? text.slice(0, maxBytes + 1) : text;
  const bytes = Buffer.from(head, 'utf8');
  // Only a whole text can fit: a head of maxBytes + 1 characters has more bytes than that.
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls on a character boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

/** A message from outside as kept and shown: at most 1 KiB (a cut one ends in `…`). */
export function boundedMessage(text: string, maxBytes = OUTSIDE_MESSAGE_MAX_BYTES): string {
  const cut = cutUtf8(text, maxBytes);
  return cut.length === text.length ? text : `${cutUtf8(cut, maxBytes - 3)}…`;
}

class Full extends Error {}

/**
 * JSON of any value, cut at `maxBytes` (a prefix of what JSON.stringify would give, when that
 * succeeds). Unlike JSON.stringify it never throws: depth is bounded by the budget (every level
 * writes at least one byte), so a deeply nested value cannot overflow the stack, and a huge one
 * stops being read once the budget is spent. Cycles, BigInts and the like are written as `null`.
 */
export function boundedJson(value: unknown, maxBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  const emit = (part: string): void => {
    parts.push(part);
    size += part.length;
    // Counted in UTF-16 units first (cheap); the exact cut is made in bytes at the end.
    if (size > maxBytes) throw new Full();
  };
  const seen = new Set<object>();
  const write = (item: unknown): void => {
    if (item === null || typeof item === 'boolean') return emit(String(item));
    if (typeof item === 'number') return emit(Number.isFinite(item) ? String(item) : 'null');
    if (typeof item === 'string') return emit(JSON.stringify(cutUtf8(item, maxBytes + 1)));
    if (typeof item !== 'object' || seen.has(item)) return emit('null');
    seen.add(item);
    if (Array.isArray(item)) {
      emit('[');
      item.forEach((element: unknown, i) => {
        if (i > 0) emit(',');
        write(element === undefined || typeof element === 'function' ? null : element);
      });
      emit(']');
    } else {
      emit('{');
      let first = true;
      for (const [key, element] of Object.entries(item)) {
        if (element === undefined || typeof element === 'function') continue;
        emit(`${first ? '' : ','}${JSON.stringify(cutUtf8(key, maxBytes + 1))}:`);
        first = false;
        write(element);
      }
      emit('}');
    }
    seen.delete(item);
  };
  try {
    write(value);
  } catch (error) {
    if (!(error instanceof Full)) throw error;
  }
  return cutUtf8(parts.join(''), maxBytes);
}
