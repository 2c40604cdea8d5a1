import type { SimCore } from '../common/core.ts';
import type { HandlerContext, SimRequest } from '../common/route.ts';
import type { SimReply } from '../common/types.ts';
import { tooLarge } from './batch.ts';
import { injectedResult } from './operations.ts';
import { describe, failure, ordersSchema, sfycError } from './schema.ts';
import type { ItemResult } from './schema.ts';
import type { SfycStore } from './store.ts';

/** `POST /v1/work-orders/batch`: idempotent per ticketId (a repeat answers the OT with created: false). */
export function workOrdersBatch(
  req: SimRequest,
  ctx: HandlerContext,
  store: SfycStore,
  core: SimCore,
): SimReply {
  const body = req.body as { orders?: unknown } | null;
  const orders = typeof body === 'object' && body !== null ? body.orders : undefined;
  if (Array.isArray(orders)) core.checkBatchSize(orders.length, 'POST /v1/work-orders/batch', ctx.requestId);
  const large = tooLarge(orders, 'orders');
  if (large) return large;
  const parsed = ordersSchema.safeParse(req.body);
  if (!parsed.success) {
    ctx.violation('bad-request', `POST /v1/work-orders/batch: ${describe(parsed.error)}`);
    return { status: 400, body: sfycError(400, describe(parsed.error)) };
  }
  const results = parsed.data.orders.map((order): ItemResult => {
    const injected = ctx.itemError([order.externalId]);
    if (injected) return injectedResult(injected);
    const ticket = store.get(order.ticketId);
    if (!ticket)
      return failure({ code: 'NOT_FOUND', message: `ticket ${order.ticketId} not found`, retryable: false });
    const existing = store.workOrderOf(ticket.id);
    if (existing) return { success: true, workOrder: existing.workOrder, created: false };
    if (ticket.externalId !== order.externalId) {
      ctx.violation(
        'bad-request',
        `work order for ${order.externalId} on ${ticket.id}, which belongs to ${ticket.externalId}`,
      );
    }
    const created = store.createWorkOrder({
      ticketId: ticket.id,
      externalId: order.externalId,
      title: order.title,
      details: order.details ?? '',
    });
    return { success: true, workOrder: created.workOrder, created: true };
  });
  return { status: 200, body: { results } };
}
