export * from './support/wait-for.ts';
export * from './support/redis.ts';
export * from './setup/redis-server.ts';
