import type { Job, Queue } from 'bullmq';
import {
  metricCode,
  type Logger,
  type Operation,
  type OverviewStore,
  type Part,
  type Platform,
  type PlatformJob,
  type QueueSpec,
  type RedisClient,
} from '@tbe/shared';
import type { OperationRunner } from '../flow/types.ts';
import type { PendingCreates } from '../flow/pending-creates.ts';
import { failedAll, type OpItem, type TryResult } from '../flow/types.ts';
import { moveToDeadLetters } from './dead-letters.ts';
import type { LiveSettings } from './live-settings.ts';
import type { WorkerMetrics } from './metrics.ts';
import { idleSettlement, settleTry, type Settlement, type WaitPolicy } from './settlement.ts';

/** One ticket's job waiting in an operation batch. */
export interface Entry {
  job: Job<PlatformJob>;
  /** The job's lock token: proof that this run still owns the job. */
  token: string | undefined;
  item: OpItem;
  maxRetries: number;
}

/**
 * Checks the entries' locks in Redis (`lua/lock-check.lua`: a GET per job; BullMQ's lock
 * renewal keeps them alive); answers the job ids whose lock is lost (another run owns them
 * now). Always asked of Redis, never trusted from an earlier answer: a
 * lock can vanish early (a Redis clock step, a Cluster shard failing over to a lagging replica,
 * a restart behind a proxy) without this process seeing a reconnection (docs/decisions.md).
 */
export type Fence = (entries: readonly Entry[]) => Promise<Set<string>>;

export interface BatchRunnerDeps {
  platform: Platform;
  /** The partition this runner serves: its tickets' keys share its hash tag. */
  part: Part;
  /** Our own reads and writes, auto-pipelined. */
  redis: RedisClient;
  runners: Record<Operation, OperationRunner>;
  pending: PendingCreates;
  overview: OverviewStore;
  live: LiveSettings;
  platformQueue: Queue;
  platformSpec: QueueSpec;
  deadLetters: Queue;
  deadLetterSpec: QueueSpec;
  /** Undefined when WM_STATUS_REPORTING is off. */
  statusQueue: Queue | undefined;
  wait: WaitPolicy;
  metrics: WorkerMetrics;
  logger: Logger;
}

/**
 * Sends one operation batch and records every ticket's result. Partial failure: each ticket is
 * settled from its own item's result; a request that failed as a whole fails every ticket in it
 * (one attempt each). Writes are pipelined per batch, never per ticket.
 *
 * Lock fencing: a process that froze past its jobs' lock duration may find them taken over by
 * another run. The locks are checked before a create or a note into another ticket is sent
 * (inside the create runner: the only operations a repeat would duplicate) and before anything is
 * written (in the transitions' own script call when they are the batch's only writes); a lost job
 * is left alone. Updates, resolves and write-backs repeat harmlessly (same version), and work
 * orders are looked up before they are created again.
 */
export async function runBatch(
  deps: BatchRunnerDeps,
  fence: Fence,
  op: Operation,
  entries: Entry[],
): Promise<Settlement[]> {
  const { platform, live } = deps;
  // Switched off: nothing is sent; the jobs go back to the (paused) queue at no cost.
  if (live.paused(platform))
    return entries.map((entry) => idleSettlement(entry.item.ticketId, { kind: 'requeue' }));
  const limitedUntil = live.rateLimitedUntil(platform);
  if (limitedUntil !== undefined) {
    const delayMs = limitedUntil - Date.now();
    return entries.map((entry) =>
      idleSettlement(entry.item.ticketId, { kind: 'wait', delayMs, verdict: undefined }),
    );
  }
  // A note sent twice is a second note: a note batch is fenced before it goes (creates are
  // fenced inside their runner, after their searches).
  const lostBefore = op === 'note' ? await fence(entries) : new Set<string>();
  const owned = entries.filter((entry) => !lostBefore.has(entry.job.id ?? ''));
  deps.metrics.batchSize.observe({ platform, operation: op }, owned.length);
  const results = await runOwned(deps, fence, op, owned);
  const nowMs = Date.now();
  let settlements = entries.map((entry): Settlement => {
    const { job, item, maxRetries } = entry;
    const result = results.get(entry);
    if (!result) return idleSettlement(item.ticketId, { kind: 'lost' });
    return settleTry(
      { platform, op, item, attemptsMade: job.attemptsMade, maxRetries, nowMs },
      result,
      deps.wait,
    );
  });
  // A batch that writes nothing but its state transitions (every job goes on to its next
  // operation: creates and work orders, as a rule) is fenced in the transitions' own script call,
  // atomically with the write; any other is fenced before its first write, in a call of its own.
  const fencedInWrite = fencesInTransitions(deps, entries, settlements);
  if (!fencedInWrite) {
    const lostAfter = await fence(owned);
    settlements = settlements.map((settlement, index) =>
      lostAfter.has(entries[index]?.job.id ?? '')
        ? idleSettlement(settlement.ticketId, { kind: 'lost' })
        : settlement,
    );
  }
  const lostInWrite = await writeSettlements(deps, op, settlements, fencedInWrite ? entries : undefined);
  if (lostInWrite.size > 0)
    settlements = settlements.map((settlement) =>
      lostInWrite.has(settlement.ticketId)
        ? idleSettlement(settlement.ticketId, { kind: 'lost' })
        : settlement,
    );
  countSettlements(deps, op, settlements);
  await noteRateLimits(deps, settlements);
  if (op === 'create') {
    // Settled (created, noted, found, or dead): no longer holds back younger tickets of its entity.
    const settled = entries.filter((_, index) => {
      const kind = settlements[index]?.step.kind;
      return kind === 'done' || kind === 'next';
    });
    await deps.pending.settle(settled.map((entry) => entry.item.ticket));
  }
  return settlements;
}

