import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random.ts';
import { manualClock, waitFor } from '../common/testing.ts';
import { TicketGenerator } from './generator.ts';
import { startWmSimulator } from './server.ts';
import { ALARM_TYPES, ENTITY_TYPES, SEVERITIES } from './ticket.ts';
import type { WmTicket } from './ticket.ts';

function generate(count: number): WmTicket[] {
  const generator = new TicketGenerator({
    random: seededRandom(1),
    now: manualClock().now,
    firstTicketNumber: 123,
  });
  const tickets: WmTicket[] = [];
  for (let i = 0; i < count; i++) tickets.push(generator.generate(tickets));
  return tickets;
}

describe('ticket generator', () => {
  it('when tickets are generated, then they look like WM tickets and obey the feed contract', () => {
    const tickets = generate(200);
    expect(tickets[0]?.id).toBe('WM-20261126-000123');
    for (const t of tickets) {
      expect(t.id).toMatch(/^WM-\d{8}-\d{6}$/);
      expect(t.entity).toMatch(/^[A-Z]{3}-NODO-\d{4}\/(US|DS|UP)-\d$/);
      expect(ENTITY_TYPES).toContain(t.entityType);
      expect(ALARM_TYPES).toContain(t.alarmType);
      expect(SEVERITIES).toContain(t.severity);
      expect(t.summary.length).toBeGreaterThan(40);
      expect(t.summary.length).toBeLessThan(90);
      expect(Buffer.byteLength(t.details)).toBeGreaterThan(500);
      expect(Buffer.byteLength(t.details)).toBeLessThan(900);
      expect(t.region?.length).toBeGreaterThan(0);
      expect(t).toMatchObject({ version: 1, state: 'open', completedAt: null });
    }
  });

  it('when many tickets are generated, then some share entity and alarm type', () => {
    const keys = generate(200).map((t) => `${t.entity}|${t.alarmType}`);
    expect(new Set(keys).size).toBeLessThan(keys.length - 20);
  });

  it('when the same seed is used, then the same tickets come out', () => {
    expect(generate(5)).toEqual(generate(5));
  });
});

describe('trickle', () => {
  it('when a trickle runs, then changes of new, updated and completed tickets appear; stop stops them', async () => {
    const wm = await startWmSimulator();
    try {
      wm.startTrickle({ ticketsPerSecond: 200, updateShare: 0.3, completeShare: 0.2 });
      await waitFor(() => wm.lastSeq() >= 60);
      wm.stopTrickle();
      const seq = wm.lastSeq();
      const states = new Set(wm.changes().map((e) => (e.change as { ticket: WmTicket }).ticket.state));
      const versions = wm.changes().map((e) => (e.change as { ticket: WmTicket }).ticket.version);
      expect(states).toEqual(new Set(['open', 'completed']));
      expect(Math.max(...versions)).toBeGreaterThan(1);
      await new Promise((r) => setTimeout(r, 150));
      expect(wm.lastSeq()).toBe(seq);
    } finally {
      await wm.close();
    }
  });

  it('when a ticket is spared, then the trickle never changes it while it changes the others', async () => {
    const wm = await startWmSimulator();
    try {
      const spared = wm.createTicket();
      const other = wm.createTicket();
      wm.spareFromTrickle(spared.id);
      // Only updates, and the two tickets are the only open ones at first: the other one changes.
      wm.startTrickle({ ticketsPerSecond: 200, updateShare: 1, completeShare: 0 });
      await waitFor(() => (wm.ticket(other.id)?.version ?? 0) >= 5);
      wm.stopTrickle();
      expect(wm.ticket(spared.id)?.version).toBe(1);
    } finally {
      await wm.close();
    }
  });
});
