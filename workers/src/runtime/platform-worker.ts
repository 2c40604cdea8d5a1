import { DelayedError, UnrecoverableError, WaitingError, Worker, type Job, type Queue } from 'bullmq';
import {
  CorruptRecordError,
  describeIssues,
  heldReceivedEvents,
  OPERATIONS,
  stateFields,
  type PlatformState,
  PLATFORM_JOB_BACKOFF,
  PLATFORM_JOB_NAME,
  platformJobOptions,
  readOwnPlatformState,
  platformJobSchema,
  type Keys,
  type Operation,
  type OverviewStore,
  type PlatformJob,
  type QueueSpec,
  type RedisClient,
  type TicketRecords,
  type TicketStore,
  type Timings,
  backoffDelayMs,
  type BackoffConfig,
} from '@tbe/shared';
import { callScript, defineScript, luaSource } from '@tbe/shared/store/scripts';
import { Batcher } from '../batch/batcher.ts';
import type { ConcurrencyLimiter } from '../batch/limiter.ts';
import { nextOperation } from '../flow/next-operation.ts';
import { lockKeyOf, runBatch, type BatchRunnerDeps, type Entry, type Fence } from './batch-runner.ts';
import { moveToDeadLetters } from './dead-letters.ts';
import { OperationFailedError } from './operation-failed-error.ts';
import { finishSettlement, type Settlement } from './settlement.ts';

/** Operations that only ever follow another one of the same change: their batches go first. */
const FOLLOW_ON_OPERATIONS: ReadonlySet<Operation> = new Set(['workOrder', 'writeBack']);

/** Stalls a job may survive before BullMQ fails it (visible in the queue's Failed tab). */
export const MAX_STALLED_COUNT = 20;

export interface PlatformWorkerDeps extends BatchRunnerDeps {
  /** BullMQ's connection for the worker (it duplicates one for blocking calls). */
  connection: RedisClient;
  keys: Keys;
  tickets: TicketStore;
  records: TicketRecords;
  overview: OverviewStore;
  platformSpec: QueueSpec;
  platformQueue: Queue;
  backoff: BackoffConfig;
  timings: Timings;
  /** Requests in flight to the platform from this process (adaptive or fixed). */
  limiter: ConcurrencyLimiter;
}

export interface PlatformWorker {
  readonly worker: Worker<PlatformJob>;
  /** Stops taking jobs, sends what is batched, waits for jobs in flight (bounded by the caller). */
  close(): Promise<void>;
}

/**
 * Batching on open-source BullMQ: an accumulator inside a plain Worker. Each job's processor
 * call parks its ticket in the batcher of its next operation and awaits its own result, so
 * BullMQ keeps renewing locks, recovers stalled jobs, emits events and waits for active jobs on
 * close. Measured here against manual `getNextJob` batching (docs/design.md, "Batching"): about
 * the throughput of a plain worker, where the manual loop reached half. Concurrency is one
 * full batch more than the requests in flight, so a full batch gathers while the others are out.
 */
