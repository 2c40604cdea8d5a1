import { afterEach, describe, expect, test } from 'vitest';
import { stateFields, TicketStore } from '@tbe/shared';
import { aTicket } from '@tbe/shared/testing';
import { QuarantineStore } from '@tbe/shared/store/quarantine';
import {
  fieldPaths,
  startDashboardHarness,
  type DashboardHarness,
  type Page,
  type TicketBody,
  type TicketListItem,
} from './harness.ts';

type TicketPage = Page<TicketListItem>;

let h: DashboardHarness;
afterEach(async () => {
  await h.close();
});

const T0 = Date.parse('2026-11-26T09:40:00Z');

describe('admin API: tickets and quarantine', () => {
  test('when a ticket is asked, then each platform that knows it shows state, ids, attempts, error and history newest first', async () => {
    h = await startDashboardHarness();
    await h.overview.transition([
      {
        platform: 'cherwell',
        ticketId: 'WM-1',
        state: 'queued',
        event: { event: 'received', version: 3, detail: null },
        nowMs: T0,
      },
    ]);
    await h.overview.transition([
      {
        platform: 'cherwell',
        ticketId: 'WM-1',
        state: 'created',
        fields: stateFields({
          platformId: '102938',
          workOrder: 'OT-5512',
          version: 3,
          attempts: { create: 1, workOrder: 2 },
          lastError: null,
        }),
        event: { event: 'created', version: 3, detail: null },
        nowMs: T0 + 5000,
      },
    ]);
    await new TicketStore(h.redis, h.keys).putLatest('cherwell', aTicket({ id: 'WM-1', version: 3 }), 1);

    const { status, body } = await h.api<TicketBody>('GET', '/api/tickets/WM-1');
    expect(status).toBe(200);
    expect(body).toEqual({
      ticketId: 'WM-1',
      platforms: {
        cherwell: {
          state: 'created',
          platformId: '102938',
          workOrder: 'OT-5512',
          version: 3,
          receivedVersion: 3,
          attempts: { create: 1, workOrder: 2 },
          lastError: null,
          updatedAt: '2026-11-26T09:40:05.000Z',
          history: [
            { at: '2026-11-26T09:40:05.000Z', event: 'created', version: 3, detail: null },
            { at: '2026-11-26T09:40:00.000Z', event: 'received', version: 3, detail: null },
          ],
        },
      },
    });
  });

  test('when a ticket is unknown, then it answers 404', async () => {
    h = await startDashboardHarness();
    const answer = await h.api('GET', '/api/tickets/WM-404');
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  test('when the overview is filtered by platform and state, then it lists those tickets newest first in pages', async () => {
    h = await startDashboardHarness();
    for (let i = 1; i <= 5; i++) {
      await h.overview.transition([
        {
          platform: 'cherwell',
          ticketId: `WM-${i}`,
          state: 'error',
          // Each died updating to the next version: the list says which.
          fields: stateFields({
            version: i,
            deadOperation: 'update',
            deadVersion: i + 1,
            lastError: { code: 'FIELD_INVALID', message: 'bad field' },
          }),
          nowMs: T0 + i * 1000,
        },
      ]);
    }
    await h.overview.transition([{ platform: 'sfyc', ticketId: 'WM-1', state: 'error', nowMs: T0 + 10_000 }]);
    await h.overview.transition([
      { platform: 'cherwell', ticketId: 'WM-9', state: 'created', nowMs: T0 + 20_000 },
    ]);

    const first = await h.api<TicketPage>('GET', '/api/tickets?platform=cherwell&state=error&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items[0]).toEqual({
      ticketId: 'WM-5',
      platform: 'cherwell',
      state: 'error',
      platformId: null,
      workOrder: null,
      version: 5,
      lastError: { code: 'FIELD_INVALID', message: 'bad field' },
      updatedAt: new Date(T0 + 5000).toISOString(),
      // Added fields: what died and on which version; no WM version stored in this test.
      deadOperation: 'update',
      deadVersion: 6,
      entity: null,
      alarmType: null,
      severity: null,
    });
    const pages = [first.body];
    for (let next = first.body.next; next !== null; next = pages.at(-1)?.next ?? null) {
      pages.push(
        (await h.api<TicketPage>('GET', `/api/tickets?platform=cherwell&state=error&limit=2&cursor=${next}`))
          .body,
      );
    }
    const ids = pages.flatMap((page) => page.items.map((item) => item.ticketId));
    expect(ids).toEqual(['WM-5', 'WM-4', 'WM-3', 'WM-2', 'WM-1']);

    const all = await h.api<TicketPage>('GET', '/api/tickets?platform=&state=');
    expect(all.body.items.map((item) => `${item.platform}/${item.ticketId}`)).toEqual([
      'cherwell/WM-9',
      'sfyc/WM-1',
      'cherwell/WM-5',
      'cherwell/WM-4',
      'cherwell/WM-3',
      'cherwell/WM-2',
      'cherwell/WM-1',
    ]);
    const errors = await h.api<TicketPage>('GET', '/api/tickets?state=error&limit=1');
    expect(errors.body.items.map((item) => item.platform)).toEqual(['sfyc']);
  });

  test('when the overview query is wrong, an unknown platform included, then it answers 400 naming every bad field', async () => {
    h = await startDashboardHarness();
    const bad = await h.api('GET', '/api/tickets?state=lost&limit=9999');
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad)).toEqual(['limit', 'state']);
    expect((await h.api('GET', '/api/tickets?cursor=nonsense')).body.error.fields).toEqual([
      { path: 'cursor', message: expect.any(String) as string },
    ]);
    const platform = await h.api('GET', '/api/tickets?platform=jira&state=lost');
    expect(platform.status).toBe(400);
    expect(fieldPaths(platform)).toEqual(['platform', 'state']);
    expect(platform.body.error.fields?.[0]?.message).toBe('expected one of cherwell, sfyc');
  });

  test('when quarantined changes are listed, then each shows seq, ticket, reason, time and the raw change, in pages', async () => {
    h = await startDashboardHarness();
    const store = new QuarantineStore(h.redis, h.keys);
    await store.push(
      [1041, 1042, 1043].map((seq) => ({
        seq,
        ticketId: `WM-${seq}`,
        reason: 'ticket.severity: expected one of critical, major, minor',
        change: JSON.stringify({ seq, ticket: { id: `WM-${seq}`, severity: 'huge' } }),
      })),
    );
    const first = await h.api<Page<{ seq: number }>>('GET', '/api/quarantine?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items[0]).toMatchObject({
      seq: 1043,
      ticketId: 'WM-1043',
      reason: 'ticket.severity: expected one of critical, major, minor',
      at: expect.any(String) as string,
      change: expect.stringContaining('"huge"') as string,
    });
    const second = await h.api<Page<{ seq: number }>>(
      'GET',
      `/api/quarantine?limit=2&cursor=${first.body.next ?? ''}`,
    );
    expect(second.body.items.map((item) => item.seq)).toEqual([1041]);
    expect(second.body.next).toBeNull();
    expect((await h.api('GET', '/api/quarantine?cursor=abc')).status).toBe(400);
    expect((await h.api('GET', '/api/quarantine?limit=-1')).status).toBe(400);
  });

  test.each(['string', 'hash'])(
    'when a ticket was received but not yet handled (stored as a %s), then it still shows with its received version',
    async (layout) => {
      h = await startDashboardHarness();
      if (layout === 'string')
        await new TicketStore(h.redis, h.keys).putLatest('sfyc', aTicket({ id: 'WM-2', version: 4 }), 1, T0);
      // As the release before the string stored it.
      else
        await h.redis.hset(
          h.keys.ticket('sfyc', 'WM-2'),
          'version',
          '4',
          'json',
          '{}',
          'seq',
          '1',
          'storedAt',
          String(T0),
        );
      const answer = await h.api<TicketBody>('GET', '/api/tickets/WM-2');
      expect(answer.body.platforms).toEqual({
        sfyc: expect.objectContaining({ state: null, receivedVersion: 4, history: [] }) as unknown,
      });
    },
  );
});
