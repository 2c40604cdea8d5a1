import {
  FINAL_STATES,
  PLATFORMS,
  TICKET_STATES,
  ticketJobId,
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
  const perIndexBudget = Math.max(1, Math.ceil(maxPerRun / (PLATFORMS.length * finalStates.length)));
  defineScript(ctx.redis, 'tbeSweepTicket', luaSource('sweep-ticket'));

  async function sweepIndex(
    platform: Platform,
    state: TicketState,
    cutoffMs: number,
    budget: number,
  ): Promise<SweepResult> {
    const result: SweepResult = { removed: 0, examined: 0 };
    const index = ctx.keys.stateIndex(platform, state);
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
      const pipeline = ctx.redis.pipeline();
      for (const ticketId of ids) {
        const keys = [
          ctx.keys.state(platform, ticketId),
          ctx.keys.history(platform, ticketId),
          ctx.keys.ticket(platform, ticketId),
          dead.toKey(ticketJobId(ticketId)),
          ...TICKET_STATES.map((each) => ctx.keys.stateIndex(platform, each)),
        ];
        const args = [ticketId, String(position), String(cutoffMs), state === 'error' ? '1' : '0'];
        queueScript(pipeline, 'tbeSweepTicket', keys, args);
      }
      const answers = (await pipeline.exec()) ?? [];
      for (const [error, answer] of answers) {
        if (error) throw error;
        if (answer === 1) result.removed += 1;
        else if (answer === -1) kept += 1;
      }
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
        for (const state of finalStates) {
          const { removed, examined } = await sweepIndex(platform, state, cutoffMs, perIndexBudget);
          total.removed += removed;
          total.examined += examined;
        }
      }
      if (total.removed > 0)
        ctx.logger.info({ ...total, cutoff: new Date(cutoffMs).toISOString() }, 'overview retention sweep');
      return total;
    },
  };
}
