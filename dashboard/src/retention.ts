import {
  FINAL_STATES,
  PLATFORMS,
  TICKET_STATES,
  ticketJobId,
  type Part,
  type Platform,
  type TicketState,
} from '@tbe/shared';
import { defineScript, luaSource, queueScript } from '@tbe/shared/store/scripts';
import type { DashboardContext } from './context.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SweepResult {
  /** Tickets removed from the overview. */
  removed: number;
  /** Candidates looked at (the work bound). */
  examined: number;
}

export interface RetentionSweeper {
  /** One bounded pass over every platform's final-state indexes. */
  runOnce(): Promise<SweepResult>;
  retentionMs: number;
}

/**
 * Keeps the overview bounded: a ticket in a final state is kept TICKET_RETENTION_DAYS after its
 * last change (its score in the state index), then its state, history, stored version and index
 * entry go. A ticket in `error` whose dead letter still waits for review is kept until the dead
 * letter is retried or discarded (the discard is its last change). Each pass examines at most
 * `maxPerRun` candidates, shared evenly by the indexes so that no platform starves another; any
 * replica may sweep (each removal is one atomic, re-checked step).
 */
export function createRetentionSweeper(
  ctx: DashboardContext,
  options: { retentionMs?: number; maxPerRun?: number } = {},
): RetentionSweeper {
  const retentionMs = options.retentionMs ?? ctx.config.ticketRetentionDays * DAY_MS;
  const maxPerRun = options.maxPerRun ?? 1000;
  const finalStates = TICKET_STATES.filter((state) => FINAL_STATES.has(state));
  const { records } = ctx;
  const perIndexBudget = Math.max(
    1,
    Math.ceil(maxPerRun / (PLATFORMS.length * records.count * finalStates.length)),
  );
  // With one partition the dead-letter check is inside the script (same hash tag); with several
  // the dead letters are the platform's, another slot: checked just before (a dead letter written
  // after it comes with a transition that re-scores the ticket, which the script sees).
  const partitioned = records.count > 1;
  defineScript(ctx.redis, 'tbeSweepTicket', luaSource('sweep-ticket'));

  async function sweepIndex(
    platform: Platform,
    part: Part,
    state: TicketState,
    cutoffMs: number,
    budget: number,
  ): Promise<SweepResult> {
    const result: SweepResult = { removed: 0, examined: 0 };
    const index = records.indexKey(part, state);
    const position = TICKET_STATES.indexOf(state) + 1;
    const dead = ctx.deadLetterQueue(platform).queue;
    let kept = 0;
    while (result.examined < budget) {
      // Oldest first; the ones kept (dead letter pending) are stepped over by offset.
      const ids = await ctx.redis.zrangebyscore(
        index,
        '-inf',
        cutoffMs,
        'LIMIT',
        kept,
        Math.min(100, budget - result.examined),
      );
      if (ids.length === 0) break;
      const deadNow =
        partitioned && state === 'error'
          ? await Promise.all(ids.map((ticketId) => ctx.redis.exists(dead.toKey(ticketJobId(ticketId)))))
          : ids.map(() => 0);
      const pipeline = ctx.redis.pipeline();
      const swept: (string | undefined)[] = [];
      ids.forEach((ticketId, i) => {
        if (deadNow[i] === 1) return;
        const record = records.keysOf(part, ticketId);
        const keys = [
          record.state,
          record.history,
          record.ticket,
          partitioned ? record.state : dead.toKey(ticketJobId(ticketId)),
          ...records.indexKeys(part),
        ];
        const args = [
          ticketId,
          String(position),
          String(cutoffMs),
          state === 'error' && !partitioned ? '1' : '0',
        ];
        queueScript(pipeline, 'tbeSweepTicket', keys, args);
        swept.push(ticketId);
      });
      kept += ids.length - swept.length;
      const answers = swept.length > 0 ? ((await pipeline.exec()) ?? []) : [];
      const removed: string[] = [];
      answers.forEach(([error, answer], i) => {
        if (error) throw error;
        if (answer === 1) {
          result.removed += 1;
          removed.push(swept[i] ?? '');
        } else if (answer === -1) kept += 1;
      });
      await records.forget(part, removed);
      result.examined += ids.length;
    }
    return result;
  }

  return {
    retentionMs,
    async runOnce() {
      const cutoffMs = ctx.now() - retentionMs;
      const total: SweepResult = { removed: 0, examined: 0 };
      for (const platform of PLATFORMS) {
        for (const part of records.parts(platform)) {
          for (const state of finalStates) {
            const { removed, examined } = await sweepIndex(platform, part, state, cutoffMs, perIndexBudget);
            total.removed += removed;
            total.examined += examined;
          }
        }
      }
      if (total.removed > 0)
        ctx.logger.info({ ...total, cutoff: new Date(cutoffMs).toISOString() }, 'overview retention sweep');
      return total;
    },
  };
}
