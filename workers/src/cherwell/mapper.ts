import type { Ticket } from '@tbe/shared';
import { priorityOf, workOrderTitle } from '../flow/texts.ts';
import type { BusOb, CherwellIds, IncidentField, NoteField, WorkOrderField } from './fields.ts';
import type { SaveRequest, SearchRow } from './schema.ts';

// Pure mapping between WM tickets and Cherwell save requests and search rows. Every value is a
// string (cherwell.md); WMVersion goes with every incident write.

export const OPEN_STATUSES = ['New', 'Assigned', 'In Progress'] as const;
const CLOSED_STATUSES = new Set(['resolved', 'closed']);

type Values<F extends string> = Partial<Record<F, string>>;

/** The incident's content, the same on create, update and resolve. */
export function incidentContent(ticket: Ticket): Values<IncidentField> {
  return {
    WMTicketID: ticket.id,
    WMVersion: String(ticket.version),
    ShortDescription: ticket.summary,
    Description: ticket.details,
    Priority: String(priorityOf(ticket.severity)),
    NetworkEntity: ticket.entity,
    EntityType: ticket.entityType,
    AlarmType: ticket.alarmType,
    AlarmCount: String(ticket.alarmCount),
    // Absent means none: an empty value clears what an earlier version wrote.
    Region: ticket.region ?? '',
    Branch: ticket.branchId ?? '',
  };
}

export function createValues(ticket: Ticket, resolved: boolean): Values<IncidentField> {
  return { ...incidentContent(ticket), Status: resolved ? 'Resolved' : 'New' };
}

/** An update never touches Status (operations.md). */
export function updateValues(ticket: Ticket): Values<IncidentField> {
  return incidentContent(ticket);
}

export function resolveValues(ticket: Ticket): Values<IncidentField> {
  return { ...incidentContent(ticket), Status: 'Resolved' };
}

/** The OT number, with the ticket's content: a newer version waiting is applied in passing. */
export function writeBackValues(ticket: Ticket, workOrder: string): Values<IncidentField> {
  return { ...incidentContent(ticket), WorkOrderNumber: workOrder };
}

export function noteValues(ids: CherwellIds, incidentRecId: string, text: string): Values<NoteField> {
  return { ParentRecID: incidentRecId, ParentTypeID: ids.incident.busObId, Details: text };
}

export function workOrderValues(
  ids: CherwellIds,
  incidentRecId: string,
  ticket: Ticket,
): Values<WorkOrderField> {
  return {
    ParentRecID: incidentRecId,
    ParentTypeID: ids.incident.busObId,
    Title: workOrderTitle(ticket),
    Details: ticket.details,
  };
}

/** A save request: a create without `target`, else an update of that record (recId preferred). */
export function saveRequest<F extends string>(
  busOb: BusOb<F>,
  values: Values<F>,
  target?: { recId?: string | undefined; publicId?: string | undefined },
): SaveRequest {
  const recId = target?.recId ?? '';
  const fields = (Object.entries(values) as Array<[F, string | undefined]>)
    .filter((entry): entry is [F, string] => entry[1] !== undefined)
    .map(([name, value]) => ({ dirty: true as const, fieldId: busOb.fieldIds[name], name, value }));
  return {
    busObId: busOb.busObId,
    busObRecId: recId,
    // Public ids can repeat: sent only when no record id is known.
    busObPublicId: recId === '' ? (target?.publicId ?? '') : '',
    persist: true,
    fields,
  };
}

/** A search row's value of a field (matched by id, else by name); undefined when empty. */
export function rowValue(row: SearchRow, fieldId: string, name: string): string | undefined {
  const field =
    row.fields.find(
      (f) => f.fieldId !== undefined && f.fieldId !== null && sameFieldId(f.fieldId, fieldId),
    ) ?? row.fields.find((f) => f.name === name);
  const value = field?.value ?? '';
  return value === '' ? undefined : value;
}

/** Cherwell answers field ids in the full `BO:..,FI:..` form or the `FI` part alone. */
export function sameFieldId(a: string, b: string): boolean {
  const short = (id: string) => (id.includes('FI:') ? id.slice(id.indexOf('FI:') + 3) : id).toLowerCase();
  return short(a) === short(b);
}

export function isOpenStatus(status: string | undefined): boolean {
  return !CLOSED_STATUSES.has((status ?? '').toLowerCase());
}

/** WMVersion as stored: a positive integer, else unknown. */
export function parseVersion(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
