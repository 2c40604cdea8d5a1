import { afterEach, describe, expect, test } from 'vitest';
import { decodeRecordHead, ticketJobId } from '@tbe/shared';
import { deadLetters, jobCounts, stateOf, waitForReport } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('a stored ticket the worker cannot read', () => {
  test('when its record is damaged, then the ticket is a dead letter with a named reason, not a crash loop', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc' });
    const s = stack;
    const good = s.wm.createTicket({ entity: 'E-good' }, ['sfyc']).id;
    const bad = s.wm.createTicket({ entity: 'E-bad' }, ['sfyc']).id;
    s.startProducer();
    const key = s.keys.ticket('sfyc', bad);
    const record = await waitFor(async () => (await s.redis.hgetBuffer(key, 't')) ?? undefined);
    expect(decodeRecordHead(record).entity).toBe('E-bad');
    // Damaged after the producer stored it: the body no longer inflates.
    await s.redis.hset(
      key,
      't',
      Buffer.concat([record.subarray(0, record.indexOf(0x0a) + 1), Buffer.from('xx')]),
    );
    await s.startWorker();
    const report = await waitForReport(s, { ticketId: bad, platform: 'sfyc', state: 'error' });
    expect(report.error).toEqual({
      code: 'STORED_RECORD_UNREADABLE',
      message: "stored record's body does not inflate",
    });
    await waitForReport(s, { ticketId: good, platform: 'sfyc', state: 'created' });
    const [dead] = await deadLetters(s, 'sfyc');
    expect(dead).toMatchObject({ ticketId: bad, operation: 'create', version: 1 });
    expect((await stateOf(s, 'sfyc', bad)).state).toBe('error');
    // Its job completed (nothing failed for Bull Board's Retry) and no request went out for it.
    await waitFor(async () => ((await jobCounts(s, 'sfyc')).failed === 0 ? true : undefined));
    expect(await s.redis.exists(`${s.keys.platformPrefix('sfyc')}:sfyc:de:${ticketJobId(bad)}`)).toBe(0);
    expect(platformView(s, 'sfyc').ticketsOf(bad)).toBe(0);
  });
});