export function startPlatformWorker(deps: PlatformWorkerDeps): PlatformWorker {
  const { platform, live } = deps;
  const inFlight = deps.limiter;
  const batchers = Object.fromEntries(
    OPERATIONS.map((op) => [
      op,
      new Batcher<Entry, Settlement>({
        inFlight,
        limits: () => ({
          maxSize: live.get(platform).maxTicketsPerRequest,
          maxWaitMs: live.get(platform).batchWaitMs,
        }),
        // Later steps of a change go before new creates: no step starves another.
        priority: FOLLOW_ON_OPERATIONS.has(op) ? 1 : 0,
        send: (entries) => runBatch(deps, fence, op, entries),
      }),
    ]),
  ) as Record<Operation, Batcher<Entry, Settlement>>;

  // One check per queue (one Cluster slot each), every job's lock asked of Redis.
  defineScript(deps.redis, 'tbeLockCheck', luaSource('lock-check'));
  const fence: Fence = async (entries) => {
    const byQueue = new Map<string, Entry[]>();
    for (const entry of entries) {
      if (entry.token === undefined || entry.job.id === undefined) continue;
      const queue = byQueue.get(entry.job.queueQualifiedName) ?? [];
      queue.push(entry);
      byQueue.set(entry.job.queueQualifiedName, queue);
    }
    const lost = new Set<string>();
    for (const owned of byQueue.values()) {
      const positions = (await callScript(
        deps.redis,
        'tbeLockCheck',
        owned.map((entry) => lockKeyOf(entry.job)),
        owned.map((entry) => entry.token ?? ''),
      )) as number[];
      for (const position of positions) lost.add(owned[position - 1]?.job.id ?? '');
    }
    return lost;
  };

  // Tickets this process is working on: a job handed out again while its first run is still
  // here (its lock lapsed while the process was frozen) must not run a second operation at once.
  const local: Local = { batchers, tickets: new Set(), closing: false };
  defineScript(deps.redis, 'tbeSetAttempts', luaSource('set-attempts'));
  // With adaptive concurrency, for the limit in force with room to grow into (twice it), not
  // for the ceiling: 64 x a full batch of jobs held per process would cost lock renewals and
  // CPU for requests that cannot be sent.
  const concurrency = (): number => {
    const settings = live.get(platform);
    const room = Math.min(settings.maxInFlight, 2 * inFlight.limit);
    return settings.maxTicketsPerRequest * (room + 1);
  };
  const worker = new Worker<PlatformJob>(
    deps.platformSpec.name,
    (job, token) => processJob(deps, local, job, token),
    {
      connection: deps.connection,
      prefix: deps.platformSpec.prefix,
      // Removal of finished jobs lives here, not in every job's opts (shared/src/queues.ts).
      ...deps.platformSpec.keepJobs,
      concurrency: concurrency(),
      lockDuration: deps.timings.lockDurationMs,
      stalledInterval: deps.timings.stalledIntervalMs,
      // A stall is a dead or frozen process, not a fault of the ticket: BullMQ's default (1)
      // would fail the job for good on its second stall, stranding it outside the dead letters.
      maxStalledCount: MAX_STALLED_COUNT,
      autorun: false,
      settings: {
        backoffStrategy: (attemptsMade, _type, error) =>
          backoffDelayMs(
            attemptsMade,
            deps.backoff,
            error instanceof OperationFailedError ? error.verdict.retryAfterMs : undefined,
          ),
      },
    },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'platform worker error'));
  live.onSettingsChange((changed) => {
    if (changed === platform) worker.concurrency = concurrency();
  });
  inFlight.onLimitChange?.(() => {
    worker.concurrency = concurrency();
  });

  return {
    worker,
    async close() {
      local.closing = true;
      const closing = worker.close();
      await Promise.all(Object.values(batchers).map((batcher) => batcher.flush()));
      await closing;
    },
  };
}

interface Local {
  batchers: Record<Operation, Batcher<Entry, Settlement>>;
  tickets: Set<string>;
  /** Set on close: a job finishing an operation hands the next one back to the queue. */
  closing: boolean;
}

const OPERATION_NAMES: ReadonlySet<unknown> = new Set(OPERATIONS);

/**
 * The job's data: the product's own (`{ ticketId, op? }`) is checked by hand on the hot path;
 * anything else (a job added by hand) gets the schema's full explanation.
 */
function readJobData(data: unknown): { data: PlatformJob } {
  const candidate = data as Partial<PlatformJob> | null;
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.ticketId === 'string' &&
    candidate.ticketId.length > 0 &&
    (candidate.op === undefined || OPERATION_NAMES.has(candidate.op)) &&
    Object.keys(candidate).every((key) => key === 'ticketId' || key === 'op')
  )
    return { data: { ticketId: candidate.ticketId, ...(candidate.op ? { op: candidate.op } : {}) } };
  const parsed = platformJobSchema.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`invalid job payload: ${describeIssues(parsed.error)}`);
  return parsed;
}

/** How long a job waits when its ticket is still being worked on in this process. */
const BUSY_TICKET_DELAY_MS = 1000;

