// The baseline of the drain scenarios: a plain BullMQ worker whose processor does nothing, run
// as a process of its own like the product's worker. Its jobs/s is BullMQ's ceiling on this
// machine and Redis. Prints {"event":"ready"} once it waits for jobs and {"event":"done"} with
// the time of the last completion once NOOP_JOBS jobs completed; exits on SIGTERM.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const jobs = Number(env('NOOP_JOBS'));
const connection = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null });
let completed = 0;
const worker = new Worker(env('NOOP_QUEUE'), () => Promise.resolve(), {
  connection,
  prefix: env('NOOP_PREFIX'),
  concurrency: Number(env('NOOP_CONCURRENCY')),
});
worker.on('completed', () => {
  completed += 1;
  if (completed !== jobs) return;
  console.log(JSON.stringify({ event: 'done', completed, lastAt: Date.now() }));
});
// Stays up after "done" until told, so that its CPU time can still be read.
process.once('SIGTERM', () => {
  void worker.close().then(() => {
    connection.disconnect();
    process.exit(0);
  });
});
await worker.waitUntilReady();
console.log(JSON.stringify({ event: 'ready' }));
