import {
  correlationOf,
  createKeys,
  platformQueueName,
  ticketJobId,
  TicketRecords,
  type Platform,
} from '@tbe/shared';
import type { WmTicket } from '@tbe/simulators';
import type { Redis } from 'ioredis';

/**
 * Where the bytes of one queued ticket are: `MEMORY USAGE` of each key the ticket has, and the
 * shared keys (wait list, overview index, events stream) divided by the tickets queued.
 */
export async function memoryBreakdown(
  redis: Redis,
  prefix: string,
  platform: Platform,
  ticket: WmTicket,
  queued: number,
): Promise<Record<string, number>> {
  const keys = createKeys(prefix);
  // The bench runs one partition: the ticket's keys are the platform's.
  const records = new TicketRecords(redis, keys, 1);
  const record = records.keysOf(platform, ticket.id);
  const queue = `${keys.platformPrefix(platform)}:${platformQueueName(platform)}`;
  const jobId = await redis.get(`${queue}:de:${ticketJobId(ticket.id)}`);
  const usage = async (key: string, samples?: number): Promise<number> => {
    const args = samples === undefined ? [] : ['SAMPLES', String(samples)];
    return Number((await redis.call('MEMORY', 'USAGE', key, ...args)) ?? 0);
  };
  const own: Record<string, number> = {
    // A string since the stored version's header + record layout (hash before; MEMORY USAGE reads either).
    'stored version (string: header + compact record)': await usage(record.ticket),
    'BullMQ job hash': jobId ? await usage(`${queue}:${jobId}`) : Number.NaN,
    'BullMQ deduplication key': await usage(`${queue}:de:${ticketJobId(ticket.id)}`),
    'overview state hash': await usage(record.state),
    'overview history list': await usage(record.history),
    'pending-create set of its entity': await usage(
      records.correlationKeys(platform, correlationOf(ticket)).pendingCreates,
    ),
  };
  // Shared keys, exactly (SAMPLES 0 reads every element), per ticket.
  const shared: Record<string, number> = {
    'wait list (per ticket)': (await usage(`${queue}:wait`, 0)) / queued,
    'overview index "queued" (per ticket)': (await usage(records.indexKey(platform, 'queued'), 0)) / queued,
    'events stream (per ticket)': (await usage(`${queue}:events`, 0)) / queued,
  };
  const all = { ...own, ...shared };
  const sum = Object.values(all).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const rounded: Record<string, number> = {};
  for (const [key, bytes] of Object.entries(all)) rounded[key] = Math.round(bytes);
  rounded.sum = Math.round(sum);
  return rounded;
}