async function processJob(
  deps: PlatformWorkerDeps,
  local: Local,
  job: Job<PlatformJob>,
  token: string | undefined,
): Promise<void> {
  // BullMQ retries a failed job by the backoff in its options as this process holds them; the
  // product keeps it out of the stored options (shared/src/queues.ts), so it is given here.
  job.opts.backoff ??= PLATFORM_JOB_BACKOFF;
  const ticketId = job.data.ticketId;
  if (typeof ticketId === 'string' && local.tickets.has(ticketId)) {
    await job.moveToDelayed(Date.now() + BUSY_TICKET_DELAY_MS, token);
    throw new DelayedError();
  }
  local.tickets.add(ticketId);
  try {
    await processTicketJob(deps, local, job, token);
  } finally {
    local.tickets.delete(ticketId);
  }
}

/** The code of a dead letter whose stored version could not be read (docs/design.md). */
export const UNREADABLE_RECORD_CODE = 'STORED_RECORD_UNREADABLE';

/**
 * A stored version the worker cannot read (damaged, or a format this release does not know):
 * nothing can be sent for it, and trying again would fail the same way, so the ticket goes to its
 * dead letters at once with the reason, is marked `error` and reported, like any permanent
 * failure. A newer version from WM (stored whole) or an operator's retry after a fix sends it again.
 */
async function deadLetterUnreadable(
  deps: PlatformWorkerDeps,
  ticketId: string,
  state: PlatformState,
  /** The state hash's held `received` events (the versions the producer queued). */
  received: string | undefined,
  attemptsMade: number,
  error: CorruptRecordError,
): Promise<void> {
  const { platform, part } = deps;
  // The stored version; when its header is unreadable, the newest one the producer queued, else
  // the last applied. WM takes versions >= 1 only (one report naming 0 would have WM refuse its
  // whole round), so with none known the ticket is not reported (the overview still shows it).
  const version =
    (await deps.tickets.getVersion(part, ticketId)) ??
    heldReceivedEvents(received).find((event) => (event.version ?? 0) >= 1)?.version ??
    state.version;
  const operation: Operation = state.platformId === undefined ? 'create' : 'update';
  const at = new Date().toISOString();
  const lastError = { code: UNREADABLE_RECORD_CODE, message: error.message };
  const attempt = attemptsMade + 1;
  const attempts = { ...state.attempts, [operation]: attempt };
  const errors = [{ attempt, at, ...lastError }];
  await moveToDeadLetters(deps, [
    { ticketId, platform, operation, version, attempts: attempt, lastError, errors, deadAt: at },
  ]);
  if (deps.statusQueue && version >= 1)
    await deps.statusQueue.add('reports', {
      reports: [
        {
          ticketId,
          version,
          platform,
          state: 'error',
          externalId: state.platformId ?? null,
          workOrder: state.workOrder ?? null,
          attempts: attempt,
          error: lastError,
          at,
        },
      ],
    });
  await deps.overview.transition([
    {
      platform,
      part,
      ticketId,
      state: 'error',
      fields: stateFields({ errors, lastError, attempts, deadOperation: operation, deadVersion: version }),
      event: { event: 'dead-letter', version, detail: `${operation}: ${UNREADABLE_RECORD_CODE}` },
    },
  ]);
  deps.metrics.tickets.inc({ platform, outcome: 'error' });
}

