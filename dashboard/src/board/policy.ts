import type { QueueKind } from '@tbe/shared';

export interface BoardAction {
  /** Bull Board's method and route pattern, e.g. `put` and `/api/queues/:queueName/pause`. */
  method: string;
  route: string;
  params: Record<string, string | undefined>;
}

export type BoardVerdict = { allow: true } | { allow: false; status: 403 | 405 | 409; message: string };

const ALLOW: BoardVerdict = { allow: true };
const refuse = (status: 403 | 405 | 409, message: string): BoardVerdict => ({
  allow: false,
  status,
  message,
});

/** Job states whose jobs are finished: removing one loses nothing a ticket still needs. */
const FINISHED = new Set(['failed', 'completed']);

/**
 * What Bull Board may change, per kind of queue (an allow-list: a Bull Board upgrade adding an
 * action leaves it refused until someone decides). Reading is always allowed. Allowed everywhere:
 * Retry and Retry all (on a dead letter it redrives the ticket), Promote, Clean of finished jobs.
 * Pause and resume of one queue: platform queues only, where they are the processing switch;
 * a paused dead-letter queue would hold every retry, and WM reports go on while processing is
 * disabled. ("Pause all" reaches only the platform queues: the other adapters ignore pause.)
 * Removing one job: any dead letter but one being redriven (that is the discard), elsewhere only
 * finished jobs (a waiting ticket job removed would strand its ticket). Refused: adding or editing
 * jobs (they would bypass the per-ticket deduplication), emptying or obliterating a queue,
 * concurrency and rate-limit changes (the workers own those).
 *
 * `jobState` is the state of the job a single-job action names, when there is one.
 */
export function boardVerdict(
  action: BoardAction,
  kind: QueueKind | undefined,
  jobState?: string,
): BoardVerdict {
  const method = action.method.toLowerCase();
  if (method === 'get') return ALLOW;
  const route = action.route;
  switch (route) {
    case '/api/queues/pause':
    case '/api/queues/resume':
    case '/api/queues/:queueName/retry/:queueStatus':
    case '/api/queues/:queueName/promote':
    case '/api/queues/:queueName/:jobId/retry':
    case '/api/queues/:queueName/:jobId/promote':
      return ALLOW;
    case '/api/queues/:queueName/pause':
    case '/api/queues/:queueName/resume':
      return kind === 'platform'
        ? ALLOW
        : refuse(
            409,
            'Only a platform queue can be paused: this queue must keep running (dead letters, WM reports).',
          );
    case '/api/queues/:queueName/clean/:queueStatus':
      return FINISHED.has(action.params.queueStatus ?? '')
        ? ALLOW
        : refuse(
            409,
            'Only failed or completed jobs can be cleaned: unfinished ones belong to tickets in flight.',
          );
    case '/api/queues/:queueName/:jobId/clean':
      if (kind === 'dead-letter' && jobState !== undefined && jobState !== 'active' && jobState !== 'unknown')
        return ALLOW;
      return FINISHED.has(jobState ?? '')
        ? ALLOW
        : refuse(
            409,
            'Only a finished job (or a parked dead letter) can be removed: this one belongs to a ticket in flight.',
          );
    default:
      return refuse(405, 'Not allowed on Ticketing BE queues: use the admin API (pause, retry, discard).');
  }
}
