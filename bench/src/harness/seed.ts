import {
  createKeys,
  decodeStoredHeader,
  encodeRecord,
  encodeStored,
  TicketRecords,
  TicketStore,
  type Keys,
} from '@tbe/shared';
import type { CherwellSimulator, WmTicket } from '@tbe/simulators';
import { writeBackValues } from '@tbe/workers/cherwell/mapper';
import type { Redis } from 'ioredis';
import { queueThroughProducer } from './backlog.ts';
import { drainWithWorkers } from './drain.ts';
import type { BenchRedis } from './redis.ts';
import type { Sims } from './sims.ts';
import { watchReports } from './watch.ts';

/** What the flow left in Redis and on Cherwell for one delivered ticket. */
interface Template {
  ticketId: string;
  state: Record<string, string>;
  /** The stored version's queued flag and seq (each copy stores its own ticket's record). */
  queued: boolean;
  seq: number;
  history: string[];
  indexes: string[];
  platformId: string;
  recId: string;
  workOrder: string;
}

/**
 * "Existing tickets" for the update scenarios: `count` tickets on Cherwell at version 1, created,
 * with their work order written back, as the product leaves them.
 *
 * The first `flowCount` go through the real flow (producer, worker, simulator). Delivering all of
 * them that way is out of reach: the Cherwell simulator scans every incident on each search and
 * each create, so 100,000 creates take it tens of minutes. The rest are copies of what the flow
 * wrote for the first ticket (every Redis key of that ticket, field for field, with the ids
 * replaced; the incident with the fields the product's own mapper writes), so the state read by
 * the worker is the flow's own, whatever fields it has. The update drains that follow run the
 * real product end to end.
 */
export async function existingTickets(
  redis: BenchRedis,
  sims: Sims,
  env: Record<string, string>,
  count: number,
  make: (index: number) => WmTicket,
  flowCount = Math.min(count, 500),
): Promise<void> {
  const cherwell = sims.cherwell;
  if (!cherwell) throw new Error('existing tickets are seeded on Cherwell');
  const prefix = env.QUEUE_PREFIX ?? 'tbe';
  const keys = createKeys(prefix);
  let firstId = '';
  await queueThroughProducer(redis, sims, env, flowCount, (i) => {
    const ticket = make(i);
    if (i === 0) firstId = ticket.id;
    return ticket;
  });
  const created = watchReports(sims.log, (r) => r.state === 'created');
  await drainWithWorkers({
    redis,
    sims,
    prefix,
    env,
    doneAt: () => (created.count() >= flowCount ? created.lastAt() : undefined),
    timeoutMs: 10 * 60_000,
  });
  created.stop();
  const template = await readTemplate(redis.client, keys, firstId);
  for (let start = flowCount; start < count; start += 1000) {
    const batch: WmTicket[] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) batch.push(make(i));
    await seedCopies(redis.client, keys, cherwell, template, batch, start);
  }
}

async function readTemplate(redis: Redis, keys: Keys, ticketId: string): Promise<Template> {
  // The bench runs one partition: the ticket's keys are the platform's.
  const record = new TicketRecords(redis, keys, 1).keysOf('cherwell', ticketId);
  const state = await redis.hgetall(record.state);
  const stored = await new TicketStore(redis, keys).getLatest('cherwell', ticketId);
  const value = await redis.getBuffer(record.ticket);
  if (!stored || !value) throw new Error(`the flow left no stored version of ${ticketId}`);
  const { queued } = decodeStoredHeader(value);
  const history = await redis.lrange(record.history, 0, -1);
  const indexKeys = await scanKeys(redis, `${keys.platformPrefix('cherwell')}:index:*`);
  const indexes: string[] = [];
  for (const key of indexKeys) if ((await redis.zscore(key, ticketId)) !== null) indexes.push(key);
  const { platformId, recId, workOrder } = state;
  if (state.writtenBack !== '1' || !platformId || !recId || !workOrder) {
    throw new Error(`the flow did not leave ${ticketId} written back: ${JSON.stringify(state)}`);
  }
  return { ticketId, state, queued, seq: stored.seq, history, indexes, platformId, recId, workOrder };
}

async function seedCopies(
  redis: Redis,
  keys: Keys,
  cherwell: CherwellSimulator,
  template: Template,
  tickets: WmTicket[],
  offset: number,
): Promise<void> {
  const records = new TicketRecords(redis, keys, 1);
  const pipeline = redis.pipeline();
  const nowMs = String(Date.now());
  tickets.forEach((ticket, i) => {
    const workOrder = `OT-S${offset + i}`;
    const incident = cherwell.seedIncident({ ...writeBackValues(ticket, workOrder), Status: 'New' });
    const swap: Record<string, string> = {
      [template.ticketId]: ticket.id,
      [template.platformId]: incident.busObPublicId,
      [template.recId]: incident.busObRecId,
      [template.workOrder]: workOrder,
    };
    const exact = (value: string): string => swap[value] ?? value;
    const within = (text: string): string =>
      Object.entries(swap).reduce((out, [from, to]) => out.split(from).join(to), text);
    const state = Object.fromEntries(
      Object.entries(template.state).map(([field, value]) => [field, exact(value)]),
    );
    const record = records.keysOf('cherwell', ticket.id);
    pipeline.hset(record.state, state);
    pipeline.set(
      record.ticket,
      encodeStored(
        { version: ticket.version, queued: template.queued, storedAtMs: Number(nowMs) },
        encodeRecord(ticket, template.seq),
      ),
    );
    if (template.history.length > 0) pipeline.rpush(record.history, ...template.history.map(within));
    for (const index of template.indexes) pipeline.zadd(index, nowMs, ticket.id);
  });
  await pipeline.exec();
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}
