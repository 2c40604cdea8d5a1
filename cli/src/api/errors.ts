import { record, text } from '../output/values.ts';

/**
 * One line for an API error answer: `{ "error": { "code", "message", "fields"? } }` becomes
 * `CODE: message (path: message; ...)`. An answer without that shape (a proxy, another
 * service at TBE_URL) is named by its HTTP status.
 */
export function describeApiError(status: number, answer: unknown): string {
  const error = record(record(answer).error);
  if (typeof error.code !== 'string') {
    return `HTTP ${status} from the dashboard, not an admin API error (is TBE_URL the dashboard?)`;
  }
  const fields = Array.isArray(error.fields) ? error.fields.map(record) : [];
  const detail = fields.map((field) => `${text(field.path)}: ${text(field.message)}`).join('; ');
  // A 401 is almost always the operator's ADMIN_TOKEN: say where to look, never what it is.
  const hint = status === 401 ? ' (check ADMIN_TOKEN)' : '';
  return `${error.code}: ${oneLine(text(error.message, ''))}${detail ? ` (${detail})` : ''}${hint}`;
}

function oneLine(value: string): string {
  return value.replace(/\s*\n\s*/g, ' ');
}

/** The API error's code and fields, for `--json` (undefined when the answer is not an API error). */
export function apiErrorParts(answer: unknown): { code: string | undefined; fields: unknown[] | undefined } {
  const error = record(record(answer).error);
  return {
    code: typeof error.code === 'string' ? error.code : undefined,
    fields: Array.isArray(error.fields) ? error.fields : undefined,
  };
}
