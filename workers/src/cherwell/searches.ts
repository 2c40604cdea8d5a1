import type { FoundTicket, NoteItem, OpenQuery, OpenTicket, TicketRef } from '../platform/adapter.ts';
import { noteTag } from '../flow/texts.ts';
import type { CherwellClient } from './client.ts';
import type { BusOb, CherwellIds } from './fields.ts';
import { OPEN_STATUSES, isOpenStatus, parseVersion, rowValue } from './mapper.ts';
import type { SearchFilter, SearchRow } from './schema.ts';

// Searches: filters on the same field are OR-ed, on different fields AND-ed (cherwell.md).
// Cherwell compares text ignoring case, so every match is checked exactly here.

const eq = (fieldId: string, values: Iterable<string>): SearchFilter[] =>
  [...new Set(values)].map((value) => ({ fieldId, operator: 'eq', value }));

const INCIDENT_READ = [
  'WMTicketID',
  'WMVersion',
  'WorkOrderNumber',
  'Status',
  'NetworkEntity',
  'AlarmType',
] as const;
type IncidentRead = (typeof INCIDENT_READ)[number];

function incidentSpec(incident: BusOb<IncidentRead>, filters: SearchFilter[]) {
  return { busObId: incident.busObId, filters, fields: INCIDENT_READ.map((name) => incident.fieldIds[name]) };
}

function read(incident: BusOb<IncidentRead>, row: SearchRow, name: IncidentRead): string | undefined {
  return rowValue(row, incident.fieldIds[name], name);
}

export async function findByWmIds(
  client: CherwellClient,
  ids: CherwellIds,
  wmTicketIds: readonly string[],
): Promise<Map<string, FoundTicket>> {
  const found = new Map<string, FoundTicket>();
  if (wmTicketIds.length === 0) return found;
  const { incident } = ids;
  const wanted = new Set(wmTicketIds);
  const rows = await client.search(
    'search',
    wanted.size,
    incidentSpec(incident, eq(incident.fieldIds.WMTicketID, wanted)),
  );
  for (const row of rows) {
    const wmTicketId = read(incident, row, 'WMTicketID');
    if (wmTicketId === undefined || !wanted.has(wmTicketId) || found.has(wmTicketId)) continue;
    found.set(wmTicketId, {
      id: row.busObPublicId,
      recId: row.busObRecId,
      wmTicketId,
      version: parseVersion(read(incident, row, 'WMVersion')),
      workOrder: read(incident, row, 'WorkOrderNumber'),
      open: isOpenStatus(read(incident, row, 'Status')),
    });
  }
  return found;
}

/** One search per alarm type: any of the entities, that alarm type, an open status. */
export async function findOpen(
  client: CherwellClient,
  ids: CherwellIds,
  queries: readonly OpenQuery[],
): Promise<OpenTicket[]> {
  const { incident } = ids;
  const wanted = new Set(queries.map((query) => pairKey(query.entity, query.alarmType)));
  const entities = new Set(queries.map((query) => query.entity));
  const alarmTypes = new Set(queries.map((query) => query.alarmType));
  // One search for the whole batch: filters on one field are OR-ed, on different fields AND-ed,
  // so it may return pairs nobody asked for (entity A with B's alarm type): kept out below.
  const filters = [
    ...eq(incident.fieldIds.NetworkEntity, entities),
    ...eq(incident.fieldIds.AlarmType, alarmTypes),
    ...eq(incident.fieldIds.Status, OPEN_STATUSES),
  ];
  const rows = await client.search('search', entities.size, incidentSpec(incident, filters));
  const open: OpenTicket[] = [];
  for (const row of rows) {
    const entity = read(incident, row, 'NetworkEntity');
    const alarmType = read(incident, row, 'AlarmType');
    if (entity === undefined || alarmType === undefined || !wanted.has(pairKey(entity, alarmType))) continue;
    if (open.some((ticket) => ticket.recId === row.busObRecId)) continue;
    open.push({
      id: row.busObPublicId,
      recId: row.busObRecId,
      entity,
      alarmType,
      wmTicketId: read(incident, row, 'WMTicketID'),
    });
  }
  return open;
}

const pairKey = (entity: string, alarmType: string): string => `${entity}\u0000${alarmType}`;

/** Work orders by their parent incident; keyed by the incident's `id`, valued by the OT number. */
export async function findWorkOrders(
  client: CherwellClient,
  ids: CherwellIds,
  refs: readonly TicketRef[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const byRecId = new Map(refs.flatMap((ref) => (ref.recId ? [[ref.recId, ref.id] as const] : [])));
  if (byRecId.size === 0) return found;
  const { workOrder } = ids;
  const filters = [
    ...eq(workOrder.fieldIds.ParentRecID, byRecId.keys()),
    ...eq(workOrder.fieldIds.ParentTypeID, [ids.incident.busObId]),
  ];
  const spec = { busObId: workOrder.busObId, filters, fields: [workOrder.fieldIds.ParentRecID] };
  for (const row of await client.search('search', byRecId.size, spec)) {
    const parent = rowValue(row, workOrder.fieldIds.ParentRecID, 'ParentRecID');
    const id = parent === undefined ? undefined : byRecId.get(parent);
    if (id !== undefined && !found.has(id) && row.busObPublicId !== '') found.set(id, row.busObPublicId);
  }
  return found;
}

/**
 * Which of these notes are already on their incident (cherwell.md: a note whose save answer was
 * lost is looked up before it is saved again). One search for the batch: ParentRecID any of the
 * hosts AND Details starting with any of the `[WM <id> v<version>]` tags; filters on one field
 * are OR-ed, so pairs nobody asked for may come back, and are kept out here (exactly, case
 * and all). Answers the indexes of the items found.
 */
export async function findNotes(
  client: CherwellClient,
  ids: CherwellIds,
  items: readonly NoteItem[],
): Promise<Set<number>> {
  const found = new Set<number>();
  const asked = items.flatMap((item, index) =>
    item.host.recId ? [{ index, recId: item.host.recId, tag: noteTag(item.ticket) }] : [],
  );
  if (asked.length === 0) return found;
  const { note } = ids;
  const filters: SearchFilter[] = [
    ...eq(
      note.fieldIds.ParentRecID,
      asked.map((a) => a.recId),
    ),
    ...[...new Set(asked.map((a) => a.tag))].map((tag) => ({
      fieldId: note.fieldIds.Details,
      operator: 'startswith' as const,
      value: tag,
    })),
  ];
  const spec = { busObId: note.busObId, filters, fields: [note.fieldIds.ParentRecID, note.fieldIds.Details] };
  const rows = await client.search('search', new Set(asked.map((a) => a.recId)).size, spec);
  for (const row of rows) {
    const parent = (rowValue(row, note.fieldIds.ParentRecID, 'ParentRecID') ?? '').toLowerCase();
    const details = rowValue(row, note.fieldIds.Details, 'Details') ?? '';
    for (const a of asked)
      if (a.recId.toLowerCase() === parent && details.startsWith(a.tag)) found.add(a.index);
  }
  return found;
}
