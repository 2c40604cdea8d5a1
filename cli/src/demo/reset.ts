import { createRedis, redactUrl, waitForRedis, type RedisTarget } from '@tbe/shared';
import { CommandError } from '../errors.ts';

/**
 * Deletes every key under `prefix` (SCAN, never KEYS). Only ever called with the prefix of this
 * demo run, which it made up at start: on a Redis the operator named, the demo removes what it
 * created and nothing else.
 */
export async function deleteRunKeys(target: RedisTarget, prefix: string): Promise<void> {
  const client = createRedis(target, 'worker', 'tbe-demo-cleanup');
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
