import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { QueueKind } from '@tbe/shared';
import type { DashboardContext } from '../context.ts';
import { FONTS_PATH, serveFont } from './fonts.ts';
import { boardVerdict } from './policy.ts';

export const BOARD_PATH = '/admin/queues';
const VIEWS_DIR = fileURLToPath(new URL('./views', import.meta.url));

/**
 * Every queue: no "Set rate limit" (the workers own the pace of the platforms; Bull Board shows
 * the entry only when the adapter supports a global rate limit).
 */
class TicketingAdapter extends BullMQAdapter {
  override get supportsGlobalRateLimit(): boolean {
    return false;
  }
}

/**
 * A platform queue (one partition of it with QUEUE_PARTITIONS > 1): Pause and Resume are the
 * processing switch of the whole platform, so they act on every partition's queue, and the
 * queue reads as paused when any partition is (the platform is off).
 */
class PlatformPartAdapter extends TicketingAdapter {
  readonly #partitions: readonly Queue[];

  constructor(
    queue: Queue,
    options: ConstructorParameters<typeof BullMQAdapter>[1],
    partitions: readonly Queue[],
  ) {
    super(queue, options);
    this.#partitions = partitions;
  }

  override async pause(): Promise<void> {
    await Promise.all(this.#partitions.map((queue) => queue.pause()));
  }

  override async resume(): Promise<void> {
    await Promise.all(this.#partitions.map((queue) => queue.resume()));
  }

  override async isPaused(): Promise<boolean> {
    return (await Promise.all(this.#partitions.map((queue) => queue.isPaused()))).some(Boolean);
  }
}

/**
 * The adapter of a queue that must keep running (dead letters, WM reports): pause does nothing,
 * so Bull Board's "Pause all" reaches only the platform queues, i.e. it is the switch for all.
 * Its own pause button is refused by the policy with a message.
 */
class KeepRunningAdapter extends TicketingAdapter {
  override async pause(): Promise<void> {}
}

/**
 * What each kind of queue offers on the board. Bull Board 9.10.1 hides a queue's actions only
 * all at once (read-only mode) and "Set rate limit" on its own; the others it cannot hide are
 * named in the queue's description, and refused by the policy when pressed.
 */
const BOARD_LOOK: Record<QueueKind, { readOnlyMode: boolean; note: string }> = {
  platform: {
    readOnlyMode: false,
    note: 'Pause and Resume are the processing switch. Refused: Add job, Empty, Obliterate, Set concurrency, and Duplicate or Edit of a job (tickets come from WM; the workers set their own pace).',
  },
  'dead-letter': {
    readOnlyMode: false,
    note: 'Each job is a ticket to review (ticket, operation, error). Retry sends it again with a fresh budget; Clean or Delete discards it. Refused: Pause, Add job, Empty, Obliterate, Set concurrency, and Duplicate or Edit of a job.',
  },
  'wm-status': {
    readOnlyMode: true,
    note: 'Read only: the workers send these reports to WM and retry them themselves.',
  },
};

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Bull Board over every queue of the catalogue; answers requests under BOARD_PATH. */
export function createBoard(ctx: DashboardContext): (req: IncomingMessage, res: ServerResponse) => void {
  const kinds = new Map<string, QueueKind>(ctx.queues.map(({ spec }) => [spec.name, spec.kind]));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: ctx.queues.map(({ spec, queue }) => {
      const look = BOARD_LOOK[spec.kind];
      const options = { description: `${spec.description}. ${look.note}`, readOnlyMode: look.readOnlyMode };
      return spec.kind === 'platform' && spec.platform !== undefined
        ? new PlatformPartAdapter(
            queue,
            options,
            ctx.platformQueues(spec.platform).map((each) => each.queue),
          )
        : new KeepRunningAdapter(queue, options);
    }),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'Ticketing BE',
        miscLinks: [
          // The ticket overview: every ticket, also those whose jobs are done and off the board.
          { text: 'Tickets', url: '/admin/tickets' },
          { text: 'Log out', url: '/admin/logout' },
        ],
      },
      handlerHooks: {
        async before({ method, route, request }) {
          const params = request.params as Record<string, string | undefined>;
          const queueName = params.queueName;
          const jobId = params.jobId;
          const kind = queueName === undefined ? undefined : kinds.get(queueName);
          // A job id names a job only when BullMQ knows the job's state: `meta`, `events` and the
          // like are the queue's own keys, which getJob would read (and clean delete) as a job.
          let jobState: string | undefined;
          if (jobId !== undefined && queueName !== undefined) {
            jobState = await ctx.queues
              .find(({ spec }) => spec.name === queueName)
              ?.queue.getJobState(jobId)
              .catch(() => 'unknown');
            if (jobState === undefined || jobState === 'unknown') {
              return { allow: false, status: 404, message: `No job ${jobId} in queue ${queueName}.` };
            }
          }
          const verdict = boardVerdict({ method, route, params }, kind, jobState);
          if (verdict.allow) return { allow: true };
          ctx.logger.info({ route, queue: queueName, status: verdict.status }, 'Bull Board action refused');
          return { allow: false, status: verdict.status, message: verdict.message };
        },
      },
    },
  });
  // Bull Board's page with the web fonts served from here (fonts.ts), set after createBullBoard,
  // which sets its own.
  serverAdapter.setViewsPath(VIEWS_DIR);
  const app = serverAdapter.getRouter() as NodeHandler;
  return (req, res) => {
    // The board's routes are relative to where it is mounted; the normalised path is the one the
    // authentication decided on.
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.slice(BOARD_PATH.length) || '/';
    if (req.method === 'GET' && path.startsWith(FONTS_PATH)) {
      void serveFont(path.slice(FONTS_PATH.length), res).then(
        (served) => {
          if (served) return;
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not found');
        },
        (error: unknown) => {
          ctx.logger.error({ err: error }, 'a board font could not be read');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('internal error');
        },
      );
      return;
    }
    req.url = path + url.search;
    app(req, res, (error) => {
      if (error) ctx.logger.error({ err: error }, 'Bull Board failed');
      if (!res.headersSent) res.writeHead(error ? 500 : 404, { 'content-type': 'text/plain' });
      res.end(error ? 'internal error' : 'not found');
    });
  };
}
