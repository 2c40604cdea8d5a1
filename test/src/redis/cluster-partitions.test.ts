import { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { PLATFORMS } from '@tbe/shared';
import { partOf, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { clusterStacks } from '../support/cluster-stack.ts';

const PASSWORD = 'cluster-partitions-pass';

const clusters = clusterStacks(PASSWORD);

describe('partitions on Redis Cluster', () => {
  test('when a platform is split into 6 partitions on a 3-master cluster, then tickets are delivered and its keys land on more than one master', async () => {
    const { stack, nodes } = await clusters.start({ QUEUE_PARTITIONS: '6' });
    const ids = Array.from(
      { length: 24 },
      (_, i) => stack.wm.createTicket({ entity: `CLP-${i}`, alarmType: 'SNR' }, [...PLATFORMS]).id,
    );
    stack.startProducer();
    await stack.startWorker();
    const { api } = await stack.startDashboard();
    for (const platform of PLATFORMS) {
      await waitForReports(stack, platform, ids, 'created', 60_000);
      expect(platformView(stack, platform).ticketCount()).toBe(ids.length);
    }
    const parts = new Set(await Promise.all(ids.map((id) => partOf(stack, 'cherwell', id))));
    expect(parts.size).toBeGreaterThan(1);

    // Each master's own keys of the platform's partitions (`{cherwell.<i>~<n>}`): the tags spread
    // the six partitions two to a master.
    const perMaster = await Promise.all(
      nodes.map(async (node) => {
        const client = new Redis({ host: '127.0.0.1', port: node.port, password: PASSWORD });
        try {
          const keys = await client.keys(`${stack.prefix}:{cherwell.*}:state:*`);
          return keys.length;
        } finally {
          client.disconnect();
        }
      }),
    );
    expect(perMaster.reduce((sum, n) => sum + n, 0)).toBe(ids.length);
    expect(perMaster.filter((n) => n > 0)).toHaveLength(nodes.length);

    // The platform reads as one: listings and counts across partitions and masters.
    const listed = (await (await api('/api/tickets?platform=cherwell&limit=100')).json()) as {
      items: { ticketId: string }[];
    };
    expect(new Set(listed.items.map((item) => item.ticketId))).toEqual(new Set(ids));
    expect(stack.violations()).toEqual([]);
  }, 120_000);
});
