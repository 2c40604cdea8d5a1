import { z } from 'zod';
import { PLATFORMS } from './platforms.ts';
import { cutUtf8 } from './text.ts';

// The WM ticket and change, exactly as wm-feed.md states them. Messages name what was expected,
// so a quarantine reason reads "ticket.severity: expected one of critical, major, minor".

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.join(', ')}` });

const text = (min: number, max: number) =>
  z
    .string({ error: 'expected a string' })
    .min(min, { error: `expected ${min} to ${max} characters` })
    .max(max, {
      error: `expected ${min} to ${max} characters`,
    });

const isoUtc = () => z.iso.datetime({ error: 'expected an ISO-8601 UTC date-time' });

const MAX_DETAILS_BYTES = 32 * 1024;

export const ENTITY_TYPES = ['SNR Upstream', 'US Service Group', 'DS Service Group'] as const;
export const ALARM_TYPES = ['Falla de Linea', 'SNR'] as const;
export const SEVERITIES = ['critical', 'major', 'minor'] as const;

export const ticketSchema = z.object({
  id: z.string({ error: 'expected a string' }).regex(/^[A-Za-z0-9._:-]{1,64}$/, {
    error: 'expected 1 to 64 of A-Z a-z 0-9 . _ : -',
  }),
  version: z.number({ error: 'expected an integer >= 1' }).int({ error: 'expected an integer >= 1' }).min(1, {
    error: 'expected an integer >= 1',
  }),
  state: oneOf(['open', 'completed']),
  entity: text(1, 128),
  entityType: oneOf(ENTITY_TYPES),
  alarmType: oneOf(ALARM_TYPES),
  severity: oneOf(SEVERITIES),
  alarmCount: z
    .number({ error: 'expected an integer >= 0' })
    .int({ error: 'expected an integer >= 0' })
    .min(0, {
      error: 'expected an integer >= 0',
    }),
  region: text(0, 64).optional(),
  subregion: text(0, 64).optional(),
  branchId: text(0, 64).optional(),
  summary: text(1, 200),
  details: z
    .string({ error: 'expected a string' })
    .refine((value) => Buffer.byteLength(value, 'utf8') <= MAX_DETAILS_BYTES, {
      error: 'expected at most 32 KiB of UTF-8',
    }),
  receivedAt: isoUtc(),
  updatedAt: isoUtc(),
  completedAt: isoUtc().nullable(),
});

export type Ticket = z.infer<typeof ticketSchema>;

export const changeSchema = z.object({
  seq: z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }).min(0, {
    error: 'expected an integer >= 0',
  }),
  // The length is checked before the elements: a list of a million bad names is one problem, not
  // a million (each would be a line of the reason, and memory).
  platforms: z
    .array(z.unknown(), { error: 'expected an array' })
    .min(1, { error: 'expected a non-empty subset of cherwell, sfyc' })
    .max(PLATFORMS.length, { error: 'expected a non-empty subset of cherwell, sfyc' })
    .pipe(z.array(oneOf(PLATFORMS)))
    .refine((list) => new Set(list).size === list.length, { error: 'expected no repeated platform' }),
  ticket: ticketSchema,
});

export type Change = z.infer<typeof changeSchema>;

/** The longest cursor taken from WM (wm-feed.md says opaque; ours are a few digits). */
export const MAX_CURSOR_CHARS = 1024;

/** The page envelope. Its changes are validated one by one, so one bad change never blocks the page. */
export const pageSchema = z.object({
  changes: z.array(z.unknown(), { error: 'expected an array' }),
  // Opaque, but it travels back in every poll's URL, the stored cursor, the status and the logs:
  // a cursor no URL could carry is a broken page (a failed poll, nothing skipped), not state.
  cursor: z
    .string({ error: 'expected a string' })
    .max(MAX_CURSOR_CHARS, { error: `expected at most ${MAX_CURSOR_CHARS} characters` })
    .optional(),
  hasMore: z.boolean({ error: 'expected a boolean' }),
});

/** A quarantine reason names at most this many invalid fields, then how many more (operations.md). */
export const REASON_MAX_PATHS = 20;
/** ... in at most this many bytes of UTF-8. */
export const REASON_MAX_BYTES = 2 * 1024;

/**
 * "ticket.severity: expected one of ..." for the first 20 invalid fields, joined with "; ", then
 * "; and N more"; at most 2 KiB whatever the input (a page of a million bad elements included).
 */
export function describeIssues(error: z.ZodError): string {
  const issues = error.issues;
  const lines = issues
    .slice(0, REASON_MAX_PATHS)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(change)'}: ${issue.message}`);
  const more = issues.length - lines.length;
  const tail = more > 0 ? `; and ${more} more` : '';
  // Paths are short (known fields and indexes) but cut anyway, keeping the count readable.
  const head = lines.join('; ');
  if (Buffer.byteLength(head + tail, 'utf8') <= REASON_MAX_BYTES) return head + tail;
  // `…` is 3 bytes of UTF-8.
  return `${cutUtf8(head, REASON_MAX_BYTES - Buffer.byteLength(tail, 'utf8') - 3)}…${tail}`;
}

/** `<entity>|<alarmType>`: tickets with the same one share one open platform ticket. */
export const correlationOf = (ticket: { entity: string; alarmType: string }): string =>
  `${ticket.entity}|${ticket.alarmType}`;
