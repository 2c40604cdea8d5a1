import { afterEach, describe, expect, test } from 'vitest';
import { decodeStoredHeader, STORED_HEADER_BYTES, TicketStore } from '@tbe/shared';
import { waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('upgrade: stored versions written by the releases before (hashes)', () => {
  test('when queued tickets are stored as a compact hash and as a json hash, then the worker delivers them and their next version is stored as a string', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc' });
    const s = stack;
    const store = new TicketStore(s.redis, s.keys);
    const compact = s.wm.createTicket({ entity: 'E-compact' }, ['sfyc']).id;
    const json = s.wm.createTicket({ entity: 'E-json' }, ['sfyc']).id;
    s.startProducer();
    // Queued by the producer; then rewritten as the release before left them, jobs waiting.
    for (const id of [compact, json]) {
      const key = s.keys.ticket('sfyc', id);
      const value = await waitFor(async () => {
        const stored = await s.redis.getBuffer(key);
        return stored && decodeStoredHeader(stored).queued ? stored : undefined;
      });
      const { version, storedAtMs } = decodeStoredHeader(value);
      const latest = (await store.getLatest('sfyc', id))!;
      await s.redis.del(key);
      const common = { version: String(version), storedAt: String(storedAtMs), queued: String(version) };
      await s.redis.hset(
        key,
        id === compact
          ? { ...common, t: value.subarray(STORED_HEADER_BYTES) }
          : { ...common, json: JSON.stringify(latest.ticket), seq: String(latest.seq) },
      );
    }
    await s.startWorker();
    await waitForReports(s, 'sfyc', [compact, json], 'created');
    const view = platformView(s, 'sfyc');
    for (const id of [compact, json]) expect(view.ticketsOf(id)).toBe(1);
    for (const id of [compact, json]) expect(await s.redis.type(s.keys.ticket('sfyc', id))).toBe('hash');

    for (const id of [compact, json]) s.wm.updateTicket(id, { alarmCount: 42 });
    const updated = await waitForReports(s, 'sfyc', [compact, json], 'updated');
    for (const id of [compact, json]) {
      expect(updated.get(id)?.version).toBe(2);
      expect(view.versionOf(id)).toBe(2);
      expect(await s.redis.type(s.keys.ticket('sfyc', id))).toBe('string');
      expect((await store.getLatest('sfyc', id))?.ticket.alarmCount).toBe(42);
    }
    expect(s.violations()).toEqual([]);
  });
});
