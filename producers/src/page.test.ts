import { describe, expect, test } from 'vitest';
import { describeIssues, REASON_MAX_BYTES } from '@tbe/shared';
import { z } from 'zod';
import { aTicket } from '@tbe/shared/testing';
import {
  cutUtf8,
  MAX_QUARANTINED_PER_PAGE,
  parsePage,
  planByPlatform,
  QUARANTINED_CHANGE_MAX_BYTES,
} from './page.ts';

/** `{"a":{"a":...}}` nested `depth` times, built without recursion. */
const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

const ticket = (id: string, version: number, extra: Record<string, unknown> = {}) => ({
  ...aTicket({ id, version }),
  ...extra,
});
const change = (seq: number, id: string, version: number, extra: Record<string, unknown> = {}) => ({
  seq,
  platforms: ['cherwell', 'sfyc'],
  ticket: ticket(id, version, extra),
});

describe('parsePage', () => {
  test('when one change is invalid, then it is set aside with every bad field by path and the others pass', () => {
    const bad = change(2, 'WM-2', 1, { severity: 'huge', alarmCount: -1 });
    const page = parsePage({
      changes: [change(1, 'WM-1', 1), bad, change(3, 'WM-3', 1)],
      cursor: '3',
      hasMore: false,
    });
    if (!page.ok) throw new Error(page.reason);
    expect(page.changes.map((c) => c.seq)).toEqual([1, 3]);
    expect(page.received).toBe(3);
    expect(page.quarantined).toEqual([
      {
        seq: 2,
        ticketId: 'WM-2',
        reason:
          'ticket.severity: expected one of critical, major, minor; ticket.alarmCount: expected an integer >= 0',
        change: JSON.stringify(bad),
      },
    ]);
  });

  test('when a change is not even an object, then it is quarantined without seq or ticket id', () => {
    const page = parsePage({ changes: ['nope'], cursor: '9', hasMore: false });
    expect(page).toMatchObject({ ok: true, quarantined: [{ seq: null, ticketId: null, change: '"nope"' }] });
  });

  test('when the envelope is wrong, then the whole page fails', () => {
    expect(parsePage({ changes: { seq: 1 }, cursor: 17, hasMore: 'maybe' })).toMatchObject({ ok: false });
    expect(parsePage('text')).toMatchObject({ ok: false });
    // Changes that could never be moved past.
    expect(parsePage({ changes: [change(1, 'WM-1', 1)], hasMore: false })).toMatchObject({ ok: false });
    expect(parsePage({ changes: [change(1, 'WM-1', 1)], cursor: '', hasMore: false })).toMatchObject({
      ok: false,
    });
  });

  test('when the feed is empty, then there is no cursor and that is fine', () => {
    expect(parsePage({ changes: [], hasMore: false })).toMatchObject({
      ok: true,
      cursor: undefined,
      received: 0,
    });
  });

  test('when a quarantined change is long, then its JSON is cut at 4 KiB', () => {
    const page = parsePage({
      changes: [change(1, 'WM-1', 0, { details: 'é'.repeat(10_000) })],
      cursor: '1',
      hasMore: false,
    });
    if (!page.ok) throw new Error(page.reason);
    expect(Buffer.byteLength(page.quarantined[0]?.change ?? '', 'utf8')).toBeLessThanOrEqual(
      QUARANTINED_CHANGE_MAX_BYTES,
    );
    expect(page.quarantined[0]?.change.length).toBeGreaterThan(2000);
  });
});

