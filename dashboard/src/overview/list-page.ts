import { PLATFORMS, TICKET_STATES, type Operation, type Platform, type TicketState } from '@tbe/shared';
import type { PlatformStatus } from '../reads/status.ts';
import type { RowOnPlatform, TicketRow } from '../reads/ticket-rows.ts';
import { href, html, utc, type Html } from './html.ts';
import { OVERVIEW_PATH } from './layout.ts';
import { severityMark, stateMark } from './states.ts';

export interface ListFilter {
  platform: Platform | undefined;
  state: TicketState | undefined;
  text: string | undefined;
  cursor: string | undefined;
}

export interface ListView {
  filter: ListFilter;
  rows: TicketRow[];
  next: string | null;
  counts: Record<Platform, Record<TicketState, number>>;
  status: Record<Platform, PlatformStatus>;
  /** The list's own address, so that actions come back to it. */
  self: string;
  /** When the data was read (ISO): a change of that day shows its time only. */
  readAt: string;
  /** `platform/ticketId` of the rows in error whose dead letter awaits review (Retry applies). */
  retryable: ReadonlySet<string>;
}

const filterParams = (filter: ListFilter, cursor?: string) => ({
  platform: filter.platform,
  state: filter.state,
  q: filter.text,
  cursor,
});

export const ticketHref = (ticketId: string): string => `${OVERVIEW_PATH}/${encodeURIComponent(ticketId)}`;

export function attemptsText(attempts: Partial<Record<Operation, number>>): string {
  return Object.entries(attempts)
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ');
}

