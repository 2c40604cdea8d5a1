import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPlatform, ticketJobId, type Platform } from '@tbe/shared';
import { safeNext } from '../auth/login-page.ts';
import type { QueueCommands } from '../commands.ts';
import type { DashboardContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { pathOf, readText } from '../http/io.ts';
import { confirmLive } from './confirm-page.ts';
import { href, html, type Html } from './html.ts';
import { OVERVIEW_PATH } from './layout.ts';
import { ticketHref } from './list-page.ts';
import { platformOf, redirect, sendPage } from './respond.ts';

type Action = 'retry' | 'discard';

/** What an operator reads after an action (a fixed text: nothing from the address is echoed). */
const DONE: Record<string, (platform: string) => string> = {
  retry: (p) => `✔ Retry sent: the ticket goes to ${p} again with a fresh budget and its latest version.`,
  discard: (p) => `✔ Dead letter discarded after review: the ticket stays in error on ${p}.`,
  paused: (p) => `✔ Processing of ${p} is paused: nothing is sent to ${p} until it is resumed.`,
  resumed: (p) => `✔ Processing of ${p} is resumed.`,
};

/**
 * The page's actions: a GET shows what will happen (the confirmation), a POST does it with the
 * same commands as the admin API and sends the browser back to where the result is shown.
 * Cross-site POSTs never get here (the dashboard's handler refuses them first).
 */
export function overviewActions(ctx: DashboardContext, commands: QueueCommands) {
  const confirmPage = (res: ServerResponse, live: Html) =>
    sendPage(res, 200, { title: 'Confirm', live, refresh: false, readAtMs: ctx.now() });

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
      return confirmPage(res, live);
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
      return confirmPage(res, live);
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

  return { ticketAction, processingAction };
}

/** Back to a page of the overview only (no open redirect). */
function safeBack(back: string | null): string {
  const next = safeNext(back);
  return next === OVERVIEW_PATH || next.startsWith(`${OVERVIEW_PATH}?`) ? next : OVERVIEW_PATH;
}

export function notice(query: URLSearchParams): Html {
  const done = DONE[query.get('done') ?? ''];
  const platform = query.get('platform') ?? '';
  if (!done || !isPlatform(platform)) return html``;
  return html`<div class="notice" role="status">${done(platform)}</div>`;
}
