// Micro-cost of the cursor read and write with and without cursor copies (BENCHMARKS.md, "Cursor copies").
// Run: npx tsx bench/src/cursor-cost.ts (REDIS_URL, default the local Redis).
import { createKeys, createLogger, createRedis, loadConfig } from '@tbe/shared';
import { CursorStore, cursorCopyParts } from '@tbe/producers';
const config = loadConfig(
  { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', WM_URL: 'http://x', QUEUE_PREFIX: 'x' },
  'producer',
);
const redis = createRedis(config.redis, 'worker');
await redis.ping();
const logger = createLogger({ level: 'silent', role: 'producer' });
for (const [name, parts] of [
  ['off', []],
  ['N=1', cursorCopyParts(1)],
  ['N=6', cursorCopyParts(6)],
  ['off', []],
  ['N=6', cursorCopyParts(6)],
] as const) {
  const prefix = `cursor-cost-${Date.now()}`;
  const keys = createKeys(prefix);
  await redis.set(keys.producer('lease'), 'A');
  const store = new CursorStore(redis, keys, 'A', { parts: [...parts], logger });
  const n = 2000;
  let t = performance.now();
  for (let i = 0; i < n; i++) await store.read();
  const readUs = ((performance.now() - t) * 1000) / n;
  t = performance.now();
  for (let i = 0; i < n; i++) await store.write(String(i + 1));
  const writeUs = ((performance.now() - t) * 1000) / n;
  console.log(`${name}: copies=${parts.length} read ${readUs.toFixed(0)} us, write ${writeUs.toFixed(0)} us`);
  const found = await redis.keys(`${prefix}:*`);
  if (found.length) await redis.del(...found);
}
redis.disconnect();
