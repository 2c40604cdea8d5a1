import type { RecordedRequest } from '@tbe/simulators';

// What one recorded request to a simulator was for, and how many tickets it named, read from
// its body the way the simulators count them for `batch-too-large`. Token and set-up requests
// name no ticket and are kept apart from the efficiency figures.

export type RequestKind =
  | 'token'
  | 'setup'
  | 'poll'
  | 'status'
  | 'lookup'
  | 'open-search'
  | 'wo-search'
  | 'create'
  | 'note'
  | 'workOrder'
  | 'writeBack'
  | 'update'
  | 'resolve'
  | 'other';

export interface Classified {
  kind: RequestKind;
  /** Tickets (ids, entities, entries) the request names; 0 for token and set-up. */
  named: number;
  /** The most it may name: maxTicketsPerRequest, or WM's 500 for status reports. */
  max: number;
}

/** One ticket version a request put on the platform (or reported to WM). */
export interface Written {
  ticketId: string;
  version: number;
  /** For WM status reports: the reported state (`created`, `updated`, ...). */
  state?: string;
  /** For WM status reports: the platform ticket id. */
  externalId?: string | null;
  platform?: string;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const NOTE_PREFIX = /^\[WM ([A-Za-z0-9._:-]{1,64}) v(\d+)\]/;
export const WM_STATUS_MAX = 500;
/** Answered with success (WM answers its status reports with 204). */
const ok = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

export function classifyWm(record: RecordedRequest): Classified {
  if (record.path.endsWith('/tickets/status')) {
    const updates = isObject(record.body) ? list(record.body.updates) : [];
    return { kind: 'status', named: updates.length, max: WM_STATUS_MAX };
  }
  return { kind: record.path.endsWith('/tickets/changes') ? 'poll' : 'other', named: 0, max: WM_STATUS_MAX };
}

export function wmReports(record: RecordedRequest): Written[] {
  if (!record.path.endsWith('/tickets/status') || !ok(record.status) || !isObject(record.body)) return [];
  return list(record.body.updates).flatMap((u) =>
    isObject(u)
      ? [
          {
            ticketId: str(u.ticketId),
            version: Number(u.version),
            state: str(u.state),
            externalId: (u.externalId as string | null) ?? null,
            platform: str(u.platform),
          },
        ]
      : [],
  );
}

export function classifySfyc(record: RecordedRequest, max: number): Classified {
  const body = isObject(record.body) ? record.body : {};
  if (record.path.endsWith('/oauth/token')) return { kind: 'token', named: 0, max };
  if (record.path.endsWith('/v1/tickets/search')) {
    const ids = list(body.externalIds);
    return ids.length > 0
      ? { kind: 'lookup', named: ids.length, max }
      : { kind: 'open-search', named: list(body.entities).length, max };
  }
  if (record.path.endsWith('/v1/work-orders/batch'))
    return { kind: 'workOrder', named: list(body.orders).length, max };
  if (record.path.endsWith('/v1/tickets/batch')) {
    const operations = list(body.operations);
    const first = isObject(operations[0]) ? operations[0] : {};
    const fields = isObject(first.fields) ? first.fields : {};
    const kind: RequestKind =
      first.op === 'note'
        ? 'note'
        : first.op === 'resolve'
          ? 'resolve'
          : 'workOrder' in fields
            ? 'writeBack'
            : 'status' in fields
              ? 'create'
              : 'update';
    return { kind, named: operations.length, max };
  }
  return { kind: 'other', named: 0, max };
}

export function sfycWrites(record: RecordedRequest): Written[] {
  if (!record.path.endsWith('/v1/tickets/batch') || !ok(record.status) || !isObject(record.body)) return [];
  return list(record.body.operations).flatMap((op): Written[] => {
    if (!isObject(op)) return [];
    if (op.op === 'note') return noteWrite(str(op.text));
    return [{ ticketId: str(op.externalId), version: Number(op.version) }];
  });
}

function noteWrite(text: string): Written[] {
  const match = NOTE_PREFIX.exec(text);
  return match?.[1] && match[2] ? [{ ticketId: match[1], version: Number(match[2]) }] : [];
}

/** Field ids as the Cherwell simulator knows them, by name (only the ones classification needs). */
export interface CherwellFieldIds {
  workOrderBusObId: string;
  noteBusObId: string;
  wmTicketId: string;
  networkEntity: string;
  parentRecId: string;
}

/** Cherwell accepts `BO:<busOb>,FI:<hex>` or the bare hex: compare the hex part. */
export const shortFieldId = (id: string): string =>
  (id.includes('FI:') ? id.slice(id.indexOf('FI:') + 3) : id).toLowerCase();

export function classifyCherwell(record: RecordedRequest, max: number, ids: CherwellFieldIds): Classified {
  const body = isObject(record.body) ? record.body : {};
  if (record.path.endsWith('/token')) return { kind: 'token', named: 0, max };
  if (record.path.includes('getbusinessobjectsummary') || record.path.endsWith('getbusinessobjecttemplate'))
    return { kind: 'setup', named: 0, max };
  if (record.path.endsWith('getsearchresults')) {
    const count = (fieldId: string): number =>
      list(body.filters).filter((f) => isObject(f) && shortFieldId(str(f.fieldId)) === fieldId).length;
    const lookup = count(ids.wmTicketId);
    if (lookup > 0) return { kind: 'lookup', named: lookup, max };
    const entities = count(ids.networkEntity);
    if (entities > 0) return { kind: 'open-search', named: entities, max };
    return { kind: 'wo-search', named: count(ids.parentRecId), max };
  }
  if (record.path.endsWith('savebusinessobjectbatch')) {
    const entries = list(body.saveRequests);
    return { kind: cherwellSaveKind(entries[0], ids), named: entries.length, max };
  }
  return { kind: 'other', named: 0, max };
}

function cherwellSaveKind(entry: unknown, ids: CherwellFieldIds): RequestKind {
  if (!isObject(entry)) return 'other';
  const busObId = str(entry.busObId).toLowerCase();
  if (busObId === ids.workOrderBusObId.toLowerCase()) return 'workOrder';
  if (busObId === ids.noteBusObId.toLowerCase()) return 'note';
  const values = fieldValues(entry);
  if ('WorkOrderNumber' in values) return 'writeBack';
  if (values.Status === 'Resolved' && str(entry.busObRecId) !== '') return 'resolve';
  return str(entry.busObRecId) === '' && str(entry.busObPublicId) === '' ? 'create' : 'update';
}

/** The product sends each field's name beside its id; that is what is read here. */
function fieldValues(entry: Loose): Record<string, string> {
  return Object.fromEntries(
    list(entry.fields).flatMap((f) => (isObject(f) ? [[str(f.name), str(f.value)]] : [])),
  );
}

export function cherwellWrites(record: RecordedRequest): Written[] {
  if (!record.path.endsWith('savebusinessobjectbatch') || !ok(record.status) || !isObject(record.body))
    return [];
  return list(record.body.saveRequests).flatMap((entry): Written[] => {
    if (!isObject(entry)) return [];
    const values = fieldValues(entry);
    if (values.WMTicketID && values.WMVersion)
      return [{ ticketId: values.WMTicketID, version: Number(values.WMVersion) }];
    return values.Details ? noteWrite(values.Details) : [];
  });
}
