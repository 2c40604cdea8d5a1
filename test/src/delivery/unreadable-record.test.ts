import { afterEach, describe, expect, test } from 'vitest';
import { decodeRecordHead, STORED_HEADER_BYTES, ticketJobId } from '@tbe/shared';
import { deadLetters, jobCounts, stateOf, waitForReport } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** How a stored version (header + record, shared/src/store/stored-ticket.ts) is damaged. */
const DAMAGES = [
  {
    what: 'its record is damaged (the body no longer inflates)',
    damage: (value: Buffer) => {
      const record = value.subarray(STORED_HEADER_BYTES);
      return Buffer.concat([
        value.subarray(0, STORED_HEADER_BYTES),
        record.subarray(0, record.indexOf(0x0a) + 1),
        Buffer.from('xx'),
      ]);
    },
    message: "stored record's body does not inflate",
    version: 1,
  },
  {
    what: 'its header is damaged (no version to read)',
    damage: (value: Buffer) => Buffer.concat([Buffer.from('s0 garbage '), value.subarray(11)]),
    message: 'stored header is not a version header',
    // Unreadable here: the version named is the one the producer said it queued (held `received`).
    version: 1,
  },
];

describe('a stored ticket the worker cannot read', () => {
  test.each(DAMAGES)(
    'when $what, then the ticket is a dead letter with a named reason, not a crash loop',
    async ({ damage, message, version }) => {
      stack = await startStack({ WORKER_PLATFORMS: 'sfyc' });
      const s = stack;
      const good = s.wm.createTicket({ entity: 'E-good' }, ['sfyc']).id;
      const bad = s.wm.createTicket({ entity: 'E-bad' }, ['sfyc']).id;
      s.startProducer();
      const key = s.keys.ticket('sfyc', bad);
      // Marked queued (offset 1): the producer is done with it.
      const value = await waitFor(async () => {
        const stored = await s.redis.getBuffer(key);
        return stored?.toString('latin1', 0, 2) === 's1' ? stored : undefined;
      });
      expect(decodeRecordHead(value.subarray(STORED_HEADER_BYTES)).entity).toBe('E-bad');
      // Damaged after the producer stored it.
      await s.redis.set(key, damage(value));
      await s.startWorker();
      const report = await waitForReport(s, { ticketId: bad, platform: 'sfyc', state: 'error' });
      expect(report.error).toEqual({ code: 'STORED_RECORD_UNREADABLE', message });
      await waitForReport(s, { ticketId: good, platform: 'sfyc', state: 'created' });
      const [dead] = await deadLetters(s, 'sfyc');
      expect(dead).toMatchObject({ ticketId: bad, operation: 'create', version });
      expect((await stateOf(s, 'sfyc', bad)).state).toBe('error');
      // Its job completed (nothing failed for Bull Board's Retry) and no request went out for it.
      await waitFor(async () => ((await jobCounts(s, 'sfyc')).failed === 0 ? true : undefined));
      expect(await s.redis.exists(`${s.keys.platformPrefix('sfyc')}:sfyc:de:${ticketJobId(bad)}`)).toBe(0);
      expect(platformView(s, 'sfyc').ticketsOf(bad)).toBe(0);
    },
  );
});
