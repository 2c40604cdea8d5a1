// The naive relay of the `naive` scenario: the relay as one would write it without batching.
// One BullMQ job per ticket per operation, and one HTTP request per job: the product's own
// platform adapter called with one ticket at a time (so the comparison is about batching, not
// HTTP clients), and one WM status report per ticket. No Redis state besides the jobs: each job
// carries what the next one needs. Prints {"event":"ready"} once authenticated.
import { Queue, Worker } from 'bullmq';
import { createRedis, loadConfig, type Ticket } from '@tbe/shared';
import type { ItemResult, TicketRef } from '@tbe/workers';
import { createAdapter } from '@tbe/workers/platform/create-adapter';

interface NaiveJob {
  step: 'create' | 'workOrder' | 'writeBack' | 'report';
  ticket: Ticket;
  ref?: TicketRef;
  workOrder?: string;
  state?: 'created' | 'noted';
}

const config = loadConfig(process.env, 'worker');
const platform = config.workerPlatforms[0]!;
const concurrency = Number(process.env.NAIVE_CONCURRENCY ?? 250);
const prefix = process.env.NAIVE_PREFIX ?? 'naive';
const adapter = createAdapter(platform, config, { authRetryMs: 1000, maxInFlight: concurrency });
await adapter.init();
const connection = createRedis(config.redis, 'worker');
const queue = new Queue<NaiveJob>('naive', { connection, prefix });
const next = (data: NaiveJob) => queue.add(data.step, data, { removeOnComplete: true });
const one = <T>(results: ItemResult<T>[]): T => {
  const result = results[0];
  if (!result?.ok) throw result?.error ?? new Error('no result');
  return result.value;
};

async function step(job: NaiveJob): Promise<unknown> {
  const { ticket, ref, workOrder } = job;
  switch (job.step) {
    case 'create': {
      const found = (await adapter.findByWmIds([ticket.id])).get(ticket.id);
      if (found)
        return next({ step: 'report', ticket, ref: found, workOrder: found.workOrder, state: 'created' });
      const [open] = await adapter.findOpen([{ entity: ticket.entity, alarmType: ticket.alarmType }]);
      if (open) {
        one(
          await adapter.addNotes([
            {
              host: open,
              ticket,
              text: `[WM ${ticket.id} v${ticket.version}] ${ticket.summary}`,
              repeat: false,
            },
          ]),
        );
        return next({ step: 'report', ticket, ref: open, state: 'noted' });
      }
      return next({
        step: 'workOrder',
        ticket,
        ref: one(await adapter.create([{ ticket, resolved: false }])),
      });
    }
    case 'workOrder':
      return next({
        step: 'writeBack',
        ticket,
        ref,
        workOrder: one(await adapter.createWorkOrders([{ ref: ref!, ticket }])),
      });
    case 'writeBack':
      one(await adapter.writeWorkOrder([{ ref: ref!, ticket, workOrder: workOrder! }]));
      return next({ step: 'report', ticket, ref, workOrder, state: 'created' });
    case 'report': {
      const update = {
        ticketId: ticket.id,
        version: ticket.version,
        platform,
        state: job.state,
        externalId: ref?.id ?? null,
        workOrder: workOrder ?? null,
        attempts: 1,
        error: null,
        at: new Date().toISOString(),
      };
      const response = await fetch(`${config.wm!.url}/tickets/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ updates: [update] }),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`WM answered ${response.status}`);
      return undefined;
    }
  }
}

const worker = new Worker<NaiveJob>('naive', (job) => step(job.data), { connection, prefix, concurrency });
worker.on('failed', (job, error) =>
  console.log(JSON.stringify({ event: 'failed', step: job?.data.step, error: String(error) })),
);
process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
await worker.waitUntilReady();
console.log(JSON.stringify({ event: 'ready' }));
