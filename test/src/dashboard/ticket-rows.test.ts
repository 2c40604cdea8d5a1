import { afterEach, describe, expect, test } from 'vitest';
import {
  encodeRecord,
  stateFields,
  TicketStore,
  type Platform,
  type Ticket,
  type TicketState,
} from '@tbe/shared';
import { aTicket } from '@tbe/shared/testing';
import type { TicketRow } from '@tbe/dashboard';
import { startDashboardHarness, type DashboardHarness, type Page, type TicketListItem } from './harness.ts';

let h: DashboardHarness;
afterEach(async () => {
  await h.close();
});

const T0 = Date.parse('2026-11-26T09:40:00Z');

/**
 * A WM version stored for the platform: as the producer stores it (a string), or as releases
 * before did (a hash with the compact record `t`, or with the ticket's `json`).
 */
async function storeVersion(
  platform: Platform,
  ticketId: string,
  entity: string,
  severity: Ticket['severity'] = 'major',
  layout: 'string' | 'hash-t' | 'hash-json' = 'string',
) {
  const item = aTicket({ id: ticketId, entity, alarmType: 'SNR', severity, summary: `SNR low on ${entity}` });
  const key = h.keys.ticket(platform, ticketId);
  if (layout === 'string') await new TicketStore(h.redis, h.keys).putLatest(platform, item, 1);
  else if (layout === 'hash-t') await h.redis.hset(key, 'version', '1', 't', encodeRecord(item, 1));
  else await h.redis.hset(key, 'version', '1', 'json', JSON.stringify(item), 'seq', '1');
}

async function move(
  platform: Platform,
  ticketId: string,
  state: TicketState,
  atMs: number,
  fields: Parameters<typeof stateFields>[0] = {},
) {
  await h.overview.transition([{ platform, ticketId, state, fields: stateFields(fields), nowMs: atMs }]);
}

async function allPages<T extends { ticketId: string }>(path: string): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const answer: { status: number; body: Page<T> } = await h.api<Page<T>>('GET', `${path}&cursor=${cursor}`);
    expect(answer.status).toBe(200);
    pages.push(answer.body.items.map((item) => item.ticketId));
    cursor = answer.body.next;
  }
  return pages;
}

