import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { QueueKind } from '@tbe/shared';
import type { DashboardContext } from '../context.ts';
import { boardVerdict } from './policy.ts';

export const BOARD_PATH = '/admin/queues';

/**
 * The adapter of a queue that must keep running (dead letters, WM reports): pause does nothing,
 * so Bull Board's "Pause all" reaches only the platform queues, i.e. it is the switch for all.
 * Its own pause button is refused by the policy with a message.
 */
class KeepRunningAdapter extends BullMQAdapter {
  override async pause(): Promise<void> {}
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Bull Board over every queue of the catalogue; answers requests under BOARD_PATH. */
export function createBoard(ctx: DashboardContext): (req: IncomingMessage, res: ServerResponse) => void {
  const kinds = new Map<string, QueueKind>(ctx.queues.map(({ spec }) => [spec.name, spec.kind]));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: ctx.queues.map(({ spec, queue }) => {
      const options = { description: spec.description };
      return spec.kind === 'platform'
        ? new BullMQAdapter(queue, options)
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
  const app = serverAdapter.getRouter() as NodeHandler;
  return (req, res) => {
    // The board's routes are relative to where it is mounted; the normalised path is the one the
    // authentication decided on.
    const url = new URL(req.url ?? '/', 'http://localhost');
    req.url = (url.pathname.slice(BOARD_PATH.length) || '/') + url.search;
    app(req, res, (error) => {
      if (error) ctx.logger.error({ err: error }, 'Bull Board failed');
      if (!res.headersSent) res.writeHead(error ? 500 : 404, { 'content-type': 'text/plain' });
      res.end(error ? 'internal error' : 'not found');
    });
  };
}
