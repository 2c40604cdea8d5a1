import type { SimCore } from '../common/core.ts';
import type { HandlerContext, SimRequest, SimRoute } from '../common/route.ts';
import type { SimReply } from '../common/types.ts';
import { MAX_STATUS_UPDATES, describeIssues, statusBodySchema, statusUpdateSchema } from './status.ts';
import type { StatusReport } from './status.ts';
import type { WmStore } from './store.ts';
import { isoSeconds } from './ticket.ts';

export interface WmRouteSettings {
  /** Most changes per page whatever `limit` asks (the server may return fewer). */
  maxPageSize: number;
  /** `limit` when the client sends none. */
  defaultLimit: number;
  /** How `wait` is treated; read on every poll, so it can change at run time. */
  longPoll: () => LongPollMode;
}

/**
 * `supported`: an empty page is held until a change comes or `wait` passes (wm-feed.md);
 * `reject`: a WM that does not know `wait` (400 `unknown parameter: wait`);
 * `ignore`: a WM that ignores it and answers the empty page at once.
 */
export const LONG_POLL_MODES = ['supported', 'reject', 'ignore'] as const;
export type LongPollMode = (typeof LONG_POLL_MODES)[number];

/** The longest `wait` WM holds a poll for (wm-feed.md). */
export const MAX_WAIT_S = 30;

const wmError = (status: number, error: string, message: string): SimReply => ({
  status,
  body: { error, message },
});

export function wmRoutes(core: SimCore, store: WmStore, settings: WmRouteSettings): SimRoute[] {
  return [
    {
      method: 'GET',
      path: '/tickets/changes',
      auth: true,
      handle: (req, ctx) => changes(req, ctx, store, settings),
    },
    {
      method: 'POST',
      path: '/tickets/status',
      auth: true,
      // Reports for one ticket from both platforms may legitimately travel at once.
      exclusive: false,
      touches: (req) =>
        updatesOf(req.body).flatMap((u) => (typeof u.ticketId === 'string' ? [u.ticketId] : [])),
      handle: (req, ctx) => status(req, ctx, core, store),
    },
  ];
}

async function changes(
  req: SimRequest,
  ctx: HandlerContext,
  store: WmStore,
  settings: WmRouteSettings,
): Promise<SimReply> {
  const { after, limit: limitText, wait: waitText } = req.query;
  let waitS = 0;
  const mode = settings.longPoll();
  if (waitText !== undefined && mode === 'reject') {
    return { status: 400, body: { error: 'unknown parameter: wait' } };
  }
  if (waitText !== undefined && mode === 'supported') {
    waitS = /^\d{1,3}$/.test(waitText) ? Number(waitText) : NaN;
    if (!(waitS >= 1 && waitS <= MAX_WAIT_S)) {
      ctx.violation('bad-request', `GET /tickets/changes with wait=${waitText} (must be 1..${MAX_WAIT_S})`);
      return wmError(400, 'bad_request', `wait must be an integer 1..${MAX_WAIT_S}`);
    }
  }
  let limit = settings.defaultLimit;
  if (limitText !== undefined) {
    limit = /^\d{1,7}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= 1000)) {
      ctx.violation('bad-request', `GET /tickets/changes with limit=${limitText} (must be 1..1000)`);
      return wmError(400, 'bad_request', 'limit must be an integer 1..1000');
    }
  }
  if (after === '') {
    ctx.violation('bad-request', 'GET /tickets/changes with an empty after= (omit it on the first call)');
  }
  const cursor = after === '' ? undefined : after;
  const size = Math.min(limit, settings.maxPageSize);
  let page = store.feed.page(cursor, size);
  if (waitS > 0 && !page.gone && page.changes.length === 0) {
    // Nothing after the cursor yet: hold the poll until a change comes or `wait` passes.
    if (await store.feed.waitForChange(waitS * 1000)) page = store.feed.page(cursor, size);
  }
  if (page.gone) return wmError(410, 'cursor_gone', page.reason);
  const { gone: _gone, ...body } = page;
  return { status: 200, body };
}

function status(req: SimRequest, ctx: HandlerContext, core: SimCore, store: WmStore): SimReply {
  const envelope = statusBodySchema.safeParse(req.body);
  if (!envelope.success) {
    ctx.violation('bad-request', `POST /tickets/status: ${describeIssues(envelope.error)}`);
    return wmError(400, 'bad_request', describeIssues(envelope.error));
  }
  const updates = envelope.data.updates;
  if (updates.length > MAX_STATUS_UPDATES) {
    ctx.violation(
      'bad-request',
      `POST /tickets/status with ${updates.length} updates (WM takes at most 500)`,
    );
    return wmError(400, 'bad_request', `at most ${MAX_STATUS_UPDATES} updates per request`);
  }
  core.checkBatchSize(updates.length, 'POST /tickets/status', ctx.requestId);
  const problems: string[] = [];
  const accepted: StatusReport[] = [];
  const receivedAt = isoSeconds(core.now());
  updates.forEach((update, i) => {
    const parsed = statusUpdateSchema.safeParse(update);
    if (parsed.success) accepted.push({ ...parsed.data, receivedAt });
    else problems.push(describeIssues(parsed.error, `updates.${i}`));
  });
  if (problems.length > 0) {
    ctx.violation('bad-request', `POST /tickets/status: ${problems.join('; ')}`);
    return wmError(400, 'bad_request', problems.join('; '));
  }
  store.addReports(accepted);
  return { status: 204 };
}

function updatesOf(body: unknown): Array<{ ticketId?: unknown }> {
  if (typeof body !== 'object' || body === null) return [];
  const updates = (body as { updates?: unknown }).updates;
  return Array.isArray(updates)
    ? (updates as Array<{ ticketId?: unknown }>).filter((u) => typeof u === 'object' && u !== null)
    : [];
}
