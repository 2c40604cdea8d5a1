import { createRedis, redactUrl, waitForRedis, type RedisTarget } from '@tbe/shared';
import { CommandError } from '../errors.ts';

/**
 * Deletes every key under the demo's prefix (SCAN, never KEYS). The simulators start empty on
 * every run, so a cursor or tickets kept from the previous demo would skip or confuse this one.
 * Only ever called with the demo's own prefix, which no deployment uses.
 */
export async function resetDemoKeys(target: RedisTarget, prefix: string): Promise<void> {
  const client = createRedis(target, 'worker', 'tbe-demo-reset');
  client.on('error', () => undefined);
  try {
    await waitForRedis(client, 5000).catch(() => {
      throw new CommandError(
        `cannot reach Redis (${target.kind === 'standalone' ? redactUrl(target.url) : target.kind})`,
      );
    });
    const nodes = 'nodes' in client ? client.nodes('master') : [client];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await node.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}
