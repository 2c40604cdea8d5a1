import { defineConfig } from 'vitest/config';

// One suite for the whole workspace: unit tests sit beside their source (`*/src/**/*.test.ts`),
// tests that need Redis and the simulators live in `test/` (`test/src/**/*.test.ts`).
// The global setup picks Redis once (REDIS_URL, else a local redis-server, else testcontainers)
// and hands its URL to every worker through `inject('redisUrl')`.
export default defineConfig({
  test: {
    include: ['*/src/**/*.test.ts'],
    globalSetup: ['test/src/setup/global-redis.ts'],
    pool: 'forks',
    // 2 cores here: more forks only add contention on Redis and the simulators.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
