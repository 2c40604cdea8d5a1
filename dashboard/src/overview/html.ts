/**
 * HTML built from templates whose every interpolation is escaped unless it is already `Html`:
 * ticket texts come from WM and the platforms (hostile input), so nothing reaches the page raw
 * by accident. Attribute values must be double-quoted in the templates.
 */
export interface Html {
  readonly html: string;
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (typeof part === 'string') return escapeHtml(part);
  if (typeof part === 'number') return String(part);
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return (part as Html).html;
}

/** A template of trusted markup; every `${value}` is escaped (arrays are joined, Html kept). */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return { html: out };
}

/** A URL path with query parameters; empty values are left out. */
export function href(path: string, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams(
    Object.entries(params).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  ).toString();
  return query === '' ? path : `${path}?${query}`;
}

/** `2026-11-26 09:40:05` (UTC): NOC wall screens and logs speak UTC. */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}
