import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { REASON_MAX_BYTES } from '@tbe/shared';
import { parsePage, QUARANTINED_CHANGE_MAX_BYTES } from './page.ts';

// For any page WM may send, the parser answers (a failed envelope with a reason, or the page with
// every change either valid or quarantined with a bounded reason and raw change) and never throws.

const RUNS = { numRuns: 300 };
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Values near a change: the right keys with anything in them, deeper nesting, long strings. */
const nearChange = fc.record(
  {
    seq: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
    platforms: fc.oneof(
      fc.array(fc.constantFrom('cherwell', 'sfyc', 'jira', ''), { maxLength: 5 }),
      fc.anything(),
    ),
    ticket: fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          'id',
          'version',
          'state',
          'entity',
          'summary',
          'details',
          'receivedAt',
          'completedAt',
        ),
        fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.anything({ maxDepth: 4 })),
      ),
      fc.anything({ maxDepth: 6 }),
    ),
  },
  { requiredKeys: [] },
);

function checkPage(page: ReturnType<typeof parsePage>, sent: number | undefined): void {
  if (!page.ok) {
    expect(bytes(page.reason)).toBeLessThanOrEqual(REASON_MAX_BYTES);
    return;
  }
  if (sent !== undefined) {
    expect(page.received).toBe(sent);
    expect(page.changes.length + page.invalid).toBe(sent);
  }
  for (const entry of page.quarantined) {
    expect(bytes(entry.reason)).toBeLessThanOrEqual(REASON_MAX_BYTES);
    expect(entry.reason.length).toBeGreaterThan(0);
    expect(bytes(entry.change)).toBeLessThanOrEqual(QUARANTINED_CHANGE_MAX_BYTES);
  }
}

describe('WM page parser, for any input', () => {
  test('when the body is any JSON value at all, then it answers and never throws', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (body) =>
        checkPage(parsePage(body), undefined),
      ),
      RUNS,
    );
  });

  test('when a page holds any changes, then each is valid or quarantined, bounded, and all are counted', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(nearChange, fc.anything({ maxDepth: 8 })), { maxLength: 30 }),
        fc.string({ minLength: 1 }),
        fc.boolean(),
        (changes, cursor, hasMore) => checkPage(parsePage({ changes, cursor, hasMore }), changes.length),
      ),
      RUNS,
    );
  });
});
