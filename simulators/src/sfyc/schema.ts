import { z } from 'zod';

/** SFyC's documented bound on batch requests (413 above). */
export const MAX_OPERATIONS = 200;

const externalId = z.string().min(1).max(64);
const version = z.int().min(1);

// Structure is checked here (a 400 for the whole request); field types per operation are
// checked later (a per-operation FIELD_INVALID).
export const operationSchema = z.discriminatedUnion('op', [
  z.looseObject({ op: z.literal('upsert'), externalId, version, fields: z.record(z.string(), z.unknown()) }),
  z.looseObject({
    op: z.literal('note'),
    id: z.string().min(1),
    externalId,
    // The sender's idempotency key: a note whose key that ticket already has is not added again.
    noteKey: z.string().min(1).max(128).optional(),
    text: z.string().min(1),
  }),
  z.looseObject({ op: z.literal('resolve'), externalId, version }),
]);
export type Operation = z.infer<typeof operationSchema>;

export const batchSchema = z.looseObject({
  allOrNone: z.boolean().optional(),
  operations: z.array(operationSchema),
});

export const orderSchema = z.looseObject({
  ticketId: z.string().min(1),
  externalId,
  title: z.string().min(1),
  details: z.string().optional(),
});
export const ordersSchema = z.looseObject({ orders: z.array(orderSchema) });

export const searchSchema = z.looseObject({
  externalIds: z.array(z.string()).optional(),
  entities: z.array(z.string()).optional(),
  alarmType: z.string().optional(),
  openOnly: z.boolean().optional(),
  limit: z.int().min(1).max(1000).optional(),
  page: z.string().optional(),
});

export interface ItemError {
  code: string;
  field?: string;
  message: string;
  retryable: boolean;
}

export type ItemResult = { success: true; [key: string]: unknown } | { success: false; errors: ItemError[] };

export const failure = (...errors: ItemError[]): ItemResult => ({ success: false, errors });

export function sfycError(status: number, message: string): { error: { code: string; message: string } } {
  const code =
    status === 400
      ? 'MALFORMED'
      : status === 401
        ? 'UNAUTHORIZED'
        : status === 404
          ? 'NOT_FOUND'
          : status === 413
            ? 'BATCH_TOO_LARGE'
            : status === 429
              ? 'RATE_LIMITED'
              : status === 503
                ? 'UNAVAILABLE'
                : status >= 500
                  ? 'INTERNAL'
                  : `HTTP_${status}`;
  return { error: { code, message } };
}

export function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}