/** The filters: a plain GET form, so the filters live in the address and survive every refresh. */
export function filterForm(filter: ListFilter): Html {
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="${OVERVIEW_PATH}" role="search">
    <div class="field">
      <label for="f-platform">Platform</label
      ><select id="f-platform" name="platform">
        ${option('', 'all', filter.platform === undefined)}${PLATFORMS.map((p) => option(p, p, filter.platform === p))}
      </select>
    </div>
    <div class="field">
      <label for="f-state">State</label
      ><select id="f-state" name="state">
        ${option('', 'all', filter.state === undefined)}${TICKET_STATES.map((s) => option(s, s === 'error' ? 'error (review list)' : s, filter.state === s))}
      </select>
    </div>
    <div class="field">
      <label for="f-q">WM id, entity, platform id or OT</label
      ><input
        id="f-q"
        name="q"
        type="search"
        value="${filter.text ?? ''}"
        maxlength="200"
        placeholder="e.g. WM-1042, GDL-NODO, OT-5512"
      />
    </div>
    <button type="submit" class="primary">Filter</button>
    <a class="button" href="${OVERVIEW_PATH}">Clear</a>
    <a class="button" href="${href(OVERVIEW_PATH, { state: 'error' })}">Review list (errors)</a>
  </form>`;
}

/** Per platform: the switch, its auth and dead letters, and how many tickets are in each state. */
function countsTable(view: ListView): Html {
  const { filter } = view;
  return html`<div class="counts">
    <table>
      <caption class="muted">
        Tickets per state (select to filter)
      </caption>
      <thead>
        <tr>
          <th scope="col">Platform</th>
          <th scope="col">Processing</th>
          ${TICKET_STATES.map((s) => html`<th scope="col">${stateMark(s)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${PLATFORMS.map((platform) => {
          const status = view.status[platform];
          const enabled = status.processing === 'enabled';
          const switchHref = href(`/admin/platforms/${platform}/processing`, {
            enabled: enabled ? '0' : '1',
            back: view.self,
          });
          return html`<tr>
            <th scope="row">${platform}</th>
            <td>
              ${enabled ? html`<span class="tone-done">▶&nbsp;enabled</span>` : html`<strong class="tone-bad">⏸&nbsp;disabled</strong>`}
              <a
                class="button${enabled ? ' danger' : ''}"
                href="${switchHref}"
                aria-label="${`${enabled ? 'Pause' : 'Resume'} ${platform}…`}"
                >${enabled ? 'Pause…' : 'Resume…'}</a
              >${status.auth === 'failed' ? html` <strong class="tone-bad">✖&nbsp;auth failed</strong>` : ''}
            </td>
            ${TICKET_STATES.map((state) => {
              const count = view.counts[platform][state];
              const current = filter.platform === platform && filter.state === state;
              return html`<td><a${current ? html` class="current" aria-current="true"` : ''} href="${href(OVERVIEW_PATH, { platform, state })}" aria-label="${`${count} ${state} on ${platform}`}">${count}</a></td>`;
            })}
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** Per platform two cells: the state with its attempts, and the ids with the last error. */
function platformCells(
  ticketId: string,
  platform: Platform,
  on: RowOnPlatform | undefined,
  view: ListView,
): Html {
  if (!on) return html`<td class="first muted" colspan="2">not sent to ${platform}</td>`;
  const error = on.lastError ? `${on.lastError.code}: ${on.lastError.message}` : '';
  const ids = [on.platformId, on.workOrder].filter(Boolean).join(' · ');
  // The sum in the table; the ticket's page has them per operation.
  const attempts = Object.values(on.attempts).reduce((sum, count) => sum + count, 0);
  const retry = view.retryable.has(`${platform}/${ticketId}`)
    ? html` <a
        class="button small-button"
        href="${href(`${ticketHref(ticketId)}/retry`, { platform })}"
        aria-label="${`Retry ${ticketId} on ${platform}…`}"
        >Retry…</a
      >`
    : '';
  return html`<td class="first">
      ${stateMark(on.state)}${attempts > 0 ? html` <span class="small" title="${attemptsText(on.attempts)}">${attempts}&nbsp;${attempts === 1 ? 'attempt' : 'attempts'}</span>` : ''}${retry}
    </td>
    <td>
      ${ids || html`<span class="muted">no id yet</span>`}${error ? html`<div class="errline" title="${error}">${error}</div>` : ''}
    </td>`;
}

/** `09:40:05` for a change of the day the page was read, `11-26 09:40` for an older one. */
function changedAt(iso: string, readAt: string): string {
  const at = utc(iso);
  return iso.slice(0, 10) === readAt.slice(0, 10) ? at.slice(11) : at.slice(5, 16);
}

function row(ticket: TicketRow, view: ListView): Html {
  const failed = Object.values(ticket.platforms).some((on) => on.state === 'error');
  return html`<tr${failed ? html` class="has-error"` : ''}>
<th scope="row"><a href="${ticketHref(ticket.ticketId)}">${ticket.ticketId}</a></th>
<td>${ticket.entity ?? ''}</td>
<td>${ticket.alarmType ?? ''}</td>
<td>${severityMark(ticket.severity)}</td>
<td title="${ticket.updatedAt}">${changedAt(ticket.updatedAt, view.readAt)}</td>
${PLATFORMS.map((platform) => platformCells(ticket.ticketId, platform, ticket.platforms[platform], view))}
</tr>`;
}

/** The refreshed part of the list: counts, the table and its pager. */
export function listLive(view: ListView): Html {
  const { filter } = view;
  const describe = [
    filter.platform ? `on ${filter.platform}` : 'on every platform',
    filter.state ? `in state ${filter.state}` : 'in any state',
    filter.text ? `matching “${filter.text}”` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return html`${countsTable(view)}
    <table class="tickets">
      <caption class="muted">
        Tickets ${describe}, newest change first (times in UTC)
      </caption>
      <colgroup>
        <col class="c-id" />
        <col class="c-entity" />
        <col class="c-alarm" />
        <col class="c-sev" />
        <col class="c-changed" />
        ${PLATFORMS.map(
          () =>
            html`<col class="c-state" />
              <col class="c-ids" />`,
        )}
      </colgroup>
      <thead>
        <tr>
          <th scope="col" rowspan="2">WM id</th>
          <th scope="col" rowspan="2">Entity</th>
          <th scope="col" rowspan="2">Alarm type</th>
          <th scope="col" rowspan="2">Severity</th>
          <th scope="col" rowspan="2">Changed</th>
          ${PLATFORMS.map((p) => html`<th scope="colgroup" colspan="2" class="group">${p}</th>`)}
        </tr>
        <tr>
          ${PLATFORMS.map(
            () =>
              html`<th scope="col" class="group">State, attempts</th>
                <th scope="col">Id · OT, last error</th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${
          view.rows.length > 0
            ? view.rows.map((ticket) => row(ticket, view))
            : html`<tr>
                <td colspan="${5 + 2 * PLATFORMS.length}">
                  No ticket ${describe}${filter.cursor ? ' on this page' : ''}.
                </td>
              </tr>`
        }
      </tbody>
    </table>
    <nav class="pager" aria-label="Pages">
      ${filter.cursor ? html`<a class="button" href="${href(OVERVIEW_PATH, filterParams(filter))}">⏮ Newest</a>` : ''}${
        view.next
          ? html`<a class="button" href="${href(OVERVIEW_PATH, filterParams(filter, view.next))}"
              >Next page ▶</a
            >`
          : ''
      }
    </nav>`;
}
