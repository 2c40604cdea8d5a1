import { z } from 'zod';
import { WM_PLATFORMS } from './ticket.ts';

/** WM's own bound on `POST /tickets/status`. */
export const MAX_STATUS_UPDATES = 500;

/** One outcome report, as wm-feed.md defines it. */
export const statusUpdateSchema = z
  .strictObject({
    ticketId: z.string().min(1).max(64),
    version: z.int().min(1),
    platform: z.enum(WM_PLATFORMS),
    state: z.enum(['created', 'noted', 'updated', 'resolved', 'error']),
    externalId: z.string().min(1).nullable().optional(),
    workOrder: z.string().min(1).nullable().optional(),
    attempts: z.int().min(0),
    // Always present: null unless the state is `error`.
    error: z.strictObject({ code: z.string().min(1), message: z.string() }).nullable(),
    at: z.iso.datetime({ offset: true }),
  })
  .superRefine((update, ctx) => {
    if (update.state === 'error' && update.error === null) {
      ctx.addIssue({ code: 'custom', path: ['error'], message: 'state error needs { code, message }' });
    }
    if (update.state !== 'error' && update.error !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['error'],
        message: `must be null when state is ${update.state}`,
      });
    }
  });

export type StatusUpdate = z.infer<typeof statusUpdateSchema>;

/** A report as WM stored it. */
export type StatusReport = StatusUpdate & { receivedAt: string };

export const statusBodySchema = z.strictObject({ updates: z.array(z.unknown()) });

export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((i) => `${[prefix, ...i.path].filter((p) => p !== '').join('.')}: ${i.message}`)
    .join('; ');
}
