import type { Job } from 'bullmq';
import {
  deadLetterSchema,
  type AttemptError,
  type ErrorInfo,
  type Operation,
  type Platform,
} from '@tbe/shared';
import { z } from 'zod';
import type { DashboardContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { pageSortedSets, type Position } from './paging.ts';

export interface DeadLetterItem {
  /** The dead-letter job's id: opaque to clients (URL-encode it in a path). */
  id: string;
  ticketId: string | null;
  platform: Platform;
  operation: Operation | null;
  version: number | null;
  attempts: number | null;
  lastError: ErrorInfo | null;
  errors: AttemptError[];
  deadAt: string | null;
  /** Added to the contract's fields: `parked` (awaiting review) or `retrying` (Retry pressed, waiting to be redriven). */
  status: 'parked' | 'retrying';
}

// Dead letters being retried (waiting) come first, paged by position in the list (few and
// short-lived); then the parked ones (failed), newest first, paged by keyset so that retrying or
// discarding the listed ones never makes the next page skip any.
type DeadCursor = { phase: 'waiting'; offset: number } | { phase: 'failed'; after: Position | undefined };

const cursorSchema = z.union([
  z.object({ w: z.number().int().min(0) }),
  // null: the first parked one.
  z.object({ f: z.tuple([z.number(), z.string()]).nullable() }),
]);

function encode(cursor: DeadCursor): string {
  const raw =
    cursor.phase === 'waiting'
      ? { w: cursor.offset }
      : { f: cursor.after ? [cursor.after.score, cursor.after.member] : null };
  return Buffer.from(JSON.stringify(raw)).toString('base64url');
}

function decode(cursor: string | undefined): DeadCursor {
  if (cursor === undefined) return { phase: 'waiting', offset: 0 };
  try {
    const raw = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if ('w' in raw) return { phase: 'waiting', offset: raw.w };
    return {
      phase: 'failed',
      after: raw.f ? { score: raw.f[0], tag: 'failed', member: raw.f[1] } : undefined,
    };
  } catch {
    throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor from a previous page' }]);
  }
}

export async function listDeadLetters(
  ctx: DashboardContext,
  platform: Platform,
  options: { limit: number; cursor?: string | undefined },
): Promise<{ items: DeadLetterItem[]; next: string | null }> {
  const { queue } = ctx.deadLetterQueue(platform);
  const cursor = decode(options.cursor);
  const items: DeadLetterItem[] = [];
  if (cursor.phase === 'waiting') {
    const waiting = await queue.getWaiting(cursor.offset, cursor.offset + options.limit);
    // A waiting dead letter never tried is a new one about to be parked; one tried before was retried.
    items.push(
      ...waiting
        .slice(0, options.limit)
        .map((job) => toItem(platform, job, job.attemptsMade > 0 ? 'retrying' : 'parked')),
    );
    if (waiting.length > options.limit)
      return { items, next: encode({ phase: 'waiting', offset: cursor.offset + options.limit }) };
  }
  const room = options.limit - items.length;
  if (room === 0) {
    const parked = await queue.getFailedCount();
    return { items, next: parked > 0 ? encode({ phase: 'failed', after: undefined }) : null };
  }
  const after = cursor.phase === 'failed' ? cursor.after : undefined;
  const { entries, more } = await pageSortedSets(
    ctx.redis,
    [{ key: queue.keys.failed ?? '', tag: 'failed' }],
    after,
    room,
  );
  const jobs = await Promise.all(entries.map((entry) => queue.getJob(entry.member)));
  for (const job of jobs) if (job) items.push(toItem(platform, job, 'parked'));
  const last = entries.at(-1);
  return { items, next: more && last ? encode({ phase: 'failed', after: last }) : null };
}

function toItem(platform: Platform, job: Job, status: DeadLetterItem['status']): DeadLetterItem {
  const parsed = deadLetterSchema.safeParse(job.data);
  if (!parsed.success) {
    // Shown rather than hidden, so that an operator can discard it.
    const ticketId = (job.data as { ticketId?: unknown } | undefined)?.ticketId;
    return {
      id: job.id ?? '',
      ticketId: typeof ticketId === 'string' ? ticketId : null,
      platform,
      operation: null,
      version: null,
      attempts: null,
      lastError: { code: 'UNREADABLE', message: 'the dead letter does not match its schema' },
      errors: [],
      deadAt: null,
      status,
    };
  }
  const { ticketId, operation, version, attempts, lastError, errors, deadAt } = parsed.data;
  return {
    id: job.id ?? '',
    ticketId,
    platform,
    operation,
    version,
    attempts,
    lastError,
    errors,
    deadAt,
    status,
  };
}
