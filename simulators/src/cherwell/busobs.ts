import { createHash } from 'node:crypto';

export const INCIDENT = 'Incident';
export const NOTE = 'Journal - Note';
export const WORK_ORDER = 'Work Order';
export type BusObName = typeof INCIDENT | typeof NOTE | typeof WORK_ORDER;

export const STATUSES = ['New', 'Assigned', 'In Progress', 'Resolved'] as const;
export const OPEN_STATUSES: readonly string[] = ['New', 'Assigned', 'In Progress'];

export interface FieldDef {
  name: string;
  displayName: string;
  /** Full field id as templates give it: `BO:<busObId>,FI:<hex>`. */
  fieldId: string;
  /** The `FI` part alone: Cherwell accepts either form. */
  shortId: string;
  /** Set by the server; what clients write there is ignored. */
  system: boolean;
}

export interface BusObDef {
  name: BusObName;
  displayName: string;
  busObId: string;
  /** The group it is a member of (real sites answer it only inside its group's summary). */
  group: string | null;
  /** Field holding the public id (`IncidentID`, `WorkOrderID`, `RecID` for notes). */
  publicIdField: string;
  fields: FieldDef[];
}

/**
 * Groups as real sites have them: Journal - Note is a member of Journal and is found only in
 * `busobname/Journal` -> `groupSummaries` (cherwell.md). The other members are never written.
 */
export const GROUPS: Record<string, string[]> = {
  Journal: [NOTE, 'Journal - Mail History', 'Journal - History'],
};

export function groupOf(name: string): string | null {
  return Object.entries(GROUPS).find(([, members]) => members.includes(name))?.[0] ?? null;
}

const SYSTEM = ['RecID', 'CreatedDateTime', 'LastModifiedDateTime'];
const FIELDS: Record<BusObName, { publicId: string; fields: string[] }> = {
  [INCIDENT]: {
    publicId: 'IncidentID',
    fields: [
      'IncidentID',
      'WMTicketID',
      'WMVersion',
      'ShortDescription',
      'Description',
      'Priority',
      'Status',
      'NetworkEntity',
      'EntityType',
      'AlarmType',
      'AlarmCount',
      'Region',
      'Branch',
      'WorkOrderNumber',
    ],
  },
  [NOTE]: { publicId: 'RecID', fields: ['ParentRecID', 'ParentTypeID', 'Details'] },
  [WORK_ORDER]: {
    publicId: 'WorkOrderID',
    fields: ['WorkOrderID', 'ParentRecID', 'ParentTypeID', 'Title', 'Details', 'Status'],
  },
};

/** Stable hex ids: the same name gives the same id in every run, as in one Cherwell site. */
export const hex = (text: string): string => createHash('md5').update(text).digest('hex');

/** The three business objects, with any extra (site-required) fields added. */
export function buildBusObs(extraFields: Partial<Record<BusObName, string[]>> = {}): BusObDef[] {
  return (Object.keys(FIELDS) as BusObName[]).map((name) => {
    const busObId = hex(`busob:${name}`);
    const names = [...new Set([...SYSTEM, ...FIELDS[name].fields, ...(extraFields[name] ?? [])])];
    return {
      name,
      displayName: name,
      busObId,
      group: groupOf(name),
      publicIdField: FIELDS[name].publicId,
      fields: names.map((field) => makeField(name, busObId, field)),
    };
  });
}

function makeField(busOb: BusObName, busObId: string, name: string): FieldDef {
  const shortId = hex(`field:${busOb}:${name}`);
  return {
    name,
    displayName: name.replace(/([a-z])([A-Z])/g, '$1 $2'),
    fieldId: `BO:${busObId},FI:${shortId}`,
    shortId,
    system: SYSTEM.includes(name) || name === FIELDS[busOb].publicId,
  };
}

/** A site's own field (a required one that Ticketing BE does not map); same id every time. */
export function ensureField(def: BusObDef, name: string): void {
  if (!fieldByName(def, name)) def.fields.push(makeField(def.name, def.busObId, name));
}

export function findField(def: BusObDef, fieldId: string): FieldDef | undefined {
  const id = fieldId.toLowerCase();
  return def.fields.find((f) => f.fieldId.toLowerCase() === id || f.shortId === id);
}

export function fieldByName(def: BusObDef, name: string): FieldDef | undefined {
  return def.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

/** `[WM <id> v<version>]` at the start of a note's Details. */
export function notePrefix(details: string): { ticketId: string; version: number; prefix: string } | null {
  const match = /^\[WM ([A-Za-z0-9._:-]{1,64}) v(\d+)\]/.exec(details);
  if (!match?.[1] || !match[2]) return null;
  return { ticketId: match[1], version: Number(match[2]), prefix: match[0] };
}

/** `[WM <id>]` at the start of a work order's Title. */
export function titleTicketId(title: string): string | null {
  return /^\[WM ([A-Za-z0-9._:-]{1,64})\]/.exec(title)?.[1] ?? null;
}
