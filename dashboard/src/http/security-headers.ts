import type { ServerResponse } from 'node:http';

/**
 * Headers every answer under /admin and /api carries, set before any page or handler runs, so
 * each page (Bull Board's, the login page, any page added later) gets them without asking. A page
 * may set a stricter Content-Security-Policy of its own (the login page does); it replaces this one.
 *
 * - No framing by any site (`frame-ancestors 'none'`, and X-Frame-Options for older browsers):
 *   a framed board could be clicked through by another site while the browser re-sends cached
 *   basic credentials or the session cookie (clickjacking).
 * - No MIME sniffing, no Referer leaving the dashboard (paths name tickets).
 */
export function setSecurityHeaders(res: ServerResponse, api: boolean): void {
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  // JSON is never rendered: nothing may load or run from it. Pages keep their own sources.
  res.setHeader(
    'content-security-policy',
    api ? "default-src 'none'; frame-ancestors 'none'" : "frame-ancestors 'none'",
  );
}
