import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { hasRedisServer, startRedisServer } from './redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/**
 * Picks the Redis every test uses, once per run: an explicit REDIS_URL, else a redis-server of
 * our own on a free port (isolated from the machine's shared one), else a testcontainers Redis
 * for developers who have Docker and no redis-server. Tests isolate themselves from each other
 * with a unique key prefix, not with separate servers.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const explicit = process.env.REDIS_URL;
  if (explicit) {
    project.provide('redisUrl', explicit);
    return () => Promise.resolve();
  }
  if (hasRedisServer()) {
    const server = await startRedisServer();
    project.provide('redisUrl', server.url);
    return () => server.stop();
  }
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('redis:7-alpine')
    .withExposedPorts(6379)
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'])
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  project.provide('redisUrl', `redis://${container.getHost()}:${container.getMappedPort(6379)}`);
  return async () => {
    await container.stop();
  };
}
