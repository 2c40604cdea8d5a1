// How fast the producer queues: a WM simulator holding N new tickets (both platforms), one
// producer, time from start to the cursor naming the last change (= every job exists).
//   npx tsx test/src/producer/throughput.ts [tickets=20000] [pageSize=500]
// Uses REDIS_URL when set, else a redis-server of its own on a free port.
import { Redis } from 'ioredis';
import { createKeys, createLogger, createRedis, loadConfig } from '@tbe/shared';
import { Registry, startProducer } from '@tbe/producers';
import { startWmSimulator } from '@tbe/simulators';
import { startRedisServer } from '../setup/redis-server.ts';
import { deletePrefix } from '../support/redis.ts';

const tickets = Number(process.argv[2] ?? 20_000);
const pageSize = process.argv[3] ?? '500';
const ownRedis = process.env.REDIS_URL ? undefined : await startRedisServer();
const redisUrl = process.env.REDIS_URL ?? ownRedis?.url ?? '';
const sim = await startWmSimulator();
for (let i = 0; i < tickets; i++) sim.createTicket();
const prefix = `throughput-${process.pid}`;
const config = loadConfig(
  { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, WM_URL: sim.url, WM_PAGE_SIZE: pageSize, LOG_LEVEL: 'silent' },
  'producer',
);
const redis = createRedis(config.redis, 'producer');
const check = new Redis(redisUrl);
const cursorKey = createKeys(prefix).producer('cursor');
const last = String(sim.lastSeq());

const startedAt = performance.now();
const producer = startProducer({
  config,
  redis,
  logger: createLogger({ level: 'silent', role: 'producer' }),
  registry: new Registry(),
});
while ((await check.get(cursorKey)) !== last) await new Promise((resolve) => setTimeout(resolve, 10));
const seconds = (performance.now() - startedAt) / 1000;

console.log(
  `${tickets} changes (x2 platforms = ${tickets * 2} jobs), page size ${pageSize}: ${seconds.toFixed(2)} s, ` +
    `${Math.round(tickets / seconds)} changes/s, ${Math.round((tickets * 2) / seconds)} jobs/s`,
);
await producer.stop();
await deletePrefix(check, prefix);
check.disconnect();
redis.disconnect();
await sim.close();
await ownRedis?.stop();
