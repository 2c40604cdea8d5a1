import type { SimCore } from '../common/core.ts';
import type { HandlerContext, SimRequest } from '../common/route.ts';
import type { SimReply } from '../common/types.ts';
import { describe, searchSchema, sfycError } from './schema.ts';
import type { SfycStore, SfycTicket } from './store.ts';

const DEFAULT_LIMIT = 100;

/** The `next` token: opaque to clients, an offset here. */
const encodePage = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');
function decodePage(page: string): number | null {
  const match = /^o:(\d+)$/.exec(Buffer.from(page, 'base64url').toString('utf8'));
  return match?.[1] ? Number(match[1]) : null;
}

/** `POST /v1/tickets/search`: keys present are AND-ed, values inside one list OR-ed. */
export function ticketsSearch(
  req: SimRequest,
  ctx: HandlerContext,
  store: SfycStore,
  core: SimCore,
): SimReply {
  const parsed = searchSchema.safeParse(req.body ?? {});
  if (!parsed.success) {
    ctx.violation('bad-request', `POST /v1/tickets/search: ${describe(parsed.error)}`);
    return { status: 400, body: sfycError(400, describe(parsed.error)) };
  }
  const q = parsed.data;
  core.checkBatchSize(q.externalIds?.length ?? 0, 'POST /v1/tickets/search (externalIds)', ctx.requestId);
  core.checkBatchSize(q.entities?.length ?? 0, 'POST /v1/tickets/search (entities)', ctx.requestId);
  const offset = q.page === undefined ? 0 : decodePage(q.page);
  if (offset === null) {
    ctx.violation('bad-request', 'POST /v1/tickets/search with a page token it never issued');
    return { status: 400, body: sfycError(400, 'page is not a token this server issued') };
  }
  const matches = (t: SfycTicket): boolean =>
    (q.externalIds === undefined || q.externalIds.includes(t.externalId)) &&
    (q.entities === undefined || q.entities.includes(String(t.fields.entity ?? ''))) &&
    (q.alarmType === undefined || t.fields.alarmType === q.alarmType) &&
    (q.openOnly !== true || t.fields.status !== 'resolved');
  // By external id through the store's index when the search names them (the common case).
  const candidates =
    q.externalIds === undefined
      ? store.tickets()
      : q.externalIds.flatMap((externalId) => store.byExternalId(externalId) ?? []);
  const found = [...new Set(candidates)].filter(matches);
  const limit = q.limit ?? DEFAULT_LIMIT;
  const items = found.slice(offset, offset + limit).map((t) => ({
    id: t.id,
    externalId: t.externalId,
    entity: t.fields.entity ?? null,
    alarmType: t.fields.alarmType ?? null,
    status: t.fields.status ?? 'open',
    version: t.version,
    workOrder: t.fields.workOrder ?? null,
  }));
  return {
    status: 200,
    body: { items, next: offset + limit < found.length ? encodePage(offset + limit) : null },
  };
}
