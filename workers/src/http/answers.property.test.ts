import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  classify,
  ERROR_CODE_MAX_CHARS,
  InvalidResponseError,
  ItemError,
  OUTSIDE_MESSAGE_MAX_BYTES,
} from '@tbe/shared';
import { entryError, saveEntries } from '../cherwell/results.ts';
import * as cherwell from '../cherwell/schema.ts';
import { resultError } from '../sfyc/mapper.ts';
import * as sfyc from '../sfyc/schema.ts';
import { parseBody } from './client.ts';

// For any answer a platform may send (garbage, the wrong shape, the right shape with hostile
// values), the parsers answer with data or a classified error, never anything else, and the
// verdict of that error is bounded (operations.md: 1 KiB of message, `other` for unknown codes).

const RUNS = { numRuns: 300 };
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 3000 }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** The answer's text: arbitrary JSON, or a near-valid answer from `answer`. */
const answerText = (answer: fc.Arbitrary<unknown>) =>
  fc.oneof(
    text,
    fc.jsonValue().map((v) => JSON.stringify(v)),
    answer.map((v) => JSON.stringify(v)),
  );

function parsedOrClassified<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(classify(error).code).toBe('INVALID_RESPONSE');
    return undefined;
  }
}

function expectBounded(error: unknown): void {
  const verdict = classify(error);
  expect(Buffer.byteLength(verdict.message, 'utf8')).toBeLessThanOrEqual(OUTSIDE_MESSAGE_MAX_BYTES);
  expect(verdict.code.length).toBeLessThanOrEqual(ERROR_CODE_MAX_CHARS);
  expect(['retry', 'permanent', 'wait']).toContain(verdict.disposition);
}

const cherwellEntry = fc.record(
  {
    hasError: fc.boolean(),
    busObRecId: maybe(fc.string()),
    errorCode: fc.option(text),
    errorMessage: fc.option(text),
    fieldValidationErrors: fc.option(
      fc.array(fc.record({ fieldId: fc.option(fc.string()), error: fc.option(text) }, { requiredKeys: [] }), {
        maxLength: 50,
      }),
    ),
  },
  { requiredKeys: ['hasError'] },
);
const cherwellSave = fc.record(
  {
    responses: fc.option(fc.array(cherwellEntry, { maxLength: 20 })),
    hasError: fc.option(fc.boolean()),
    errorCode: fc.option(text),
    errorMessage: fc.option(text),
  },
  { requiredKeys: [] },
);
const sfycResult = fc.record(
  {
    success: fc.boolean(),
    id: fc.option(fc.string()),
    errors: fc.option(
      fc.array(
        fc.record({
          code: fc.string({ minLength: 1, maxLength: 5000 }),
          field: fc.option(text),
          message: fc.option(text),
          retryable: fc.boolean(),
        }),
        { maxLength: 30 },
      ),
    ),
  },
  { requiredKeys: ['success'] },
);

describe('platform answer parsers, for any answer', () => {
  test('when Cherwell answers a save, then entries or a classified error, and each entry error is bounded', () => {
    fc.assert(
      fc.property(answerText(cherwellSave), fc.nat(25), (body, sent) => {
        const answer = parsedOrClassified(() => parseBody(body, cherwell.saveAnswer, 'Cherwell save'));
        if (!answer) return;
        const entries = parsedOrClassified(() => saveEntries(answer, sent));
        for (const entry of entries ?? []) {
          const error = entryError(entry, (fieldId) => fieldId);
          if (error === undefined) continue;
          expect(error).toBeInstanceOf(ItemError);
          expectBounded(error);
        }
      }),
      RUNS,
    );
  });

  test('when Cherwell answers anything else, then its schema gives data or a classified error', () => {
    const schemas = [
      cherwell.tokenAnswer,
      cherwell.searchAnswer,
      cherwell.summaryAnswer,
      cherwell.templateAnswer,
    ];
    fc.assert(
      fc.property(fc.constantFrom(...schemas), answerText(fc.anything()), (schema, body) => {
        parsedOrClassified(() => parseBody(body, schema as typeof cherwell.searchAnswer, 'Cherwell'));
      }),
      RUNS,
    );
  });

  test('when SFyC answers results, then results or a classified error, and each failed result is a bounded ItemError', () => {
    fc.assert(
      fc.property(answerText(fc.record({ results: fc.array(sfycResult, { maxLength: 20 }) })), (body) => {
        const answer = parsedOrClassified(() => parseBody(body, sfyc.resultsAnswer, 'SFyC'));
        for (const result of answer?.results ?? []) {
          if (result.success) continue;
          const error = resultError(result);
          expect(error).toBeInstanceOf(ItemError);
          expectBounded(error);
        }
      }),
      RUNS,
    );
  });

  test('when SFyC answers a token or a search, then data or a classified error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(sfyc.tokenAnswer, sfyc.searchAnswer),
        answerText(fc.anything()),
        (schema, body) => {
          parsedOrClassified(() => parseBody(body, schema as typeof sfyc.searchAnswer, 'SFyC'));
        },
      ),
      RUNS,
    );
  });
});
