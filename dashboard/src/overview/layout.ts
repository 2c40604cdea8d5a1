import { BOARD_PATH } from '../board/board.ts';
import { html, type Html } from './html.ts';

export const OVERVIEW_PATH = '/admin/tickets';
/** The page's own stylesheet and script: served by the dashboard, nothing from the Internet. */
export const ASSETS_PATH = '/admin/assets';

/**
 * Only this server's own script and stylesheet, and requests back to it: ticket texts are
 * escaped, and should anything slip through, the browser still runs nothing inline.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface LayoutOptions {
  title: string;
  /** When the data was read (ms epoch): the page shows its age. */
  readAtMs: number;
  /** Content that the script refreshes in place (`#live`); the rest stays (filters, focus). */
  live: Html;
  before?: Html;
  /** Whether the page refreshes itself (a confirmation page does not). */
  refresh: boolean;
}

export function layout(options: LayoutOptions): string {
  const readAt = new Date(options.readAtMs).toISOString();
  return `<!doctype html>\n${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${options.title} - Ticketing BE</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="stylesheet" href="${ASSETS_PATH}/overview.css" />
        ${
          options.refresh
            ? html`<script src="${ASSETS_PATH}/overview.js" defer></script>
                <noscript><meta http-equiv="refresh" content="10" /></noscript>`
            : ''
        }
      </head>
      <body>
        <a class="skip" href="#live">Skip to the tickets</a>
        <header>
          <nav aria-label="Dashboard">
            <strong>Ticketing BE</strong>
            <a href="${OVERVIEW_PATH}">Tickets</a>
            <a href="${BOARD_PATH}">Queues (Bull Board)</a>
            <a href="/admin/logout">Log out</a>
          </nav>
          <p class="age" id="age">
            <span id="age-text"
              >Data read at <time datetime="${readAt}">${readAt.slice(11, 19)} UTC</time></span
            >${
              options.refresh
                ? html` <button type="button" id="pause" aria-pressed="false">Pause refresh</button>`
                : ''
            }
          </p>
        </header>
        <main>
          ${options.before ?? ''}
          <div id="live" tabindex="-1" data-read-at="${readAt}">${options.live}</div>
        </main>
      </body>
    </html> `.html
  }`;
}
