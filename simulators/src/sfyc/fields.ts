import type { ItemError } from './schema.ts';
import type { SfycFields } from './store.ts';

/** Fields a ticket cannot be created without (it could not be found by entity otherwise). */
const REQUIRED_ON_CREATE = ['summary', 'entity', 'alarmType'];

/** sfyc.md: priority (1..3) and alarmCount are integers, status open|resolved, every other field a string. */
export function checkFields(
  fields: Record<string, unknown>,
  creating: boolean,
): { errors: ItemError[]; fields: SfycFields } {
  const errors: ItemError[] = [];
  const invalid = (field: string, message: string): void => {
    errors.push({ code: 'FIELD_INVALID', field, message, retryable: false });
  };
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'priority') {
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 3)
        invalid(field, 'must be an integer 1..3');
    } else if (field === 'alarmCount') {
      if (!Number.isInteger(value) || (value as number) < 0) invalid(field, 'must be a non-negative integer');
    } else if (field === 'status') {
      if (value !== 'open' && value !== 'resolved') invalid(field, 'must be open or resolved');
    } else if (typeof value !== 'string') {
      invalid(field, `must be a string, got ${value === null ? 'null' : typeof value}`);
    }
  }
  if (creating) {
    for (const field of REQUIRED_ON_CREATE) {
      if (fields[field] === undefined || fields[field] === '')
        invalid(field, 'is required to create a ticket');
    }
  }
  return { errors, fields: fields as SfycFields };
}

/** `[WM <id> v<version>]` at the start of a note. */
export function notePrefix(text: string): { ticketId: string; prefix: string } | null {
  const match = /^\[WM ([A-Za-z0-9._:-]{1,64}) v\d+\]/.exec(text);
  return match?.[1] ? { ticketId: match[1], prefix: match[0] } : null;
}
