import { PLATFORMS, type Platform } from '@tbe/shared';
import type { TicketOnPlatform } from '../reads/tickets.ts';
import type { WmFacts } from '../reads/ticket-facts.ts';
import { href, html, utc, type Html } from './html.ts';
import { OVERVIEW_PATH } from './layout.ts';
import { attemptsText, ticketHref } from './list-page.ts';
import { severityMark, stateMark } from './states.ts';

/** The dead letter of a ticket on a platform, if it has one. */
export interface DeadLetterView {
  id: string;
  /** `parked`: waiting for review; `retrying`: Retry pressed, about to be sent again. */
  status: 'parked' | 'retrying';
}

export interface TicketView {
  ticketId: string;
  wm: WmFacts | undefined;
  platforms: Partial<Record<Platform, TicketOnPlatform>>;
  deadLetters: Partial<Record<Platform, DeadLetterView>>;
  recordUrls: Partial<Record<Platform, string>>;
}

/** A link to the platform record when a template is configured (the id is URL-encoded). */
function recordLink(template: string | undefined, platformId: string | null): Html {
  if (!platformId) return html`<span class="muted">none yet</span>`;
  if (!template) return html`${platformId}`;
  const url = template.replaceAll('{id}', encodeURIComponent(platformId));
  return html`<a href="${url}" rel="noreferrer noopener" target="_blank"
    >${platformId} <span aria-hidden="true">↗</span><span class="sr">(opens the platform record)</span></a
  >`;
}

function actions(view: TicketView, platform: Platform, on: TicketOnPlatform): Html {
  const dead = view.deadLetters[platform];
  if (on.state !== 'error') return html``;
  if (!dead) {
    return html`<p class="muted">
      No dead letter (discarded after review): the next WM version of this ticket sends it again.
    </p>`;
  }
  if (dead.status === 'retrying')
    return html`<p><strong>↻ Retry in progress</strong>: the dead letter is being sent again.</p>`;
  const confirm = (action: string) => href(`${ticketHref(view.ticketId)}/${action}`, { platform });
  return html`<div class="actions">
    <a class="button primary" href="${confirm('retry')}">Retry on ${platform}…</a>
    <a class="button danger" href="${confirm('discard')}">Discard dead letter…</a>
  </div>`;
}

function history(on: TicketOnPlatform): Html {
  if (on.history.length === 0) return html`<p class="muted">No events yet.</p>`;
  return html`<table class="history">
    <caption class="sr">
      History, newest first
    </caption>
    <thead>
      <tr>
        <th scope="col">At (UTC)</th>
        <th scope="col">Event</th>
        <th scope="col">Version</th>
        <th scope="col">Detail</th>
      </tr>
    </thead>
    <tbody>
      ${on.history.map(
        (event) =>
          html`<tr>
            <td>${utc(event.at)}</td>
            <td>${event.event}</td>
            <td>${event.version ?? ''}</td>
            <td class="detail">${event.detail ?? ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function platformSection(view: TicketView, platform: Platform): Html {
  const on = view.platforms[platform];
  if (!on) {
    return html`<section class="platform" aria-labelledby="p-${platform}">
      <h2 id="p-${platform}">${platform}</h2>
      <p class="muted">Not sent to ${platform}.</p>
    </section>`;
  }
  const error = on.lastError;
  return html`<section class="platform" aria-labelledby="p-${platform}">
    <h2 id="p-${platform}">${platform}: ${stateMark(on.state)}</h2>
    <dl class="facts">
      <dt>Platform ticket</dt>
      <dd>${recordLink(view.recordUrls[platform], on.platformId)}</dd>
      <dt>OT (work order)</dt>
      <dd>${on.workOrder ?? html`<span class="muted">none</span>`}</dd>
      <dt>WM version</dt>
      <dd>applied ${on.version ?? '–'}, received ${on.receivedVersion ?? '–'}</dd>
      <dt>Attempts</dt>
      <dd>${attemptsText(on.attempts) || html`<span class="muted">none</span>`}</dd>
      <dt>Last error</dt>
      <dd>
        ${error ? html`<strong class="tone-bad">✖ ${error.code}</strong>: ${error.message}` : html`<span class="muted">none</span>`}
      </dd>
      <dt>Changed</dt>
      <dd>${utc(on.updatedAt)} UTC</dd>
    </dl>
    ${actions(view, platform, on)}
    <h3>History (last 50 events, newest first)</h3>
    ${history(on)}
  </section>`;
}

export function ticketLive(view: TicketView): Html {
  const { wm } = view;
  return html`<h1>Ticket ${view.ticketId}</h1>
    ${
      wm
        ? html`<dl class="facts">
            <dt>Entity</dt>
            <dd>${wm.entity}</dd>
            <dt>Alarm type</dt>
            <dd>${wm.alarmType}</dd>
            <dt>Severity</dt>
            <dd>${severityMark(wm.severity)}</dd>
            <dt>Summary</dt>
            <dd>${wm.summary}</dd>
          </dl>`
        : html`<p class="muted">The WM version is no longer stored.</p>`
    }
    <div class="platforms">${PLATFORMS.map((platform) => platformSection(view, platform))}</div>
    <p><a href="${OVERVIEW_PATH}">◀ All tickets</a></p>`;
}
