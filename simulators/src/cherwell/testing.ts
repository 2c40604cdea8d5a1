/** Test helpers for the Cherwell simulator's own tests: a minimal, literal client. */
import { bearer, call, form } from '../common/testing.ts';
import type { JsonAnswer } from '../common/testing.ts';
import type { BusObName } from './busobs.ts';
import type { CherwellSimulator } from './server.ts';

export interface TokenBody {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  '.issued': string;
  '.expires': string;
  error?: string;
}

export interface SaveAnswer {
  responses: Array<{
    busObPublicId: string | null;
    busObRecId: string | null;
    hasError: boolean;
    errorCode: string | null;
    fieldValidationErrors: unknown[];
  }>;
}

export interface SearchAnswer {
  businessObjects: Array<{
    busObRecId: string;
    busObPublicId: string;
    fields: Array<{ name: string; value: string }>;
  }>;
  totalRows: number;
}

export function passwordGrant(
  sim: CherwellSimulator,
  overrides: Record<string, string> = {},
  authMode = 'Internal',
) {
  const c = sim.credentials();
  return call<TokenBody>(
    `${sim.url}/token?auth_mode=${authMode}`,
    form({
      grant_type: 'password',
      client_id: c.clientId,
      username: c.username,
      password: c.password,
      ...overrides,
    }),
  );
}

export function refreshGrant(sim: CherwellSimulator, refreshToken: string) {
  return call<TokenBody>(
    `${sim.url}/token?auth_mode=Internal`,
    form({ grant_type: 'refresh_token', client_id: sim.credentials().clientId, refresh_token: refreshToken }),
  );
}

export async function login(sim: CherwellSimulator): Promise<string> {
  return (await passwordGrant(sim)).body.access_token;
}

export function post<T>(
  sim: CherwellSimulator,
  token: string,
  path: string,
  json: unknown,
): Promise<JsonAnswer<T>> {
  return call<T>(`${sim.url}/api/V1/${path}`, { method: 'POST', json, headers: bearer(token) });
}

/** A save request writing fields by name (dirty, string values), create unless ids are given. */
export function entry(
  sim: CherwellSimulator,
  busOb: BusObName,
  fields: Record<string, string>,
  ids: { busObRecId?: string; busObPublicId?: string } = {},
) {
  const fieldIds = sim.fieldIds(busOb);
  const busObId =
    busOb === 'Incident'
      ? sim.busObIds().incident
      : busOb === 'Work Order'
        ? sim.busObIds().workOrder
        : sim.busObIds().note;
  return {
    busObId,
    busObRecId: ids.busObRecId ?? '',
    busObPublicId: ids.busObPublicId ?? '',
    persist: true,
    fields: Object.entries(fields).map(([name, value]) => ({
      dirty: true,
      fieldId: fieldIds[name] ?? `unknown:${name}`,
      name,
      value,
    })),
  };
}

export function save(sim: CherwellSimulator, token: string, entries: unknown[]) {
  return post<SaveAnswer>(sim, token, 'savebusinessobjectbatch', {
    saveRequests: entries,
    stopOnError: false,
  });
}

export function incident(wmId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WMTicketID: wmId,
    WMVersion: '1',
    ShortDescription: `SNR degradation ${wmId}`,
    Description: 'details',
    Priority: '1',
    Status: 'New',
    NetworkEntity: `GDL-NODO-${wmId}/US-3`,
    EntityType: 'US Service Group',
    AlarmType: 'SNR',
    AlarmCount: '17',
    ...extra,
  };
}

export function noteFor(sim: CherwellSimulator, parentRecId: string, wmId: string, version: number) {
  return entry(sim, 'Journal - Note', {
    ParentRecID: parentRecId,
    ParentTypeID: sim.busObIds().incident,
    Details: `[WM ${wmId} v${version}] summary\ndetails`,
  });
}

export function workOrderFor(sim: CherwellSimulator, parentRecId: string, wmId: string) {
  return entry(sim, 'Work Order', {
    ParentRecID: parentRecId,
    ParentTypeID: sim.busObIds().incident,
    Title: `[WM ${wmId}] summary`,
    Details: 'details',
  });
}

/** Search filters by field name. */
export function search(
  sim: CherwellSimulator,
  token: string,
  busOb: BusObName,
  filters: Array<[string, string, string]>,
  extra: Record<string, unknown> = {},
) {
  const ids = sim.fieldIds(busOb);
  const busObId =
    busOb === 'Incident'
      ? sim.busObIds().incident
      : busOb === 'Work Order'
        ? sim.busObIds().workOrder
        : sim.busObIds().note;
  return post<SearchAnswer>(sim, token, 'getsearchresults', {
    busObId,
    filters: filters.map(([name, operator, value]) => ({ fieldId: ids[name] ?? name, operator, value })),
    fields: [ids.WMTicketID, ids.Status, ids.ParentRecID].filter((x) => x !== undefined),
    includeAllFields: false,
    pageNumber: 1,
    pageSize: 200,
    ...extra,
  });
}
