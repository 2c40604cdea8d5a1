import type { HandlerContext } from '../common/route.ts';
import { INCIDENT, NOTE, OPEN_STATUSES, STATUSES, fieldByName, notePrefix, titleTicketId } from './busobs.ts';
import type { BusObDef } from './busobs.ts';
import type { CherwellRecord, CherwellStore } from './store.ts';

export interface FieldValidationError {
  error: string;
  errorCode: string;
  fieldId: string;
}

const INTEGER_FIELDS = ['WMVersion', 'AlarmCount'];
const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/** Cherwell validates the whole record as it would be saved: required fields and value lists. */
export function validateRecord(
  def: BusObDef,
  merged: Record<string, string>,
  store: CherwellStore,
): FieldValidationError[] {
  const errors: FieldValidationError[] = [];
  const fail = (name: string, error: string, errorCode: string): void => {
    errors.push({ error, errorCode, fieldId: fieldByName(def, name)?.shortId ?? name });
  };
  for (const name of store.required.get(def.name) ?? []) {
    if ((merged[name] ?? '').trim() === '') fail(name, `${name} is required`, 'REQUIRED');
  }
  if (
    def.name !== NOTE &&
    merged.Status !== undefined &&
    !STATUSES.some((s) => lower(s) === lower(merged.Status))
  ) {
    fail('Status', `${merged.Status} is not a valid Status`, 'INVALIDVALUE');
  }
  if (def.name === INCIDENT) {
    const priority = merged.Priority;
    if (priority !== undefined && priority !== '' && !/^[1-5]$/.test(priority))
      fail('Priority', `${priority} is not a valid Priority`, 'INVALIDVALUE');
    for (const name of INTEGER_FIELDS) {
      const value = merged[name];
      if (value !== undefined && value !== '' && !/^\d+$/.test(value))
        fail(name, `${name} must be a whole number`, 'INVALIDVALUE');
    }
  }
  return errors;
}

export const isOpen = (record: CherwellRecord): boolean =>
  OPEN_STATUSES.some((s) => lower(s) === lower(record.fields.Status));

/** Violations of creating an incident with these values, seen before it is saved. */
export function checkIncidentCreate(
  values: Record<string, string>,
  store: CherwellStore,
  ctx: HandlerContext,
): void {
  const wm = values.WMTicketID ?? '';
  const incidents = store.records(INCIDENT);
  if (wm !== '') {
    const own = incidents.find((r) => r.fields.WMTicketID === wm);
    const notedInto = own ? undefined : notedIncident(wm, store);
    if (own)
      ctx.violation('duplicate-ticket', `second incident for ${wm} (incident ${own.busObPublicId} exists)`);
    else if (notedInto)
      ctx.violation(
        'duplicate-ticket',
        `incident for ${wm}, already noted into incident ${notedInto.busObPublicId}`,
      );
  }
  const status = values.Status ?? 'New';
  const entity = lower(values.NetworkEntity);
  const alarm = lower(values.AlarmType);
  if (!OPEN_STATUSES.some((s) => lower(s) === lower(status)) || entity === '' || alarm === '') return;
  const open = incidents.find(
    (r) => isOpen(r) && lower(r.fields.NetworkEntity) === entity && lower(r.fields.AlarmType) === alarm,
  );
  if (open) {
    ctx.violation(
      'second-open-ticket',
      `open incident for ${values.NetworkEntity} / ${values.AlarmType} (${wm}) while incident ${open.busObPublicId} is open`,
    );
  }
}

/** The incident a WM ticket was noted into, when that incident belongs to another WM ticket. */
function notedIncident(wm: string, store: CherwellStore): CherwellRecord | undefined {
  for (const note of store.records(NOTE)) {
    if (notePrefix(note.fields.Details ?? '')?.ticketId !== wm) continue;
    const parent = store.find(INCIDENT, note.fields.ParentRecID ?? '', '');
    if (parent && parent.fields.WMTicketID !== wm) return parent;
  }
  return undefined;
}

export function checkIncidentUpdate(
  record: CherwellRecord,
  values: Record<string, string>,
  ctx: HandlerContext,
): void {
  const next = values.WMVersion;
  const stored = record.fields.WMVersion;
  if (next === undefined || stored === undefined || next === '' || stored === '') return;
  if (Number(next) < Number(stored)) {
    ctx.violation(
      'version-regression',
      `incident ${record.busObPublicId} (${record.fields.WMTicketID ?? '?'}): WMVersion ${next} written over ${stored}`,
    );
  }
}

/** Notes and work orders hang off an incident; the texts name their WM ticket. */
export function checkChild(
  kind: 'note' | 'workOrder',
  values: Record<string, string>,
  parent: CherwellRecord,
  store: CherwellStore,
  ctx: HandlerContext,
): void {
  const incidentBusObId = store.def(INCIDENT).busObId;
  if (lower(values.ParentTypeID) !== incidentBusObId) {
    ctx.violation(
      'bad-request',
      `${kind} with ParentTypeID ${values.ParentTypeID ?? '(none)'} (Incident is ${incidentBusObId})`,
    );
  }
  const siblings = store
    .records(kind === 'note' ? NOTE : 'Work Order')
    .filter((r) => lower(r.fields.ParentRecID) === parent.busObRecId);
  if (kind === 'note') {
    const prefix = notePrefix(values.Details ?? '');
    if (!prefix)
      ctx.violation(
        'bad-request',
        `note on incident ${parent.busObPublicId} whose Details do not start with [WM <id> v<version>]`,
      );
    else if (siblings.some((n) => notePrefix(n.fields.Details ?? '')?.prefix === prefix.prefix)) {
      ctx.violation('duplicate-note', `note ${prefix.prefix} twice on incident ${parent.busObPublicId}`);
    }
    return;
  }
  if (titleTicketId(values.Title ?? '') === null) {
    ctx.violation(
      'bad-request',
      `work order on incident ${parent.busObPublicId} whose Title does not start with [WM <id>]`,
    );
  }
  if (siblings.length > 0) {
    ctx.violation(
      'duplicate-work-order',
      `second work order for incident ${parent.busObPublicId} (${siblings[0]?.busObPublicId} exists)`,
    );
  }
}
