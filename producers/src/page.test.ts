import { describe, expect, test } from 'vitest';
import { cutUtf8, parsePage, planByPlatform, QUARANTINED_CHANGE_MAX_BYTES } from './page.ts';

const ticket = (id: string, version: number, extra: Record<string, unknown> = {}) => ({
  id,
  version,
  state: 'open',
  entity: 'GDL-NODO-0042/US-3',
  entityType: 'US Service Group',
  alarmType: 'SNR',
  severity: 'critical',
  alarmCount: 3,
  summary: 'SNR degradation',
  details: 'details',
  receivedAt: '2026-11-26T09:12:44Z',
  updatedAt: '2026-11-26T09:12:44Z',
  completedAt: null,
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
