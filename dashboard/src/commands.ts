import type { Job } from 'bullmq';
import {
  deadLetterSchema,
  PLATFORMS,
  redrive,
  type DeadLetter,
  type RedriveDeps,
  type Platform,
  type Settings,
  type SettingsWithSource,
} from '@tbe/shared';
import type { DashboardContext } from './context.ts';
import { conflict, notFound } from './errors.ts';
import { findDeadLetter } from './reads/ids.ts';

export type Processing = 'enabled' | 'disabled';
export type DeadLetterSelection = { ids: readonly string[] } | { all: true };

/** Dead letters fetched per round of a retry of all of them. */
const RETRY_PAGE = 100;

/**
 * The admin operations, in one place (Immich's "queue commands"): the admin API, the tests and
 * anything running in process call these, so every path does the same thing.
 */
export interface QueueCommands {
  /** The processing switch is BullMQ's global pause of the platform queue(s). */
  setProcessing(
    target: Platform | 'all',
    enabled: boolean,
  ): Promise<{ platform: Platform; processing: Processing }[]>;
  /** Stores run-time settings (already validated) and answers the effective ones. */
  updateSettings(platform: Platform, patch: Partial<Settings>): Promise<SettingsWithSource>;
  /**
   * Sends dead tickets again with a fresh budget and their latest version, and removes their
   * dead letters. Named ids must all exist (404 naming the missing ones, nothing retried).
   */
  retryDeadLetters(platform: Platform, selection: DeadLetterSelection): Promise<number>;
  /** Removes a dead letter after review; the ticket stays `error`. */
  discardDeadLetter(platform: Platform, id: string): Promise<void>;
  /** Resumes any dead-letter queue found paused (a paused one would hold retries); answers which. */
  keepDeadLettersRunning(): Promise<Platform[]>;
}

