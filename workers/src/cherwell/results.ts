import { InvalidResponseError, ItemError } from '@tbe/shared';
import type { SaveAnswer, SaveEntry } from './schema.ts';

/**
 * The per-entry answers of one savebusinessobjectbatch, one per save request in request order.
 * A top-level failure with no entries failed the whole request (retryable; entries before a
 * failure may have been saved, so the outcome counts as unknown); a count that does not match
 * cannot be attributed to items.
 */
export function saveEntries(answer: SaveAnswer, sent: number): SaveEntry[] {
  const responses = answer.responses ?? [];
  if (answer.hasError && responses.length === 0) {
    const why = [answer.errorCode, answer.errorMessage].filter(Boolean).join(': ');
    throw new InvalidResponseError(`Cherwell failed the whole save${why ? `: ${why}` : ''}`);
  }
  if (responses.length !== sent) {
    throw new InvalidResponseError(`Cherwell answered ${responses.length} entries for ${sent} save requests`);
  }
  return responses;
}

/**
 * What a failed entry means (cherwell.md): field validation errors and RECORDNOTFOUND are
 * permanent for that ticket; anything else (a lock, ...) is retryable for that ticket alone.
 */
export function entryError(entry: SaveEntry, fieldName: (fieldId: string) => string): ItemError | undefined {
  if (!entry.hasError) return undefined;
  const invalid = entry.fieldValidationErrors ?? [];
  if (invalid.length > 0) {
    const listed = invalid.map((f) => {
      const name = f.fieldId ? fieldName(f.fieldId) : '(unnamed field)';
      return f.error ? `${name}: ${f.error}` : name;
    });
    return new ItemError('FIELD_INVALID', `Cherwell refused fields: ${listed.join('; ')}`, false);
  }
  const message = entry.errorMessage ?? 'Cherwell refused the entry';
  const code = stableCode(entry.errorCode);
  if (code === 'RECORDNOTFOUND') return new ItemError('RECORD_NOT_FOUND', message, false);
  return new ItemError(code ?? 'SAVE_FAILED', message, true);
}

/** Cherwell's errorCode as a stable code: upper case, words joined by `_`. */
export function stableCode(errorCode: string | null | undefined): string | undefined {
  const code = (errorCode ?? '')
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return code === '' ? undefined : code;
}
