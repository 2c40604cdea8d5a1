import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PLATFORMS, settingsPatchSchema } from '@tbe/shared';
import { AdminError } from './errors.ts';
import { inputSchemas } from './http/api.ts';
import { parseInput } from './validation.ts';

// For any body or query, the admin API's input schemas answer with the input or a 400 naming the
// bad fields (operations.md), never with anything else.

const RUNS = { numRuns: 300 };
const bodies = [
  inputSchemas.processingBody,
  inputSchemas.retryBody,
  ...PLATFORMS.map((platform) => settingsPatchSchema(platform)),
];
const queries = [inputSchemas.pageQuery, inputSchemas.ticketsQuery];

/** Near-valid bodies: the right keys with anything in them. */
const nearBody = fc.dictionary(
  fc.constantFrom(
    'enabled',
    'ids',
    'all',
    'maxRetries',
    'maxTicketsPerRequest',
    'batchWaitMs',
    'maxInFlight',
    'x',
  ),
  fc.oneof(fc.boolean(), fc.integer(), fc.double(), fc.string(), fc.array(fc.string()), fc.anything()),
);
/** Query strings as the router gives them: names to strings. */
const query = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'platform', 'state', 'x'),
  fc.oneof(
    fc.string(),
    fc.integer().map(String),
    fc.constantFrom('cherwell', 'sfyc', 'error', '1e3', ' 5 ', '-0'),
  ),
);

function answers(
  schema: (typeof bodies)[number] | (typeof queries)[number],
  input: unknown,
  root: 'body' | 'query',
): void {
  try {
    parseInput(schema, input, root);
  } catch (error) {
    expect(error).toBeInstanceOf(AdminError);
    const admin = error as AdminError;
    expect(admin.status).toBe(400);
    const body = admin.toBody().error;
    expect(body.fields?.length).toBeGreaterThan(0);
    for (const field of body.fields ?? []) {
      expect(field.path).toMatch(/\S/);
      expect(field.message).toMatch(/\S/);
    }
  }
}

describe('admin API input schemas, for any input', () => {
  test('when a body is anything, then it parses or answers 400 with fields', () => {
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.oneof(nearBody, fc.anything()), (schema, input) =>
        answers(schema, input, 'body'),
      ),
      RUNS,
    );
  });

  test('when a query is anything, then it parses or answers 400 with fields', () => {
    fc.assert(
      fc.property(fc.constantFrom(...queries), query, (schema, input) => answers(schema, input, 'query')),
      RUNS,
    );
  });
});