async function processTicketJob(
  deps: PlatformWorkerDeps,
  local: Local,
  job: Job<PlatformJob>,
  token: string | undefined,
): Promise<void> {
  const { platform, part } = deps;
  const parsed = readJobData(job.data);
  const { ticketId } = parsed.data;
  const [stored, hash] = await Promise.all([
    // Stored by the producer after validation, under the version fence: decoded, not validated again.
    deps.tickets.getLatest(part, ticketId).catch((error: unknown) => error as Error),
    deps.redis.hgetall(deps.records.keysOf(part, ticketId).state),
  ]);
  if (stored instanceof CorruptRecordError) {
    await deadLetterUnreadable(
      deps,
      ticketId,
      readOwnPlatformState(hash),
      hash.received,
      job.attemptsMade,
      stored,
    );
    return;
  }
  if (stored instanceof Error) throw stored;
  if (!stored) throw new UnrecoverableError(`no stored ticket ${ticketId} for ${platform}`);
  let item = {
    ticketId,
    ticket: stored.ticket,
    seq: stored.seq,
    state: readOwnPlatformState(hash),
    // A failed try or a stall (a crash mid-request): what the job sent before may have landed.
    repeat: job.attemptsMade > 0 || job.stalledCounter > 0,
  };
  // Dead at this version (a job BullMQ kept for it while it was failing, or a repeat after a
  // crash): only a newer version or an operator's retry sends it again.
  if (item.state.deadOperation !== undefined && stored.ticket.version <= item.state.deadVersion) return;
  let op = nextOperation(stored.ticket, item.state);
  if (op === undefined) {
    // Nothing left to send (a repeat, or a crash after the last write): report what is pending.
    if (item.state.outcome === undefined) return;
    const settlement = finishSettlement(
      { platform, item, attemptsMade: job.attemptsMade, nowMs: Date.now() },
      item.state,
    );
    if (settlement.report && deps.statusQueue)
      await deps.statusQueue.add('reports', { reports: [settlement.report] });
    await deps.overview.transition(settlement.transition ? [{ ...settlement.transition, part }] : []);
    return;
  }
  if (job.attemptsMade > 0 && parsed.data.op !== op) {
    // The job failed at another operation and the next one changed meanwhile (a newer version
    // came in): the new operation gets a job, and a budget, of its own.
    await handOver(deps, ticketId);
    return;
  }
  // One job carries the ticket's change through all its operations: after each success it goes
  // on to the next one, batched again with the other tickets at that step.
  for (let handedOn = false; ; handedOn = true) {
    await fixBudget(deps, job, op);
    const maxRetries = (job.opts.attempts ?? 1) - 1;
    const settlement = await local.batchers[op].submit({ job, token, item, maxRetries }, { handedOn });
    const { step } = settlement;
    switch (step.kind) {
      case 'done':
      case 'lost':
        return;
      case 'next': {
        // The next operation was never sent by an earlier run: it follows a recorded success.
        item = { ...item, state: step.state, repeat: false };
        const next = nextOperation(item.ticket, item.state);
        if (next === undefined) return;
        // Each operation has a budget of its own: a job that spent tries on this one hands the
        // next to a fresh job (rare: only after retries). A closing worker hands it back too.
        if (job.attemptsMade > 0 || local.closing) {
          await handOver(deps, ticketId);
          return;
        }
        op = next;
        continue;
      }
      case 'retry':
        if (parsed.data.op !== op) await job.updateData({ ticketId, op });
        throw new OperationFailedError(step.verdict);
      case 'wait':
        await job.moveToDelayed(Date.now() + Math.max(1, step.delayMs), token);
        throw new DelayedError();
      case 'requeue':
        await job.moveToWait(token);
        throw new WaitingError();
    }
  }
}

/**
 * The budget of an operation is fixed when it starts (operations.md): BullMQ's `attempts` of the
 * job becomes `maxRetries + 1` as set now, so the board shows it and BullMQ retries by it. A
 * retry keeps the budget its operation started with.
 */
async function fixBudget(deps: PlatformWorkerDeps, job: Job<PlatformJob>, op: Operation): Promise<void> {
  if (job.attemptsMade > 0 && job.data.op === op) return;
  const attempts = deps.live.get(deps.platform).maxRetries + 1;
  if (job.opts.attempts === attempts || job.id === undefined) return;
  await callScript(deps.redis, 'tbeSetAttempts', [deps.platformQueue.toKey(job.id)], [attempts]);
  job.opts.attempts = attempts;
}

/** The ticket's next operation in a job of its own (BullMQ starts it when the current one ends). */
async function handOver(deps: PlatformWorkerDeps, ticketId: string): Promise<void> {
  const maxRetries = deps.live.get(deps.platform).maxRetries;
  await deps.platformQueue.add(PLATFORM_JOB_NAME, { ticketId }, platformJobOptions(ticketId, maxRetries));
}
