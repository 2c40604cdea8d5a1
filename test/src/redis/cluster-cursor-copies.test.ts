import { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { heldReceivedEvents, PLATFORMS, TicketRecords, type Part } from '@tbe/shared';
import { waitFor } from '../index.ts';
import { clusterStacks } from '../support/cluster-stack.ts';
import type { RedisNode } from '../support/redis-topology.ts';

const PASSWORD = 'cluster-cursor-pass';

const clusters = clusterStacks(PASSWORD);

/** The keys of this stack on one master: ticket records and queued jobs. */
async function onMaster(node: RedisNode, prefix: string): Promise<{ tickets: number; jobs: number }> {
  const client = new Redis({ host: '127.0.0.1', port: node.port, password: PASSWORD });
  try {
    const keys = await client.keys(`${prefix}:*`);
    return {
      tickets: keys.filter((key) => key.includes(':ticket:')).length,
      // A job's deduplication key (its id is BullMQ's counter): one per queued ticket.
      jobs: keys.filter((key) => key.includes(':de:t-')).length,
    };
  } finally {
    client.disconnect();
  }
}

/** Whether this master serves the key's slot (a GET elsewhere answers MOVED). */
async function owns(node: RedisNode, key: string): Promise<boolean> {
  const client = new Redis({ host: '127.0.0.1', port: node.port, password: PASSWORD });
  try {
    await client.get(key);
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

describe('cursor copies on Redis Cluster', () => {
  test("when a master other than the cursor's loses all its data, then the producer queues its tickets again, each once", async () => {
    const { stack: running, nodes } = await clusters.start({ QUEUE_PARTITIONS: '6' });
    const ids = Array.from(
      { length: 30 },
      (_, i) => running.wm.createTicket({ entity: `CCC-${i}`, alarmType: 'SNR' }, [...PLATFORMS]).id,
    );
    running.startProducer();
    const cursorKey = running.keys.producer('cursor');
    const last = String(running.wm.lastSeq());
    await waitFor(async () => (await running.redis.get(cursorKey)) === last, { timeoutMs: 20_000 });

    const owners = await Promise.all(nodes.map((node) => owns(node, cursorKey)));
    const victim = nodes.find((_, index) => !owners[index]) as RedisNode;
    const before = await onMaster(victim, running.prefix);
    expect(before.tickets).toBeGreaterThan(0);
    expect(before.jobs).toBe(before.tickets);
    const totalBefore = await Promise.all(nodes.map((node) => onMaster(node, running.prefix)));

    // The failover to an empty replica, played by a FLUSHALL on that master alone.
    const client = new Redis({ host: '127.0.0.1', port: victim.port, password: PASSWORD });
    await client.flushall();
    client.disconnect();
    expect((await onMaster(victim, running.prefix)).tickets).toBe(0);

    await waitFor(async () => (await onMaster(victim, running.prefix)).jobs === before.jobs, {
      timeoutMs: 20_000,
      what: "the wiped master's jobs queued again",
    });
    await waitFor(async () => (await running.redis.get(cursorKey)) === last, { timeoutMs: 20_000 });
    const totalAfter = await Promise.all(nodes.map((node) => onMaster(node, running.prefix)));
    expect(totalAfter).toEqual(totalBefore);
    const records = new TicketRecords(running.redis, running.keys, 6);
    for (const platform of PLATFORMS)
      for (const id of ids) {
        const part = (await records.partOf(platform, id)) as Part;
        const held = heldReceivedEvents(
          (await running.redis.hget(running.keys.state(part, id), 'received')) ?? undefined,
        );
        expect(held.length).toBe(1);
      }
  }, 120_000);
});
