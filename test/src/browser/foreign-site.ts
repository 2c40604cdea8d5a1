import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Another site's web server: one HTML page per path. */
export interface ForeignSite {
  /** `http://localhost:<port>`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the pages on loopback, reached as `localhost` while the dashboard is `127.0.0.1`: a
 * different host name is a different site, so the browser marks these pages' requests to the
 * dashboard `Sec-Fetch-Site: cross-site` and withholds SameSite cookies, as for a real attacker.
 */
export async function startForeignSite(pages: Record<string, string>): Promise<ForeignSite> {
  const server = createServer((req, res) => {
    const html = pages[new URL(req.url ?? '/', 'http://localhost').pathname];
    res
      .writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' })
      .end(html ?? 'not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const attribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * A page that posts a form to `action` as soon as it loads. With `text/plain`, one field whose
 * name ends in `"` and value is `"}` makes the body a JSON document (`name=value`), the classic
 * way a form forges a JSON request.
 */
export function autoPostingForm(
  action: string,
  fields: Record<string, string>,
  enctype = 'application/x-www-form-urlencoded',
): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${attribute(name)}" value="${attribute(value)}">`)
    .join('');
  return `<!doctype html><html><body>
<form method="post" action="${attribute(action)}" enctype="${enctype}">${inputs}</form>
<script>document.forms[0].submit();</script>
</body></html>`;
}

/**
 * A page that sends `PUT url` with the browser's credentials (as Bull Board's own page does) and
 * writes what came of it into `#outcome`: `answered <status>` or `blocked`.
 */
export function puttingPage(url: string): string {
  return `<!doctype html><html><body><output id="outcome"></output>
<script>
const outcome = document.getElementById('outcome');
fetch(${JSON.stringify(url)}, { method: 'PUT', credentials: 'include' }).then(
  (response) => { outcome.textContent = 'answered ' + response.status; },
  () => { outcome.textContent = 'blocked'; },
);
</script></body></html>`;
}
