import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ALARM_TYPES, ENTITY_TYPES, SEVERITIES, type Ticket } from '../ticket.ts';

/**
 * The compact form of a stored ticket version: what follows the header of the stored string
 * (./stored-ticket.ts; the `t` field of the hash earlier releases stored; docs/design.md "Keys in
 * Redis"). Written only by the producer after `ticketSchema` accepted the change, so it is read
 * back without validating again; a cheap structural check still names a corrupt record.
 *
 * Layout (bytes): `1` (the format), then one line of JSON `[seq, entity, alarmType, severity,
 * summary]` and `\n`, then the rest of the ticket deflated (raw deflate of the JSON array
 * `[state, entityType, alarmCount, region, subregion, branchId, details, receivedAt, updatedAt,
 * completedAt]`). The overview reads the first line only (no inflate to list or search); the
 * worker inflates the rest. The id is the key's, the version the header's.
 */
export const RECORD_FORMAT = 1;

/** What the overview shows of a WM ticket, in clear in the record's first line. */
export interface RecordHead {
  seq: number;
  entity: string;
  alarmType: string;
  severity: string;
  summary: string;
}

/** A stored record that cannot be read (written by another format, or damaged). */
export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}

// A 1 KiB window is enough for a ticket (~700 B before deflating); memLevel 4 keeps each call's
// zlib state small (the producer deflates once per ticket and platform).
const DEFLATE = { windowBits: 10, memLevel: 4, level: 4 } as const;
const INFLATE = { windowBits: 10 } as const;
const NEWLINE = 0x0a;

export function encodeRecord(ticket: Ticket, seq: number): Buffer {
  const head = JSON.stringify([seq, ticket.entity, ticket.alarmType, ticket.severity, ticket.summary]);
  const rest = JSON.stringify([
    ticket.state,
    ticket.entityType,
    ticket.alarmCount,
    ticket.region ?? null,
    ticket.subregion ?? null,
    ticket.branchId ?? null,
    ticket.details,
    ticket.receivedAt,
    ticket.updatedAt,
    ticket.completedAt,
  ]);
  // JSON escapes every newline inside strings, so the first raw `\n` ends the head.
  return Buffer.concat([
    Buffer.from([RECORD_FORMAT]),
    Buffer.from(`${head}\n`, 'utf8'),
    deflateRawSync(rest, DEFLATE),
  ]);
}

function split(record: Buffer): { head: unknown[]; restAt: number } {
  if (record[0] !== RECORD_FORMAT) throw new CorruptRecordError(`unknown stored format ${String(record[0])}`);
  const end = record.indexOf(NEWLINE, 1);
  if (end < 0) throw new CorruptRecordError('stored record has no head line');
  const head = parseArray(record.subarray(1, end).toString('utf8'), 'head');
  return { head, restAt: end + 1 };
}

function parseArray(json: string, part: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CorruptRecordError(`stored record's ${part} is not JSON`);
  }
  if (!Array.isArray(value)) throw new CorruptRecordError(`stored record's ${part} is not a list`);
  return value;
}

const str = (value: unknown, what: string): string => {
  if (typeof value !== 'string') throw new CorruptRecordError(`stored record's ${what} is not a string`);
  return value;
};
const optional = (value: unknown, what: string): string | undefined =>
  value === null ? undefined : str(value, what);
const int = (value: unknown, what: string): number => {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new CorruptRecordError(`stored record's ${what} is not an integer`);
  return value;
};

function readHead(head: unknown[]): RecordHead {
  if (head.length !== 5)
    throw new CorruptRecordError(`stored record's head has ${head.length} fields, not 5`);
  return {
    seq: int(head[0], 'seq'),
    entity: str(head[1], 'entity'),
    alarmType: str(head[2], 'alarmType'),
    severity: str(head[3], 'severity'),
    summary: str(head[4], 'summary'),
  };
}

/** The overview's fields only (no inflate). Throws CorruptRecordError. */
export function decodeRecordHead(record: Buffer): RecordHead {
  return readHead(split(record).head);
}

/** The whole ticket. Throws CorruptRecordError naming what is wrong. */
export function decodeRecord(
  record: Buffer,
  ticketId: string,
  version: number,
): { ticket: Ticket; seq: number } {
  const { head: headList, restAt } = split(record);
  const head = readHead(headList);
  let restJson: string;
  try {
    restJson = inflateRawSync(record.subarray(restAt), INFLATE).toString('utf8');
  } catch {
    throw new CorruptRecordError("stored record's body does not inflate");
  }
  const rest = parseArray(restJson, 'body');
  if (rest.length !== 10)
    throw new CorruptRecordError(`stored record's body has ${rest.length} fields, not 10`);
  const state = str(rest[0], 'state');
  if (state !== 'open' && state !== 'completed')
    throw new CorruptRecordError(`stored record's state is ${state}`);
  const entityType = str(rest[1], 'entityType');
  if (!(ENTITY_TYPES as readonly string[]).includes(entityType))
    throw new CorruptRecordError(`stored record's entityType is ${entityType}`);
  if (!(ALARM_TYPES as readonly string[]).includes(head.alarmType))
    throw new CorruptRecordError(`stored record's alarmType is ${head.alarmType}`);
  if (!(SEVERITIES as readonly string[]).includes(head.severity))
    throw new CorruptRecordError(`stored record's severity is ${head.severity}`);
  const ticket: Ticket = {
    id: ticketId,
    version,
    state,
    entity: head.entity,
    entityType: entityType as Ticket['entityType'],
    alarmType: head.alarmType as Ticket['alarmType'],
    severity: head.severity as Ticket['severity'],
    alarmCount: int(rest[2], 'alarmCount'),
    summary: head.summary,
    details: str(rest[6], 'details'),
    receivedAt: str(rest[7], 'receivedAt'),
    updatedAt: str(rest[8], 'updatedAt'),
    completedAt: rest[9] === null ? null : str(rest[9], 'completedAt'),
  };
  const region = optional(rest[3], 'region');
  const subregion = optional(rest[4], 'subregion');
  const branchId = optional(rest[5], 'branchId');
  if (region !== undefined) ticket.region = region;
  if (subregion !== undefined) ticket.subregion = subregion;
  if (branchId !== undefined) ticket.branchId = branchId;
  return { ticket, seq: head.seq };
}
