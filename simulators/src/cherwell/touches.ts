import { INCIDENT, NOTE, WORK_ORDER, fieldByName, findField, notePrefix, titleTicketId } from './busobs.ts';
import type { BusObDef } from './busobs.ts';
import type { CherwellStore } from './store.ts';

// Which WM tickets a request touches, read leniently from unvalidated bodies: for overlap
// detection, fault rules and per-item errors. A note for WM-2 on WM-1's incident touches WM-2.

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The value a save entry writes to a field, by field name. */
function written(def: BusObDef, fields: unknown, name: string): string | undefined {
  const target = fieldByName(def, name);
  if (!target || !Array.isArray(fields)) return undefined;
  for (const f of fields) {
    if (isObject(f) && findField(def, str(f.fieldId)) === target && typeof f.value === 'string')
      return f.value;
  }
  return undefined;
}

export function saveEntryTicketIds(entry: unknown, store: CherwellStore): string[] {
  if (!isObject(entry)) return [];
  const def = store.defById(str(entry.busObId));
  if (!def) return [];
  const recId = str(entry.busObRecId);
  const publicId = str(entry.busObPublicId);
  const existing = recId || publicId ? store.find(def.name, recId, publicId) : undefined;
  const value = (name: string): string => written(def, entry.fields, name) ?? existing?.fields[name] ?? '';
  let id: string | null = null;
  if (def.name === INCIDENT) id = value('WMTicketID') || null;
  if (def.name === NOTE) id = notePrefix(value('Details'))?.ticketId ?? null;
  if (def.name === WORK_ORDER) {
    id =
      titleTicketId(value('Title')) ??
      store.find(INCIDENT, value('ParentRecID'), '')?.fields.WMTicketID ??
      null;
  }
  return id ? [id] : [];
}

export function saveBatchTicketIds(body: unknown, store: CherwellStore): string[] {
  if (!isObject(body) || !Array.isArray(body.saveRequests)) return [];
  return body.saveRequests.flatMap((entry) => saveEntryTicketIds(entry, store));
}

/** Filter values per field name of a search (for touches and batch size). */
export function searchFilterValues(
  body: unknown,
  store: CherwellStore,
): { def: BusObDef; byField: Map<string, string[]> } | null {
  if (!isObject(body) || !Array.isArray(body.filters)) return null;
  const def = store.defById(str(body.busObId));
  if (!def) return null;
  const byField = new Map<string, string[]>();
  for (const filter of body.filters) {
    if (!isObject(filter)) continue;
    const field = findField(def, str(filter.fieldId));
    if (field) byField.set(field.name, [...(byField.get(field.name) ?? []), str(filter.value)]);
  }
  return { def, byField };
}

/** A search by WM ids touches those ids; a work-order search by parent touches the parent's WM id. */
export function searchTicketIds(body: unknown, store: CherwellStore): string[] {
  const found = searchFilterValues(body, store);
  if (!found) return [];
  const ids = found.def.name === INCIDENT ? [...(found.byField.get('WMTicketID') ?? [])] : [];
  if (found.def.name === WORK_ORDER) {
    for (const recId of found.byField.get('ParentRecID') ?? []) {
      const wm = store.find(INCIDENT, recId, '')?.fields.WMTicketID;
      if (wm) ids.push(wm);
    }
  }
  return ids;
}