export function createQueueCommands(ctx: DashboardContext): QueueCommands {
  const redriveDeps = (platform: Platform): RedriveDeps => {
    const maxRetries = async () =>
      (await ctx.settings.effective(platform, ctx.config.settings[platform])).maxRetries.value;
    return {
      platform,
      overview: ctx.overview,
      queueOf: (ticketId) => ctx.queueOfTicket(platform, ticketId),
      maxRetries,
    };
  };

  /** Redrives one dead letter; false for one whose data is unreadable (skipped: discard it after review). */
  async function retryOne(platform: Platform, job: Job): Promise<boolean> {
    const parsed = deadLetterSchema.safeParse(job.data);
    if (!parsed.success) {
      ctx.logger.warn(
        { platform, id: job.id },
        'unreadable dead letter not retried: discard it after review',
      );
      return false;
    }
    // Removed first: redriven, the ticket may die again at once, and its new dead letter (same
    // id) must not be the one removed. 0 when the dead-letter worker holds it (Bull Board's Retry
    // raced us): it redrives it too, harmless (one platform job per ticket), and removes it.
    await ctx.deadLetterQueue(platform).queue.remove(job.id ?? '');
    await redrive(redriveDeps(platform), parsed.data);
    return true;
  }

  async function retryAll(platform: Platform): Promise<number> {
    const { queue } = ctx.deadLetterQueue(platform);
    const seen = new Set<string>();
    let retried = 0;
    for (;;) {
      const jobs = (await queue.getJobs(['failed', 'waiting'], 0, RETRY_PAGE - 1)).filter(
        (job) => !seen.has(job.id ?? ''),
      );
      if (jobs.length === 0) return retried;
      for (const job of jobs) {
        seen.add(job.id ?? '');
        if (await retryOne(platform, job)) retried += 1;
      }
    }
  }

  async function retryIds(platform: Platform, ids: readonly string[]): Promise<number> {
    const unique = [...new Set(ids)];
    const found = await Promise.all(unique.map((id) => findDeadLetter(ctx, platform, id)));
    const missing = unique.filter((_, i) => found[i] === undefined);
    if (missing.length > 0) throw notFound(noDeadLetter(platform, missing));
    // A ticket named by both its ids is retried once.
    const jobs = [...new Map(found.map((job) => [job?.id, job])).values()];
    let retried = 0;
    for (const job of jobs) if (job && (await retryOne(platform, job))) retried += 1;
    return retried;
  }

  return {
    async setProcessing(target, enabled) {
      const platforms = target === 'all' ? [...PLATFORMS] : [target];
      // A switch set at run time wins over TICKET_PROCESSING from now on, after restarts too.
      await ctx.redis.set(ctx.keys.processingInitialised(), 'runtime');
      return Promise.all(
        platforms.map(async (platform) => {
          // Platform-wide: every partition's queue (docs/design.md, "Partitions").
          const queues = ctx.platformQueues(platform).map(({ queue }) => queue);
          await Promise.all(queues.map((queue) => (enabled ? queue.resume() : queue.pause())));
          ctx.logger.info({ platform, processing: enabled }, 'processing switched');
          const paused = await Promise.all(queues.map((queue) => queue.isPaused()));
          return {
            platform,
            processing: paused.some(Boolean) ? ('disabled' as const) : ('enabled' as const),
          };
        }),
      );
    },

    async updateSettings(platform, patch) {
      await ctx.settings.setRuntime(platform, patch);
      ctx.logger.info({ platform, patch }, 'settings changed');
      return ctx.settings.effective(platform, ctx.config.settings[platform]);
    },

    async retryDeadLetters(platform, selection) {
      const retried = 'all' in selection ? await retryAll(platform) : await retryIds(platform, selection.ids);
      ctx.logger.info({ platform, retried }, 'dead letters retried');
      return retried;
    },

    async discardDeadLetter(platform, id) {
      const { queue } = ctx.deadLetterQueue(platform);
      const job = await findDeadLetter(ctx, platform, id);
      if (!job?.id) throw notFound(noDeadLetter(platform, [id]));
      if ((await queue.remove(job.id)) !== 1) throw conflict(`dead letter ${id} is being retried right now`);
      const parsed = deadLetterSchema.safeParse(job.data);
      if (parsed.success) await noteDiscarded(ctx, platform, parsed.data);
      ctx.logger.info({ platform, id: job.id }, 'dead letter discarded');
    },

    async keepDeadLettersRunning() {
      const resumed: Platform[] = [];
      for (const platform of PLATFORMS) {
        const { queue } = ctx.deadLetterQueue(platform);
        if (!(await queue.isPaused())) continue;
        await queue.resume();
        resumed.push(platform);
        ctx.logger.warn(
          { platform },
          'dead-letter queue was paused: resumed (it must run for retries to work)',
        );
      }
      return resumed;
    },
  };
}

function noDeadLetter(platform: Platform, ids: readonly string[]): string {
  return `no ${platform} dead letter for ${ids.join(', ')} (neither a dead-letter id nor a WM ticket id with one)`;
}

/**
 * Records the discard in the ticket's history, which also restarts its retention clock: the
 * review is its last change. Only while the ticket is still `error` (a newer version may have
 * delivered it since).
 */
async function noteDiscarded(
  ctx: DashboardContext,
  platform: Platform,
  deadLetter: DeadLetter,
): Promise<void> {
  const { part } = await ctx.queueOfTicket(platform, deadLetter.ticketId);
  const state = await ctx.redis.hget(ctx.records.keysOf(part, deadLetter.ticketId).state, 'state');
  if (state !== 'error') return;
  await ctx.overview.transition([
    {
      platform,
      part,
      ticketId: deadLetter.ticketId,
      state: 'error',
      event: {
        event: 'discarded',
        version: deadLetter.version,
        detail: `dead letter of ${deadLetter.operation} discarded`,
      },
      nowMs: ctx.now(),
    },
  ]);
}
