import type { SimCore } from '../common/core.ts';
import type { HandlerContext, SimRequest } from '../common/route.ts';
import type { SimReply } from '../common/types.ts';
import { injectedResult, note, resolve, upsert } from './operations.ts';
import { MAX_OPERATIONS, batchSchema, describe, sfycError } from './schema.ts';
import type { ItemResult, Operation } from './schema.ts';
import type { SfycStore } from './store.ts';

/** Answers 413 (or null) from the raw body, before anything else is checked. */
export function tooLarge(list: unknown, what: string): SimReply | null {
  if (!Array.isArray(list) || list.length <= MAX_OPERATIONS) return null;
  return {
    status: 413,
    body: sfycError(413, `${list.length} ${what} in one request; at most ${MAX_OPERATIONS}`),
  };
}

/** `POST /v1/tickets/batch`: upsert, note and resolve in any mix; one result per operation, in order. */
export function ticketsBatch(
  req: SimRequest,
  ctx: HandlerContext,
  store: SfycStore,
  core: SimCore,
): SimReply {
  const body = req.body as { operations?: unknown } | null;
  const operations = typeof body === 'object' && body !== null ? body.operations : undefined;
  if (Array.isArray(operations))
    core.checkBatchSize(operations.length, 'POST /v1/tickets/batch', ctx.requestId);
  const large = tooLarge(operations, 'operations');
  if (large) return large;
  const parsed = batchSchema.safeParse(req.body);
  if (!parsed.success) {
    ctx.violation('bad-request', `POST /v1/tickets/batch: ${describe(parsed.error)}`);
    return { status: 400, body: sfycError(400, describe(parsed.error)) };
  }
  const allOrNone = parsed.data.allOrNone === true;
  const before = allOrNone ? store.snapshot() : null;
  const results = parsed.data.operations.map((op) => apply(op, store, ctx));
  if (before !== null && results.some((r) => !r.success)) {
    store.restore(before);
    return { status: 200, body: { results: results.map(rolledBack) } };
  }
  return { status: 200, body: { results } };
}

function apply(op: Operation, store: SfycStore, ctx: HandlerContext): ItemResult {
  const injected = ctx.itemError([op.externalId]);
  if (injected) return injectedResult(injected);
  switch (op.op) {
    case 'upsert':
      return upsert(op, store, ctx);
    case 'note':
      return note(op, store, ctx);
    case 'resolve':
      return resolve(op, store, ctx);
  }
}

function rolledBack(result: ItemResult): ItemResult {
  if (!result.success) return result;
  return {
    success: false,
    errors: [{ code: 'ROLLED_BACK', message: 'another operation failed (allOrNone)', retryable: true }],
  };
}
