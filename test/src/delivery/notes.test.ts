import { afterEach, describe, expect, test } from 'vitest';
import { PLATFORMS, type Platform } from '@tbe/shared';
import { waitForReport, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** An open platform ticket a human created for an entity and alarm type; answers its id. */
function seedOpenTicket(stack: Stack, platform: Platform, entity: string): string {
  if (platform === 'cherwell') {
    return stack.cherwell.seedIncident({
      NetworkEntity: entity,
      AlarmType: 'SNR',
      Status: 'Assigned',
      ShortDescription: 'seen by a human',
    }).busObPublicId;
  }
  return stack.sfyc.seedTicket('HUMAN-1', {
    entity,
    alarmType: 'SNR',
    status: 'open',
    summary: 'seen by a human',
  }).id;
}

describe.each(PLATFORMS)('notes on %s', (platform) => {
  test('when an entity already has an open platform ticket, then the new WM ticket is noted into it, and its later versions too', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    const hostId = seedOpenTicket(stack, platform, 'GDL-NODO-0042/US-3');
    const id = stack.wm.createTicket({ entity: 'GDL-NODO-0042/US-3', alarmType: 'SNR' }, [platform]).id;
    stack.startProducer();
    await stack.startWorker();
    const noted = await waitForReports(stack, platform, [id], 'noted');
    expect(noted.get(id)).toMatchObject({ externalId: hostId, workOrder: null, version: 1 });
    expect(view.ticketsOf(id)).toBe(0);
    stack.wm.updateTicket(id, { alarmCount: 40 });
    await waitForReport(stack, { ticketId: id, platform, state: 'noted', version: 2 });
    stack.wm.completeTicket(id);
    await waitForReport(stack, { ticketId: id, platform, state: 'noted', version: 3 });
    const notes =
      platform === 'cherwell'
        ? stack.cherwell.notes().map((note) => note.fields.Details ?? '')
        : stack.sfyc.notes().map((note) => note.text);
    expect(notes.map((text) => text.split(']')[0])).toEqual([`[WM ${id} v1`, `[WM ${id} v2`, `[WM ${id} v3`]);
    expect(notes[2]).toContain('cleared');
    expect(view.ticketCount()).toBe(1);
    expect(stack.violations()).toEqual([]);
  });

  test('when a note is saved but its answer is lost (5xx, then a reset), then the retry finds it and the host gets exactly one note per version', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    seedOpenTicket(stack, platform, 'GDL-NODO-0077/US-1');
    const id = stack.wm.createTicket({ entity: 'GDL-NODO-0077/US-1', alarmType: 'SNR' }, [platform]).id;
    const loseNextNoteAnswer = (then: 'status' | 'reset') =>
      view.sim.faults.add({
        path: view.createPath,
        ticketIds: [id],
        action: 'commit-then-fail',
        then,
        status: 500,
        times: 1,
      });
    loseNextNoteAnswer('status');
    stack.startProducer();
    await stack.startWorker();
    await waitForReport(stack, { ticketId: id, platform, state: 'noted', version: 1 });
    loseNextNoteAnswer('reset');
    stack.wm.updateTicket(id, { alarmCount: 40 });
    await waitForReport(stack, { ticketId: id, platform, state: 'noted', version: 2 });
    const notes =
      platform === 'cherwell'
        ? stack.cherwell.notes().map((note) => note.fields.Details ?? '')
        : stack.sfyc.notes().map((note) => note.text);
    expect(notes.map((text) => text.split(']')[0])).toEqual([`[WM ${id} v1`, `[WM ${id} v2`]);
    // Both answers were lost: each note went twice (the repeat was looked up or keyed).
    expect(view.sim.requests.filter((r) => r.faults.length > 0)).toHaveLength(2);
    expect(stack.violations()).toEqual([]);
  });

  test("when a note's answer is lost on its last try and an operator retries its dead letter, then the host still gets exactly one note for that version", async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform, [`${platform.toUpperCase()}_MAX_RETRIES`]: '0' });
    const view = platformView(stack, platform);
    const { api } = await stack.startDashboard();
    seedOpenTicket(stack, platform, 'GDL-NODO-0078/US-1');
    const id = stack.wm.createTicket({ entity: 'GDL-NODO-0078/US-1', alarmType: 'SNR' }, [platform]).id;
    view.sim.faults.add({
      path: view.createPath,
      ticketIds: [id],
      action: 'commit-then-fail',
      then: 'status',
      status: 500,
      times: 1,
    });
    stack.startProducer();
    await stack.startWorker();
    await waitForReport(stack, { ticketId: id, platform, state: 'error', version: 1 });
    // The retry starts a new job with a fresh budget: nothing in the job says it ran before.
    const listed = (await (await api(`/api/dead-letters/${platform}`)).json()) as { items: { id: string }[] };
    const retried = await api(`/api/dead-letters/${platform}/retry`, {
      method: 'POST',
      body: JSON.stringify({ ids: [listed.items[0]!.id] }),
    });
    expect(await retried.json()).toEqual({ retried: 1 });
    await waitForReport(stack, { ticketId: id, platform, state: 'noted', version: 1 });
    const notes =
      platform === 'cherwell'
        ? stack.cherwell.notes().map((note) => note.fields.Details ?? '')
        : stack.sfyc.notes().map((note) => note.text);
    expect(notes.map((text) => text.split(']')[0])).toEqual([`[WM ${id} v1`]);
    expect(stack.violations()).toEqual([]);
  });

  test('when several new tickets share an entity and none is open, then the oldest is created and the others are noted into it', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    const ids = Array.from(
      { length: 4 },
      () => stack!.wm.createTicket({ entity: 'QRO-NODO-7/DS-2', alarmType: 'Falla de Linea' }, [platform]).id,
    );
    stack.startProducer();
    await stack.startWorker();
    const [oldest, ...younger] = ids;
    const created = await waitForReports(stack, platform, [oldest!], 'created');
    const noted = await waitForReports(stack, platform, younger, 'noted');
    for (const id of younger) expect(noted.get(id)?.externalId).toBe(created.get(oldest!)?.externalId);
    expect(view.ticketCount()).toBe(1);
    expect(view.notesOn(oldest!)).toHaveLength(3);
    expect(stack.violations()).toEqual([]);
  });
});