describe('hostile pages', () => {
  test('when a change is nested a million levels deep, then it is quarantined (cut at 4 KiB) and the page goes on', () => {
    const deep = { ...change(2, 'WM-2', 1), ticket: nested(1_000_000) };
    const page = parsePage({ changes: [change(1, 'WM-1', 1), deep], cursor: '2', hasMore: false });
    if (!page.ok) throw new Error(page.reason);
    expect(page.changes.map((c) => c.seq)).toEqual([1]);
    expect(page.quarantined).toHaveLength(1);
    expect(
      page.quarantined[0]?.change.startsWith('{"seq":2,"platforms":["cherwell","sfyc"],"ticket":{"a":{"a":'),
    ).toBe(true);
    expect(Buffer.byteLength(page.quarantined[0]?.change ?? '', 'utf8')).toBeLessThanOrEqual(
      QUARANTINED_CHANGE_MAX_BYTES,
    );
  });

  test('when a change has 100,000 bad platforms, then its reason names 20 paths, how many more, in at most 2 KiB', () => {
    const platforms = Array.from({ length: 100_000 }, (_, i) => `p${i}`);
    const page = parsePage({
      changes: [{ ...change(1, 'WM-1', 1), platforms }],
      cursor: '1',
      hasMore: false,
    });
    if (!page.ok) throw new Error(page.reason);
    const reason = page.quarantined[0]?.reason ?? '';
    expect(reason).toBe('platforms: expected a non-empty subset of cherwell, sfyc');
  });

  test('when more than 20 fields are invalid, then the reason names the first 20 and counts the rest', () => {
    const parsed = z.array(z.string({ error: 'expected a string' })).safeParse(Array(100_000).fill(1));
    if (parsed.success) throw new Error('expected a failure');
    const reason = describeIssues(parsed.error);
    expect(reason.split('; ').slice(0, 20)).toEqual(
      Array.from({ length: 20 }, (_, i) => `${i}: expected a string`),
    );
    expect(reason.endsWith('; 19: expected a string; and 99980 more')).toBe(true);
    const long = z.array(z.string({ error: `expected ${'x'.repeat(500)}` })).safeParse(Array(30).fill(1));
    if (long.success) throw new Error('expected a failure');
    expect(Buffer.byteLength(describeIssues(long.error), 'utf8')).toBeLessThanOrEqual(REASON_MAX_BYTES);
    expect(describeIssues(long.error)).toMatch(/…; and 10 more$/);
  });

  test('when an envelope has a million invalid elements, then its reason stays within 2 KiB', () => {
    const page = parsePage({ changes: [], cursor: '1', hasMore: Array.from({ length: 10 }, () => 1) });
    expect(page).toMatchObject({ ok: false });
    const manyKeys = parsePage({ changes: 'x'.repeat(1_000_000), cursor: 'y'.repeat(100), hasMore: 1 });
    if (manyKeys.ok) throw new Error('expected a failed envelope');
    expect(Buffer.byteLength(manyKeys.reason, 'utf8')).toBeLessThanOrEqual(REASON_MAX_BYTES);
  });

  test('when a page holds more invalid changes than WM may ever send, then the first 1,000 are kept and all are counted', () => {
    const changes = [...Array.from({ length: 5000 }, () => ({})), change(9, 'WM-9', 1)];
    const page = parsePage({ changes, cursor: '9', hasMore: false });
    if (!page.ok) throw new Error(page.reason);
    expect(page.invalid).toBe(5000);
    expect(page.quarantined).toHaveLength(MAX_QUARANTINED_PER_PAGE);
    expect(page.changes.map((c) => c.seq)).toEqual([9]);
  });
});

describe('hostile cursors', () => {
  test('when WM sends a cursor no URL could carry, then the page fails as an invalid envelope (cursor kept)', () => {
    const page = parsePage({ changes: [change(1, 'WM-1', 1)], cursor: 'c'.repeat(1_000_000), hasMore: true });
    expect(page).toEqual({ ok: false, reason: 'cursor: expected at most 1024 characters' });
    expect(parsePage({ changes: [], cursor: 'c'.repeat(1024), hasMore: false })).toMatchObject({ ok: true });
  });
});

describe('cutUtf8', () => {
  test('when the cut falls inside a character, then the whole character is left out', () => {
    expect(cutUtf8('aé', 2)).toBe('a');
    expect(cutUtf8('aé', 3)).toBe('aé');
    expect(cutUtf8('€€', 4)).toBe('€');
  });
});

describe('planByPlatform', () => {
  test('when a page holds several versions of a ticket, then each platform gets the newest once', () => {
    const page = parsePage({
      changes: [
        change(1, 'WM-1', 1),
        change(2, 'WM-2', 1),
        change(3, 'WM-1', 4),
        { ...change(4, 'WM-3', 1), platforms: ['sfyc'] },
      ],
      cursor: '4',
      hasMore: false,
    });
    if (!page.ok) throw new Error(page.reason);
    const plan = planByPlatform(page.changes);
    expect(plan.get('cherwell')?.map((p) => [p.ticket.id, p.ticket.version, p.seq])).toEqual([
      ['WM-1', 4, 3],
      ['WM-2', 1, 2],
    ]);
    expect(plan.get('sfyc')?.map((p) => p.ticket.id)).toEqual(['WM-1', 'WM-2', 'WM-3']);
  });
});
