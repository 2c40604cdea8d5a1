import { createKeys, HttpStatusError, type Config, type RedisClient } from '@tbe/shared';
import { createWmClient } from '@tbe/shared/wm/client';
import { fail, pass, type CheckResult } from './types.ts';

/**
 * WM reachable with the token, and one page of the feed read after the producer's cursor (when
 * Redis told it), limit 1: a read only, the cursor lives in Redis and is not written here.
 */
export async function checkWm(config: Config, redis: RedisClient | undefined): Promise<CheckResult[]> {
  const wm = config.wm;
  if (wm === undefined) return [];
  const cursor = redis
    ? ((await redis.get(createKeys(config.queuePrefix).producer('cursor'))) ?? undefined)
    : undefined;
  const client = createWmClient({ url: wm.url, token: wm.token, requestTimeoutMs: wm.requestTimeoutMs });
  try {
    const outcome = await client.fetchChanges(
      { after: cursor, limit: 1 },
      AbortSignal.timeout(wm.requestTimeoutMs),
    );
    const after = cursor === undefined ? 'from the oldest retained change' : `after the cursor ${cursor}`;
    switch (outcome.kind) {
      case 'body':
        return [pass('WM feed', `${wm.url}: token accepted, one page read ${after} (cursor not moved)`)];
      case 'gone':
        // Not a fault of the setup: the producer starts again from the oldest retained change.
        return [
          pass(
            'WM feed',
            `${wm.url}: token accepted; WM no longer holds the cursor ${cursor ?? ''} (410), the producer restarts from the oldest retained change`,
          ),
        ];
      case 'stopped':
        return [fail('WM feed', `${wm.url}: no answer`, 'check WM_URL and that WM is up')];
      case 'failed': {
        const { error } = outcome;
        const status = error instanceof HttpStatusError ? error.status : undefined;
        if (status === 401 || status === 403)
          return [
            fail(
              'WM token',
              `${wm.url}: refused (HTTP ${status})`,
              'set WM_TOKEN (or WM_TOKEN_FILE) to a token WM accepts',
            ),
          ];
        return [
          fail(
            'WM feed',
            `${wm.url}: ${error.message}`,
            'check WM_URL (host, port and device address) and that WM is up',
          ),
        ];
      }
    }
  } finally {
    await client.close();
  }
}
