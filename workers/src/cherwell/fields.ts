import { readFile } from 'node:fs/promises';
import type { CherwellConfig } from '@tbe/shared';
import { z } from 'zod';
import type { CherwellClient } from './client.ts';
import { resolveBusOb, type BusObResolution } from './resolve.ts';

// The fields Ticketing BE writes and reads, by business object (cherwell.md).
export const INCIDENT_FIELDS = [
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
] as const;
export const NOTE_FIELDS = ['ParentRecID', 'ParentTypeID', 'Details'] as const;
export const WORK_ORDER_FIELDS = ['ParentRecID', 'ParentTypeID', 'Title', 'Details'] as const;

export type IncidentField = (typeof INCIDENT_FIELDS)[number];
export type NoteField = (typeof NOTE_FIELDS)[number];
export type WorkOrderField = (typeof WORK_ORDER_FIELDS)[number];

/** A business object as Ticketing BE addresses it: its id and the ids of its fields. */
export interface BusOb<F extends string> {
  name: string;
  busObId: string;
  fieldIds: Record<F, string>;
  /** How the busObId was found (for `tbe check` and the start-up log). */
  resolution: BusObResolution;
  /** Where the field ids came from. */
  fieldSource: 'template' | 'CHERWELL_FIELD_MAP';
}

export interface CherwellIds {
  incident: BusOb<IncidentField>;
  note: BusOb<NoteField>;
  workOrder: BusOb<WorkOrderField>;
}

export type BusObRole = keyof CherwellIds;

/** Per role: the default name and the setting that names it. */
export const BUSOB_ROLES: Record<BusObRole, { defaultName: string; variable: string }> = {
  incident: { defaultName: 'Incident', variable: 'CHERWELL_INCIDENT_BUSOB' },
  note: { defaultName: 'Journal - Note', variable: 'CHERWELL_NOTE_BUSOB' },
  workOrder: { defaultName: 'Work Order', variable: 'CHERWELL_WORKORDER_BUSOB' },
};

const fieldMapSchema = z.record(z.string(), z.record(z.string(), z.string().min(1)));
type FieldMap = z.infer<typeof fieldMapSchema>;

/**
 * Resolves, once, the business object ids (by name unless configured as ids; see resolve.ts)
 * and the field ids (from `CHERWELL_FIELD_MAP` when it lists the business object, else from
 * its template, each `fieldId` kept exactly as the template gives it).
 */
export async function resolveIds(client: CherwellClient, config: CherwellConfig): Promise<CherwellIds> {
  const map = config.fieldMapFile === undefined ? undefined : await readFieldMap(config.fieldMapFile);
  const one = async <F extends string>(role: BusObRole, names: readonly F[]): Promise<BusOb<F>> => {
    const configured = config.busObs[role];
    const { defaultName, variable } = BUSOB_ROLES[role];
    const resolution = await resolveBusOb(client, configured, defaultName, variable);
    const { busObId } = resolution;
    const listed = map?.[configured] ?? map?.[defaultName];
    const byName = listed ?? fieldIdsByName(await client.template(busObId, names));
    return {
      name: configured,
      busObId,
      fieldIds: pick(
        byName,
        names,
        listed ? `${configured} in CHERWELL_FIELD_MAP` : `the template of ${configured}`,
      ),
      resolution,
      fieldSource: listed ? 'CHERWELL_FIELD_MAP' : 'template',
    };
  };
  return {
    incident: await one('incident', INCIDENT_FIELDS),
    note: await one('note', NOTE_FIELDS),
    workOrder: await one('workOrder', WORK_ORDER_FIELDS),
  };
}

function fieldIdsByName(template: {
  fields: Array<{ fieldId: string; name: string }>;
}): Record<string, string> {
  return Object.fromEntries(template.fields.map((field) => [field.name, field.fieldId]));
}

function pick<F extends string>(
  byName: Record<string, string>,
  names: readonly F[],
  source: string,
): Record<F, string> {
  const missing = names.filter((name) => byName[name] === undefined);
  if (missing.length > 0) throw new Error(`${source} lacks the fields ${missing.join(', ')}`);
  return Object.fromEntries(names.map((name) => [name, byName[name]])) as Record<F, string>;
}

async function readFieldMap(path: string): Promise<FieldMap> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`CHERWELL_FIELD_MAP ${path} cannot be read as JSON`, { cause: error });
  }
  const parsed = fieldMapSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `CHERWELL_FIELD_MAP ${path}: expected { "<business object>": { "<field>": "<fieldId>" } }`,
    );
  }
  return parsed.data;
}
