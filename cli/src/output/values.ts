import { oneLine } from './terminal.ts';

/**
 * Tolerant readers of API answers for the human output. The contract lets the API add fields,
 * and `--json` is the exact answer; a missing field shows as `-`, it never breaks the table.
 */
export type JsonRecord = Record<string, unknown>;

export function record(value: unknown): JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : {};
}

export function list(value: unknown): JsonRecord[] {
  return Array.isArray(value) ? value.map(record) : [];
}

export function text(value: unknown, fallback = '-'): string {
  if (value === null || value === undefined || value === '') return fallback;
  if (typeof value === 'string') return oneLine(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return oneLine(JSON.stringify(value));
}

/** `CODE: message` of an error object (or the string itself), `-` when there is none. */
export function errorText(value: unknown): string {
  if (typeof value === 'string') return oneLine(value);
  const error = record(value);
  if (error.code === undefined && error.message === undefined) return '-';
  return [error.code, error.message]
    .filter((part) => part !== undefined && part !== null)
    .map((part) => text(part))
    .join(': ');
}
