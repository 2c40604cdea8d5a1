import { InvalidResponseError } from '@tbe/shared';
import { describe, expect, test } from 'vitest';
import { entryError, saveEntries, stableCode } from './results.ts';

const ok = { busObPublicId: '1', busObRecId: 'r1', hasError: false };

describe('cherwell save results', () => {
  test('when fields are refused, then the entry fails permanently naming the fields', () => {
    const error = entryError(
      {
        hasError: true,
        fieldValidationErrors: [{ fieldId: 'f1', error: 'Required' }],
        errorCode: 'GENERALFAILURE',
      },
      (id) => (id === 'f1' ? 'Urgency' : id),
    );
    expect(error).toMatchObject({ code: 'FIELD_INVALID', retryable: false });
    expect(error?.message).toContain('Urgency: Required');
  });

  test('when the record is gone, then the entry fails permanently with RECORD_NOT_FOUND', () => {
    expect(entryError({ hasError: true, errorCode: 'RECORDNOTFOUND' }, String)).toMatchObject({
      code: 'RECORD_NOT_FOUND',
      retryable: false,
    });
  });

  test('when the entry failed otherwise, then it is retryable with Cherwell code', () => {
    expect(entryError({ hasError: true, errorCode: 'LOCKED', errorMessage: 'x' }, String)).toMatchObject({
      code: 'LOCKED',
      retryable: true,
    });
    expect(entryError({ hasError: true }, String)).toMatchObject({ code: 'SAVE_FAILED', retryable: true });
    expect(entryError(ok, String)).toBeUndefined();
    expect(stableCode(' record locked ')).toBe('RECORD_LOCKED');
  });

  test('when the whole save failed or the count differs, then the request throws', () => {
    expect(() => saveEntries({ responses: [], hasError: true, errorCode: 'X' }, 2)).toThrow(
      InvalidResponseError,
    );
    expect(() => saveEntries({ responses: [ok] }, 2)).toThrow(InvalidResponseError);
    expect(saveEntries({ responses: [ok, ok], hasError: true }, 2)).toHaveLength(2);
  });
});
