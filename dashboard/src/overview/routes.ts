import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPlatform, PLATFORMS, ticketJobId, type Platform } from '@tbe/shared';
import { safeNext } from '../auth/login-page.ts';
import type { QueueCommands } from '../commands.ts';
import type { DashboardContext } from '../context.ts';
import { AdminError, notFound } from '../errors.ts';
import { ticketsQuery } from '../http/api.ts';
import { pathOf, readText, sendHtml } from '../http/io.ts';
import { readPlatformStatus } from '../reads/status.ts';
import { readFacts } from '../reads/ticket-facts.ts';
import { countStates, listTicketRows } from '../reads/ticket-rows.ts';
import { readTicket } from '../reads/tickets.ts';
import { parseInput } from '../validation.ts';
import { OVERVIEW_CSS, OVERVIEW_JS } from './assets.ts';
import { confirmLive, failedLive } from './confirm-page.ts';
import { href, html, type Html } from './html.ts';
import { ASSETS_PATH, layout, OVERVIEW_PATH, PAGE_CSP } from './layout.ts';
import { filterForm, listLive, ticketHref, type ListFilter } from './list-page.ts';
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

type Action = 'retry' | 'discard';

/** What an operator reads after an action (a fixed text: nothing from the address is echoed). */
const DONE: Record<string, (platform: string) => string> = {
  retry: (p) => `✔ Retry sent: the ticket goes to ${p} again with a fresh budget and its latest version.`,
  discard: (p) => `✔ Dead letter discarded after review: the ticket stays in error on ${p}.`,
  paused: (p) => `✔ Processing of ${p} is paused: nothing is sent to ${p} until it is resumed.`,
  resumed: (p) => `✔ Processing of ${p} is resumed.`,
};

/**
 * The ticket overview page at /admin/tickets: the table, one ticket, and the actions (retry,
 * discard, the processing switch), each confirmed on a page of its own and done with the same
 * commands as the admin API. Server-rendered; its script only refreshes the data in place.
 */
export function overviewPages(ctx: DashboardContext, commands: QueueCommands) {
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
      send(res, error.status, 'Not done', failedLive('Not done', error.message, OVERVIEW_PATH), false);
    }
  };

  async function listPage(res: ServerResponse, query: URLSearchParams): Promise<void> {
    const raw = Object.fromEntries([...query.entries()].filter(([, value]) => value !== ''));
    const parsed = parseInput(ticketsQuery, { ...raw, limit: String(PAGE_ROWS) }, 'query');
    const filter: ListFilter = {
      platform: parsed.platform === undefined ? undefined : platformOf(parsed.platform),
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
    send(res, 200, 'Tickets', live, true, readAtMs, before);
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
    send(res, 200, `Ticket ${ticketId}`, live, true, readAtMs, notice(query));
  }

  async function deadLetterOf(platform: Platform, ticketId: string): Promise<DeadLetterView | undefined> {
    const job = await ctx.deadLetterQueue(platform).queue.getJob(ticketJobId(ticketId));
    if (!job?.id) return undefined;
    const state = await job.getState();
    // As in the dead-letter listing: a waiting dead letter tried before was retried.
    const retrying = state === 'active' || (state === 'waiting' && job.attemptsMade > 0);
    return { id: job.id, status: retrying ? 'retrying' : 'parked' };
  }

  async function ticketAction(req: IncomingMessage, res: ServerResponse, ticketId: string, action: Action) {
    const back = ticketHref(ticketId);
    if (req.method === 'GET') {
      const platform = platformOf(pathOf(req).query.get('platform') ?? '');
      const retry = action === 'retry';
      const live = confirmLive({
        title: retry
          ? `Retry ${ticketId} on ${platform}?`
          : `Discard the dead letter of ${ticketId} on ${platform}?`,
        consequence: retry
          ? `The ticket is sent to ${platform} again with a fresh retry budget and its latest WM version; its dead letter is removed.`
          : `The dead letter is removed after review. The ticket stays in error on ${platform} until WM sends a new version.`,
        action: `${back}/${action}`,
        fields: { platform },
        button: retry ? `Yes, retry on ${platform}` : 'Yes, discard',
        danger: !retry,
        cancel: back,
      });
      return send(res, 200, 'Confirm', live, false);
    }
    if (req.method !== 'POST') throw notFound(`no page ${req.method ?? ''} ${back}/${action}`);
    const form = new URLSearchParams(await readText(req, 4096));
    const platform = platformOf(form.get('platform') ?? '');
    // The same commands as POST /api/dead-letters/{platform}/retry and DELETE .../{id}.
    const id = ticketJobId(ticketId);
    if (action === 'retry') await commands.retryDeadLetters(platform, { ids: [id] });
    else await commands.discardDeadLetter(platform, id);
    ctx.logger.info({ platform, ticketId, action }, 'ticket page action');
    redirect(res, href(back, { done: action, platform }));
  }

  async function processingAction(req: IncomingMessage, res: ServerResponse, platform: Platform) {
    const self = `/admin/platforms/${platform}/processing`;
    if (req.method === 'GET') {
      const { query } = pathOf(req);
      const enable = query.get('enabled') === '1';
      const back = safeBack(query.get('back'));
      const live = confirmLive({
        title: `${enable ? 'Resume' : 'Pause'} processing of ${platform}?`,
        consequence: enable
          ? `Tickets waiting for ${platform} are sent again, on every worker.`
          : `Nothing is sent to ${platform} until it is resumed (tickets are still received and kept), on every worker.`,
        action: self,
        fields: { enabled: enable ? '1' : '0', back },
        button: enable ? `Yes, resume ${platform}` : `Yes, pause ${platform}`,
        danger: !enable,
        cancel: back,
      });
      return send(res, 200, 'Confirm', live, false);
    }
    if (req.method !== 'POST') throw notFound(`no page ${req.method ?? ''} ${self}`);
    const form = new URLSearchParams(await readText(req, 4096));
    const enable = form.get('enabled') === '1';
    // The same command as PUT /api/platforms/{platform}/processing.
    await commands.setProcessing(platform, enable);
    const back = new URL(safeBack(form.get('back')), 'http://localhost');
    back.searchParams.set('done', enable ? 'resumed' : 'paused');
    back.searchParams.set('platform', platform);
    redirect(res, back.pathname + back.search);
  }

  function send(
    res: ServerResponse,
    status: number,
    title: string,
    live: Html,
    refresh: boolean,
    readAtMs = ctx.now(),
    before?: Html,
  ): void {
    sendHtml(res, status, layout({ title, live, refresh, readAtMs, before }), {
      'content-security-policy': PAGE_CSP,
    });
  }
}

function platformOf(name: string): Platform {
  if (isPlatform(name)) return name;
  throw notFound(`no platform named ${name}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Back to a page of the overview only (no open redirect). */
function safeBack(back: string | null): string {
  const next = safeNext(back);
  return next === OVERVIEW_PATH || next.startsWith(`${OVERVIEW_PATH}?`) ? next : OVERVIEW_PATH;
}

function notice(query: URLSearchParams): Html {
  const done = DONE[query.get('done') ?? ''];
  const platform = query.get('platform') ?? '';
  if (!done || !isPlatform(platform)) return html``;
  return html`<div class="notice" role="status">${done(platform)}</div>`;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store' }).end();
}

function asset(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
