import type { Job, Queue } from 'bullmq';
import {
  ticketJobId,
  type DeadLetter,
  type Logger,
  type Operation,
  type OverviewStore,
  type Platform,
  type PlatformJob,
  type QueueSpec,
  type StatusReport,
} from '@tbe/shared';
import type { OperationRunner } from '../flow/operations.ts';
import type { PendingCreates } from '../flow/pending-creates.ts';
import { failedAll, type OpItem } from '../flow/types.ts';
import type { LiveSettings } from './live-settings.ts';
import type { WorkerMetrics } from './metrics.ts';
import { planOutcome, type Plan, type WaitPolicy } from './plan.ts';

/** One ticket's job waiting in an operation batch. */
export interface Entry {
  job: Job<PlatformJob>;
  item: OpItem;
  maxRetries: number;
}

export interface BatchRunnerDeps {
  platform: Platform;
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
 */
export async function runBatch(deps: BatchRunnerDeps, op: Operation, entries: Entry[]): Promise<Plan[]> {
  const { platform, live } = deps;
  // Switched off: nothing is sent; the jobs go back to the (paused) queue at no cost.
  if (live.paused(platform))
    return entries.map((entry) => ({ ...idle(entry), directive: { kind: 'requeue' } }));
  const limitedUntil = live.rateLimitedUntil(platform);
  if (limitedUntil !== undefined) {
    const delayMs = limitedUntil - Date.now();
    return entries.map((entry) => ({
      ...idle(entry),
      directive: { kind: 'wait', delayMs, verdict: undefined },
    }));
  }

  await deps.overview.transition(
    entries.map(({ job, item }) => ({
      platform,
      ticketId: item.ticketId,
      state: 'processing',
      fields: { attempts: JSON.stringify({ ...item.state.attempts, [op]: job.attemptsMade + 1 }) },
    })),
  );
  deps.metrics.batchSize.observe({ platform, operation: op }, entries.length);
  const items = entries.map((entry) => entry.item);
  const outcomes = await deps.runners[op](items).catch((error: unknown) => failedAll(items, error));
  const nowMs = Date.now();
  const plans = entries.map(({ job, item, maxRetries }, index) =>
    planOutcome(
      { platform, op, item, attemptsMade: job.attemptsMade, maxRetries, nowMs },
      outcomes[index] ?? { kind: 'failed', error: new Error('no outcome') },
      deps.wait,
    ),
  );
  await writePlans(deps, op, plans);
  if (op === 'create') {
    // Settled (created, noted, found, or dead): no longer holds back younger tickets of its entity.
    await deps.pending.settle(
      entries.filter((_, index) => plans[index]?.directive.kind === 'done').map((entry) => entry.item.ticket),
    );
  }
  return plans;
}

function idle(entry: Entry): Omit<Plan, 'directive'> {
  return {
    ticketId: entry.item.ticketId,
    transition: undefined,
    followUp: false,
    report: undefined,
    deadLetter: undefined,
    clearDeadLetter: false,
    finished: undefined,
  };
}

async function writePlans(deps: BatchRunnerDeps, op: Operation, plans: Plan[]): Promise<void> {
  const { platform, metrics } = deps;
  // State first: if the process dies after it, the job runs again and continues from there.
  await deps.overview.transition(plans.flatMap((plan) => plan.transition ?? []));
  const followUps = plans.filter((plan) => plan.followUp);
  if (followUps.length > 0) {
    // The current job is still active: BullMQ keeps this one and starts it when the current ends.
    await deps.platformQueue.addBulk(
      followUps.map((plan) => ({
        name: 'ticket',
        data: { ticketId: plan.ticketId },
        opts: {
          ...deps.platformSpec.jobOptions,
          deduplication: { id: ticketJobId(plan.ticketId), keepLastIfActive: true },
        },
      })),
    );
  }
  const reports = plans.flatMap((plan) => plan.report ?? []);
  if (deps.statusQueue && reports.length > 0) {
    await deps.statusQueue.addBulk(reports.map((report: StatusReport) => ({ name: 'report', data: report })));
  }
  for (const plan of plans) {
    if (plan.deadLetter) await moveToDeadLetter(deps, plan.deadLetter);
    else if (plan.clearDeadLetter) await removeDeadLetter(deps, plan.ticketId);
    if (plan.finished) metrics.tickets.inc({ platform, outcome: plan.finished });
    const verdict =
      plan.directive.kind === 'retry' || plan.directive.kind === 'wait' ? plan.directive.verdict : undefined;
    if (verdict)
      metrics.failures.inc({ platform, operation: op, code: verdict.code, disposition: verdict.disposition });
    if (plan.directive.kind === 'wait' && verdict?.code === 'HTTP_429') {
      await deps.live.noteRateLimit(platform, Date.now() + plan.directive.delayMs);
    }
  }
}

/** The one way into the dead letters: the newest dead letter of a ticket replaces an older one. */
export async function moveToDeadLetter(
  deps: Pick<BatchRunnerDeps, 'deadLetters' | 'deadLetterSpec' | 'metrics' | 'logger'>,
  deadLetter: DeadLetter,
): Promise<void> {
  const jobId = ticketJobId(deadLetter.ticketId);
  await removeDeadLetter(deps, deadLetter.ticketId);
  await deps.deadLetters.add('dead-letter', deadLetter, { ...deps.deadLetterSpec.jobOptions, jobId });
  deps.metrics.deadLetters.inc({ platform: deadLetter.platform, operation: deadLetter.operation });
  deps.logger.warn(
    {
      ticketId: deadLetter.ticketId,
      operation: deadLetter.operation,
      code: deadLetter.lastError.code,
      attempts: deadLetter.attempts,
    },
    'ticket moved to the dead letters',
  );
}

/** Removes a ticket's dead letter; one being parked at this instant is left (logged) rather than failing the batch. */
async function removeDeadLetter(
  deps: Pick<BatchRunnerDeps, 'deadLetters' | 'logger'>,
  ticketId: string,
): Promise<void> {
  try {
    await deps.deadLetters.remove(ticketJobId(ticketId));
  } catch (error) {
    deps.logger.warn({ err: error, ticketId }, 'could not remove an obsolete dead letter');
  }
}
