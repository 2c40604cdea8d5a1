import type { IncomingHttpHeaders } from 'node:http';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a state-changing request comes from another site's page.
 *
 * Why this and not a CSRF token: Bull Board's UI is a prebuilt page whose requests we cannot add
 * a token to, and basic auth (which a browser re-sends by itself, SameSite does not cover it)
 * must be protected as well as the session cookie. Browsers mark every request: `Sec-Fetch-Site`
 * (all current browsers) says whether the page that sent it has our origin, and `Origin` (sent
 * on every non-GET fetch, XHR and form post) names that page's origin for older ones. Only the
 * exact same origin may change state; `Sec-Fetch-Site` is preferred because it is computed by the
 * browser and needs no knowledge of the host name a proxy shows. A request carrying neither is
 * not from a browser (CLI, curl): there is no ambient credential to abuse, so it passes. The
 * session cookie is also SameSite=Strict, so a cross-site request does not even carry it.
 */
export function isCrossSite(method: string, headers: IncomingHttpHeaders): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin';
  const origin = headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    return new URL(origin).host !== headers.host;
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) or garbage: refuse.
    return true;
  }
}
