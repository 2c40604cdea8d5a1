import { z } from 'zod';
import { PLATFORMS } from './platforms.ts';

/** What one attempt is an attempt of (operations.md): the searches before a create belong to it. */
export const OPERATIONS = ['create', 'note', 'workOrder', 'writeBack', 'update', 'resolve'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const errorInfoSchema = z.object({ code: z.string(), message: z.string() });
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

/**
 * A platform job names the ticket only: the worker reads the latest stored version when it runs,
 * so versions that wait coalesce. Its budget is BullMQ's own `attempts` option (`maxRetries + 1`,
 * set when each operation starts).
 */
export const platformJobSchema = z.object({
  ticketId: z.string().min(1),
  /** The operation this job failed at: its tries and budget belong to that operation only. */
  op: z.enum(OPERATIONS).optional(),
});
export type PlatformJob = z.infer<typeof platformJobSchema>;

export const attemptErrorSchema = errorInfoSchema.extend({ attempt: z.number().int(), at: z.string() });
export type AttemptError = z.infer<typeof attemptErrorSchema>;

/** A dead letter: the ticket, the operation that failed for good, and every attempt's error. */
export const deadLetterSchema = z.object({
  ticketId: z.string(),
  platform: z.enum(PLATFORMS),
  operation: z.enum(OPERATIONS),
  version: z.number().int(),
  attempts: z.number().int(),
  lastError: errorInfoSchema,
  errors: z.array(attemptErrorSchema),
  deadAt: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/**
 * How a dead letter shows in Bull Board: its job name is the ticket and the operation (so the
 * Failed tab reads as the review list), and its job timestamp the operation's first try (so
 * "Added at" says how long the ticket was tried before it died at "Finished at").
 */
export function deadLetterJobLook(deadLetter: DeadLetter): { name: string; timestamp: number | undefined } {
  const firstTry = Date.parse(deadLetter.errors[0]?.at ?? '');
  return {
    name: `${deadLetter.ticketId} ${deadLetter.operation} (${deadLetter.lastError.code})`,
    timestamp: Number.isFinite(firstTry) ? firstTry : undefined,
  };
}

export const REPORTED_STATES = ['created', 'noted', 'updated', 'resolved', 'error'] as const;
export type ReportedState = (typeof REPORTED_STATES)[number];

/** One outcome for WM's `POST /tickets/status` (wm-feed.md). */
export const statusReportSchema = z.object({
  ticketId: z.string(),
  version: z.number().int(),
  platform: z.enum(PLATFORMS),
  state: z.enum(REPORTED_STATES),
  externalId: z.string().nullable(),
  workOrder: z.string().nullable(),
  attempts: z.number().int().min(0),
  error: errorInfoSchema.nullable(),
  at: z.string(),
});
export type StatusReport = z.infer<typeof statusReportSchema>;

/**
 * A job of the `wm-status` queue: the outcomes of one operation batch, reported together (one
 * job per batch, not per ticket: BullMQ's cost per job is paid once for up to a batch).
 */
export const statusReportsJobSchema = z.object({ reports: z.array(statusReportSchema).min(1) });
export type StatusReportsJob = z.infer<typeof statusReportsJobSchema>;