async function runOwned(
  deps: BatchRunnerDeps,
  fence: Fence,
  op: Operation,
  owned: Entry[],
): Promise<Map<Entry, TryResult>> {
  const items = owned.map((entry) => entry.item);
  const byTicket = new Map(owned.map((entry) => [entry.item.ticketId, entry]));
  // The runner asks before a create whether its tickets are still ours.
  const stillOwned = async (asked: readonly OpItem[]): Promise<Set<string>> => {
    const entries = asked.flatMap((item) => byTicket.get(item.ticketId) ?? []);
    const lost = await fence(entries);
    return new Set(
      entries.filter((entry) => !lost.has(entry.job.id ?? '')).map((entry) => entry.item.ticketId),
    );
  };
  const results = await deps.runners[op](items, stillOwned).catch((error: unknown) =>
    failedAll(items, error),
  );
  return new Map(
    owned.map((entry, index) => [entry, results[index] ?? { kind: 'failed', error: new Error('no result') }]),
  );
}

/** BullMQ's lock key of a job, as its own scripts build it: `<prefix>:<queue>:<id>:lock`. */
export const lockKeyOf = (job: Job): string => `${job.queueQualifiedName}:${job.id ?? ''}:lock`;

/**
 * Whether the batch's write fence can go into its transitions' script: it writes nothing else
 * (no dead letter, no WM report, no dead letter cleared), and every job's lock key is in its
 * partition's queue (the hash tag of the transitions' keys: one Cluster slot).
 */
function fencesInTransitions(deps: BatchRunnerDeps, entries: readonly Entry[], settlements: Settlement[]) {
  const queue = deps.platformQueue.qualifiedName;
  return (
    settlements.every(
      (settlement) =>
        (settlement.step.kind === 'next' || settlement.step.kind === 'lost') &&
        !settlement.report &&
        !settlement.deadLetter &&
        !settlement.clearDeadLetter,
    ) && entries.every((entry) => entry.job.queueQualifiedName === queue)
  );
}

/**
 * Writes in the order that survives a crash between any two steps: what must not be lost
 * (dead letters, follow-up jobs, WM reports) before the state that says it was done. A crash
 * in between runs the operation again (idempotent: creates are looked up first) and may
 * report twice, but never forgets. With `fenced` (the batch's entries, in settlement order) each
 * transition carries its job's lock; answers the tickets whose transition that fence refused.
 */
async function writeSettlements(
  deps: BatchRunnerDeps,
  op: Operation,
  settlements: Settlement[],
  fenced: readonly Entry[] | undefined,
): Promise<Set<string>> {
  await moveToDeadLetters(
    deps,
    settlements.flatMap((settlement) => settlement.deadLetter ?? []),
    settlements.flatMap((settlement) =>
      settlement.clearDeadLetter && !settlement.deadLetter ? settlement.ticketId : [],
    ),
  );
  const reports = settlements.flatMap((settlement) => settlement.report ?? []);
  if (deps.statusQueue && reports.length > 0) {
    await deps.statusQueue.add('reports', { reports });
  }
  return deps.overview.transition(
    settlements.flatMap((settlement, index) => {
      if (!settlement.transition) return [];
      const entry = fenced?.[index];
      const lock =
        entry?.token === undefined || entry.job.id === undefined
          ? undefined
          : { key: lockKeyOf(entry.job), token: entry.token };
      return { ...settlement.transition, part: deps.part, ...(lock ? { lock } : {}) };
    }),
  );
}

function countSettlements(deps: BatchRunnerDeps, op: Operation, settlements: Settlement[]): void {
  const { platform, metrics } = deps;
  for (const settlement of settlements) {
    if (settlement.finished) metrics.tickets.inc({ platform, outcome: settlement.finished });
    const { step } = settlement;
    const verdict = step.kind === 'retry' || step.kind === 'wait' ? step.verdict : undefined;
    if (verdict)
      metrics.failures.inc({
        platform,
        operation: op,
        code: metricCode(verdict.code),
        disposition: verdict.disposition,
      });
  }
}

async function noteRateLimits(deps: BatchRunnerDeps, settlements: Settlement[]): Promise<void> {
  for (const { step } of settlements) {
    if (step.kind === 'wait' && step.verdict?.code === 'HTTP_429') {
      await deps.live.noteRateLimit(deps.platform, Date.now() + step.delayMs);
    }
  }
}
