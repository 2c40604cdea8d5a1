/**
 * Path and query characters a redirect may carry: no control characters (a CR/LF would split the
 * Location header), no backslash, no space; anything else must come percent-encoded.
 */
const URL_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;

/** Where a login may send the browser back to: only our own admin pages (no open redirect). */
export function safeNext(next: string | null | undefined): string {
  if (
    typeof next === 'string' &&
    next.length <= 2048 &&
    /^\/admin\/[^/\\]/.test(next) &&
    !next.includes('//') &&
    URL_SAFE.test(next)
  )
    return next;
  return '/admin/queues';
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The login form. It never shows the token, not even a wrong one. */
export function loginPage(options: { next: string; failed: boolean; throttledMinutes?: number }): string {
  const notice =
    options.throttledMinutes !== undefined
      ? `<p class="error">Too many failed logins from here: try again in ${options.throttledMinutes} min.</p>`
      : options.failed
        ? '<p class="error">That is not the admin token.</p>'
        : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ticketing BE - log in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}
input,button{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0}.error{color:#b00020}</style>
</head><body>
<h1>Ticketing BE</h1>
<p>Log in to the queue dashboard with the admin token (ADMIN_TOKEN).</p>
${notice}
<form method="post" action="/admin/login">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form>
</body></html>
`;
}
