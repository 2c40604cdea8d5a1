import { CorruptRecordError } from './ticket-record.ts';

/**
 * The stored version of a ticket (`ticket:<wmId>`, docs/design.md "Keys in Redis") is one Redis
 * STRING: a fixed-width ASCII header, then the compact record (./ticket-record.ts). One string
 * costs ~210 B less than the hash it replaces (a hash whose record is over
 * `hash-max-listpack-value` is a hashtable). Fixed width so that the Lua scripts read the header
 * with one GETRANGE and markQueued sets its flag with one SETRANGE, never rewriting the record.
 *
 * | offset | bytes | what                                                                        |
 * | ------ | ----- | --------------------------------------------------------------------------- |
 * | 0      | 1     | `s`: this layout                                                            |
 * | 1      | 1     | queued: `1` once markQueued confirmed a job for the version stored here     |
 * | 2      | 16    | version, decimal, zero-padded (WM versions are safe integers: <= 16 digits) |
 * | 18     | 13    | storedAt, ms epoch, decimal, zero-padded (13 digits last until 2286)        |
 * | 31     | rest  | the record, from its own format byte                                        |
 *
 * The scripts reading it (put-latest.lua, mark-queued.lua, sweep-ticket.lua) use these offsets;
 * change them together. Releases before stored a hash (`version`, `storedAt`, `queued` and `t`,
 * or earlier `json` and `seq`); every reader takes both, and the next version stored replaces the
 * hash with a string.
 */
export const STORED_LAYOUT = 's';
export const STORED_HEADER_BYTES = 31;
const VERSION_DIGITS = 16;
const STORED_AT_DIGITS = 13;

export interface StoredHeader {
  version: number;
  /** Whether a job is known to exist for this version (the fence's `unqueued` answer needs it). */
  queued: boolean;
  storedAtMs: number;
}

function digits(value: number, width: number, what: string): string {
  const text = String(value);
  if (!Number.isSafeInteger(value) || value < 0 || text.length > width)
    throw new RangeError(`${what} ${text} does not fit ${width} digits`);
  return text.padStart(width, '0');
}

/** The string put-latest.lua stores: header (not queued yet) and record. */
export function encodeStored(header: StoredHeader, record: Buffer): Buffer {
  const head =
    STORED_LAYOUT +
    (header.queued ? '1' : '0') +
    digits(header.version, VERSION_DIGITS, 'version') +
    digits(header.storedAtMs, STORED_AT_DIGITS, 'storedAt');
  return Buffer.concat([Buffer.from(head, 'latin1'), record]);
}

const HEADER = /^s([01])(\d{16})(\d{13})$/;

/** The header of a stored string. Throws CorruptRecordError when it is not this layout's. */
export function decodeStoredHeader(value: Buffer): StoredHeader {
  const match = HEADER.exec(value.subarray(0, STORED_HEADER_BYTES).toString('latin1'));
  if (!match) throw new CorruptRecordError('stored header is not a version header');
  const version = Number(match[2]);
  if (version < 1 || !Number.isSafeInteger(version))
    throw new CorruptRecordError(`stored version ${match[2] ?? ''} is not an integer >= 1`);
  return { queued: match[1] === '1', version, storedAtMs: Number(match[3]) };
}

/** A stored version as read (read-ticket.lua), whichever release wrote it. */
export type StoredRead =
  /** This layout, or a hash's `t` field (the release before): the compact record. */
  | { format: 'record'; version: number; storedAtMs: number; record: Buffer }
  /** A hash of the format before the compact record: the ticket's JSON, validated when read. */
  | { format: 'json'; storedAtMs: number; json: Buffer; seq: number };

/**
 * What read-ticket.lua answered: the string, the old hash's `t`, `version`, `storedAt`, `json`
 * and `seq`, or nil. Undefined when nothing is stored; throws CorruptRecordError when the header
 * (or the hash's version beside `t`) cannot be read.
 */
export function readStoredAnswer(answer: unknown): StoredRead | undefined {
  if (answer === null || answer === undefined) return undefined;
  if (Buffer.isBuffer(answer)) {
    const { version, storedAtMs } = decodeStoredHeader(answer);
    return { format: 'record', version, storedAtMs, record: answer.subarray(STORED_HEADER_BYTES) };
  }
  const [t, version, storedAt, json, seq] = answer as (Buffer | null)[];
  const storedAtMs = Number(storedAt?.toString() ?? 0);
  if (t) {
    const number = Number(version?.toString());
    if (!Number.isSafeInteger(number) || number < 1)
      throw new CorruptRecordError(`stored version ${String(version)} is not an integer >= 1`);
    return { format: 'record', version: number, storedAtMs, record: t };
  }
  if (!json) return undefined;
  return { format: 'json', storedAtMs, json, seq: Number(seq?.toString()) };
}

/** The stored version's number from a read-ticket.lua answer; undefined when absent or unreadable. */
export function storedVersionOf(answer: unknown): number | undefined {
  if (answer === null || answer === undefined) return undefined;
  if (Buffer.isBuffer(answer)) {
    try {
      return decodeStoredHeader(answer).version;
    } catch {
      return undefined;
    }
  }
  const version = Number((answer as (Buffer | null)[])[1]?.toString());
  return Number.isSafeInteger(version) && version >= 1 ? version : undefined;
}
