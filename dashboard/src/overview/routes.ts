import type { IncomingMessage, ServerResponse } from 'node:http';
import { PLATFORMS, ticketJobId, type Platform } from '@tbe/shared';
import type { QueueCommands } from '../commands.ts';
import type { DashboardContext } from '../context.ts';
import { AdminError, notFound } from '../errors.ts';
import { ticketsQuery } from '../http/api.ts';
import { pathOf } from '../http/io.ts';
import { readPlatformStatus } from '../reads/status.ts';
import { readFacts } from '../reads/ticket-facts.ts';
import { countStates, listTicketRows } from '../reads/ticket-rows.ts';
import { readTicket } from '../reads/tickets.ts';
import { parseInput } from '../validation.ts';
import { notice, overviewActions } from './actions.ts';
import { OVERVIEW_CSS, OVERVIEW_JS } from './assets.ts';
import { failedLive } from './confirm-page.ts';
import { href, html } from './html.ts';
import { ASSETS_PATH, OVERVIEW_PATH } from './layout.ts';
import { filterForm, listLive, type ListFilter } from './list-page.ts';
import { asset, platformOf, sendPage } from './respond.ts';
import { ticketLive, type DeadLetterView } from './ticket-page.ts';

/** Rows per page of the table: a NOC wall screen shows about that many. */
const PAGE_ROWS = 50;

/** Whether the overview page answers this path (the caller has authenticated the request). */
export function isOverviewPath(path: string): boolean {
  return (
    path === OVERVIEW_PATH ||
    path.startsWith(`${OVERVIEW_PATH}/`) ||
    path.startsWith(`${ASSETS_PATH}/`) ||
    path.startsWith('/admin/platforms/')
  );
}

/**
 * The ticket overview page at /admin/tickets: the table, one ticket, and the actions (retry,
 * discard, the processing switch), each confirmed on a page of its own and done with the same
 * commands as the admin API. Server-rendered; its script only refreshes the data in place.
 */
export function overviewPages(ctx: DashboardContext, commands: QueueCommands) {
  const { ticketAction, processingAction } = overviewActions(ctx, commands);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { path, query } = pathOf(req);
    const method = req.method ?? 'GET';
    const segments = path.split('/').slice(1).map(decodeSegment);
    try {
      if (path === `${ASSETS_PATH}/overview.css`) return asset(res, 'text/css', OVERVIEW_CSS);
      if (path === `${ASSETS_PATH}/overview.js`) return asset(res, 'text/javascript', OVERVIEW_JS);
      if (path === OVERVIEW_PATH && method === 'GET') return await listPage(res, query);
      const [, section, id, action, extra] = segments;
      if (section === 'tickets' && id && extra === undefined) {
        if (action === undefined && method === 'GET') return await ticketPage(res, id, query);
        if (action === 'retry' || action === 'discard') return await ticketAction(req, res, id, action);
      }
      if (section === 'platforms' && id && action === 'processing' && extra === undefined) {
        return await processingAction(req, res, platformOf(id));
      }
      throw notFound(`no page ${path}`);
    } catch (error) {
      if (!(error instanceof AdminError)) throw error;
      const live = failedLive('Not done', error.message, OVERVIEW_PATH);
      sendPage(res, error.status, { title: 'Not done', live, refresh: false, readAtMs: ctx.now() });
    }
  };

  async function listPage(res: ServerResponse, query: URLSearchParams): Promise<void> {
    const raw = Object.fromEntries([...query.entries()].filter(([, value]) => value !== ''));
    const parsed = parseInput(ticketsQuery, { ...raw, limit: String(PAGE_ROWS) }, 'query');
    const filter: ListFilter = {
      platform: parsed.platform,
      state: parsed.state,
      text: parsed.q === '' ? undefined : parsed.q,
      cursor: parsed.cursor,
    };
    const readAtMs = ctx.now();
    const [page, counts, statuses] = await Promise.all([
      listTicketRows(ctx, { ...filter, limit: PAGE_ROWS }),
      countStates(ctx),
      Promise.all(PLATFORMS.map((platform) => readPlatformStatus(ctx, platform))),
    ]);
    const status = Object.fromEntries(PLATFORMS.map((platform, i) => [platform, statuses[i]])) as Record<
      Platform,
      (typeof statuses)[number]
    >;
    const self = href(OVERVIEW_PATH, { platform: filter.platform, state: filter.state, q: filter.text });
    const retryable = new Set<string>();
    await Promise.all(
      page.items.flatMap((row) =>
        PLATFORMS.filter((platform) => row.platforms[platform]?.state === 'error').map(async (platform) => {
          const dead = await deadLetterOf(platform, row.ticketId);
          if (dead?.status === 'parked') retryable.add(`${platform}/${row.ticketId}`);
        }),
      ),
    );
    const live = listLive({
      filter,
      rows: page.items,
      next: page.next,
      counts,
      status,
      self,
      retryable,
      readAt: new Date(readAtMs).toISOString(),
    });
    const before = html`<h1>Tickets</h1>
      ${notice(query)}${filterForm(filter)}`;
    sendPage(res, 200, { title: 'Tickets', live, refresh: true, readAtMs, before });
  }

  async function ticketPage(res: ServerResponse, ticketId: string, query: URLSearchParams): Promise<void> {
    const readAtMs = ctx.now();
    const [ticket, facts] = await Promise.all([readTicket(ctx, ticketId), readFacts(ctx, [ticketId])]);
    if (!ticket) throw notFound(`no ticket ${ticketId} on any platform`);
    const deadLetters: Partial<Record<Platform, DeadLetterView>> = {};
    for (const platform of PLATFORMS) {
      if (ticket.platforms[platform]?.state !== 'error') continue;
      const found = await deadLetterOf(platform, ticketId);
      if (found) deadLetters[platform] = found;
    }
    const live = ticketLive({
      ticketId,
      wm: facts.get(ticketId)?.wm,
      platforms: ticket.platforms,
      deadLetters,
      recordUrls: ctx.config.recordUrls,
    });
    sendPage(res, 200, { title: `Ticket ${ticketId}`, live, refresh: true, readAtMs, before: notice(query) });
  }

  async function deadLetterOf(platform: Platform, ticketId: string): Promise<DeadLetterView | undefined> {
    const job = await ctx.deadLetterQueue(platform).queue.getJob(ticketJobId(ticketId));
    if (!job?.id) return undefined;
    const state = await job.getState();
    // As in the dead-letter listing: a waiting dead letter tried before was retried.
    const retrying = state === 'active' || (state === 'waiting' && job.attemptsMade > 0);
    return { id: job.id, status: retrying ? 'retrying' : 'parked' };
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