describe('admin API: the overview for the ticket page', () => {
  test('when tickets are listed one row per ticket, then each WM ticket shows once with its entity, severity and every platform, at its newest change', async () => {
    h = await startDashboardHarness();
    for (let i = 1; i <= 6; i++) {
      await storeVersion('cherwell', `WM-${i}`, `GDL-NODO-${i}/US-1`);
      await storeVersion('sfyc', `WM-${i}`, `GDL-NODO-${i}/US-1`);
      await move('cherwell', `WM-${i}`, 'created', T0 + i * 1000, {
        platformId: `10${i}`,
        workOrder: `OT-${i}`,
      });
      // Each ticket is on both platforms at other times: a listing per platform row would show it twice.
      await move('sfyc', `WM-${i}`, i === 2 ? 'error' : 'created', T0 + 10_000 - i * 1000, {
        attempts: { create: 4 },
      });
    }

    const first = await h.api<Page<TicketRow>>('GET', '/api/tickets?group=ticket&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items[0]).toEqual({
      ticketId: 'WM-1',
      entity: 'GDL-NODO-1/US-1',
      alarmType: 'SNR',
      severity: 'major',
      summary: 'SNR low on GDL-NODO-1/US-1',
      updatedAt: new Date(T0 + 9000).toISOString(),
      platforms: {
        cherwell: expect.objectContaining({
          state: 'created',
          platformId: '101',
          workOrder: 'OT-1',
        }) as unknown,
        sfyc: expect.objectContaining({ state: 'created', attempts: { create: 4 } }) as unknown,
      },
    });
    const pages = await allPages<TicketRow>('/api/tickets?group=ticket&limit=2');
    // Newest change first: WM-1..4 by sfyc (9 s..6 s), WM-6 by cherwell (6 s, after sfyc on the tie), WM-5 (5 s).
    expect(pages.flat()).toEqual(['WM-1', 'WM-2', 'WM-3', 'WM-4', 'WM-6', 'WM-5']);
    expect(new Set(pages.flat()).size).toBe(6);

    // Filtered by state, a row is placed by the entry that matches: WM-2 is in error on sfyc only.
    const errors = await h.api<Page<TicketRow>>('GET', '/api/tickets?group=ticket&state=error');
    expect(errors.body.items.map((row) => [row.ticketId, row.platforms.cherwell?.state])).toEqual([
      ['WM-2', 'created'],
    ]);
    // The contract's listing is unchanged: one item per platform, with the WM fields added.
    const plain = await h.api<Page<TicketListItem>>('GET', '/api/tickets?limit=3');
    expect(plain.body.items.map((item) => `${item.platform}/${item.ticketId}`)).toEqual([
      'sfyc/WM-1',
      'sfyc/WM-2',
      'sfyc/WM-3',
    ]);
    expect(plain.body.items[0]).toMatchObject({
      entity: 'GDL-NODO-1/US-1',
      alarmType: 'SNR',
      severity: 'major',
    });
  });

  test('when stored versions were written by this release and by releases before, then each row shows its WM fields', async () => {
    h = await startDashboardHarness();
    const layouts = ['string', 'hash-t', 'hash-json'] as const;
    for (const [i, layout] of layouts.entries()) {
      await storeVersion('cherwell', `WM-L${i}`, `NODO-${layout}`, 'minor', layout);
      await move('cherwell', `WM-L${i}`, 'queued', T0 + i);
    }
    const { body } = await h.api<Page<TicketRow>>('GET', '/api/tickets?group=ticket&q=nodo-');
    expect(
      body.items.map(({ ticketId, entity, severity, summary }) => [ticketId, entity, severity, summary]),
    ).toEqual(
      [2, 1, 0].map((i) => [`WM-L${i}`, `NODO-${layouts[i]!}`, 'minor', `SNR low on NODO-${layouts[i]!}`]),
    );
  });

  test('when the overview is searched by text, then the WM id, the entity, a platform id or an OT number finds the ticket, in any case', async () => {
    h = await startDashboardHarness();
    await storeVersion('cherwell', 'WM-100', 'MTY-NODO-7/US-2');
    await move('cherwell', 'WM-100', 'created', T0, { platformId: '998877', workOrder: 'OT-4242' });
    await storeVersion('sfyc', 'WM-200', 'GDL-NODO-1/US-1');
    await move('sfyc', 'WM-200', 'error', T0 + 1, { lastError: { code: 'FIELD_INVALID', message: 'x' } });

    for (const [text, expected] of [
      ['wm-100', ['WM-100']],
      ['mty-nodo', ['WM-100']],
      ['998877', ['WM-100']],
      ['ot-4242', ['WM-100']],
      ['NODO', ['WM-200', 'WM-100']],
      ['nothing-like-it', []],
    ] as const) {
      for (const group of ['ticket', 'platform']) {
        const answer = await h.api<Page<TicketRow>>(
          'GET',
          `/api/tickets?group=${group}&q=${encodeURIComponent(text)}`,
        );
        expect(answer.status, `${group} ${text}`).toBe(200);
        expect(
          answer.body.items.map((row) => row.ticketId),
          `${group} ${text}`,
        ).toEqual(expected);
      }
    }
    const combined = await h.api<Page<TicketRow>>('GET', '/api/tickets?group=ticket&q=nodo&state=error');
    expect(combined.body.items.map((row) => row.ticketId)).toEqual(['WM-200']);
    const tooLong = await h.api('GET', `/api/tickets?q=${'x'.repeat(201)}&group=rows`);
    expect(tooLong.status).toBe(400);
    expect((tooLong.body.error.fields ?? []).map((field) => field.path).sort()).toEqual(['group', 'q']);
  });

  test('when the overview is paged and refreshed, then the order is stable: ties keep their order and only a changed ticket moves, to the top', async () => {
    h = await startDashboardHarness();
    // Twelve tickets changed in the same millisecond (one batch): the order must not depend on luck.
    for (let i = 1; i <= 12; i++) await move('cherwell', `WM-${String(i).padStart(2, '0')}`, 'created', T0);
    const before = await allPages('/api/tickets?group=ticket&limit=5');
    expect(before.map((page) => page.length)).toEqual([5, 5, 2]);
    expect(await allPages('/api/tickets?group=ticket&limit=5')).toEqual(before);

    // A refresh of page 2 with the same cursor: the same rows, except the one that changed.
    const page1 = await h.api<Page<TicketRow>>('GET', '/api/tickets?group=ticket&limit=5');
    const page2Path = `/api/tickets?group=ticket&limit=5&cursor=${page1.body.next ?? ''}`;
    const page2 = (await h.api<Page<TicketRow>>('GET', page2Path)).body.items.map((row) => row.ticketId);
    const changed = page2[2] ?? '';
    await move('sfyc', changed, 'error', T0 + 60_000);
    const refreshed = (await h.api<Page<TicketRow>>('GET', page2Path)).body.items.map((row) => row.ticketId);
    expect(refreshed.slice(0, 4)).toEqual(page2.filter((id) => id !== changed));
    const top = await h.api<Page<TicketRow>>('GET', '/api/tickets?group=ticket&limit=1');
    expect(top.body.items.map((row) => row.ticketId)).toEqual([changed]);
    expect((await allPages('/api/tickets?group=ticket&limit=5')).flat()).toHaveLength(12);
  });

  test('when a text matches little among many tickets, then each answer examines a bounded number and paging on finds the rest', async () => {
    h = await startDashboardHarness();
    const total = 2500;
    const pipeline = h.redis.pipeline();
    // Straight into the index and the hashes: the listing reads only these.
    for (let i = 0; i < total; i++) {
      const id = `WM-${String(i).padStart(5, '0')}`;
      pipeline.zadd(h.keys.stateIndex('cherwell', 'created'), T0 + i, id);
      pipeline.hset(h.keys.state('cherwell', id), 'state', 'created', 'updatedAt', String(T0 + i));
    }
    await pipeline.exec();
    // The oldest ticket is the only match: the first answer stops short of it.
    const first = await h.api<Page<TicketRow>>('GET', '/api/tickets?group=ticket&q=WM-00000');
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([]);
    expect(first.body.next).not.toBeNull();
    const pages = await allPages<TicketRow>('/api/tickets?group=ticket&q=WM-00000');
    expect(pages.flat()).toEqual(['WM-00000']);
  });
});
