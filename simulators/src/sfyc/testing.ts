/** Test helpers for the SFyC simulator's own tests: a minimal, literal client. */
import { bearer, call, form } from '../common/testing.ts';
import type { SfycSimulator } from './server.ts';

export interface Result {
  success: boolean;
  id?: string;
  created?: boolean;
  stale?: boolean;
  workOrder?: string;
  errors?: Array<{ code: string; field?: string; retryable: boolean }>;
}

export interface SearchPage {
  items: Array<{
    id: string;
    externalId: string;
    entity: string;
    alarmType: string;
    status: string;
    version: number;
    workOrder: string | null;
  }>;
  next: string | null;
}

export function tokenRequest(sim: SfycSimulator, overrides: Record<string, string> = {}) {
  const c = sim.credentials();
  return call<{ access_token: string; token_type: string; expires_in: number; error?: string }>(
    `${sim.url}/oauth/token`,
    form({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      ...overrides,
    }),
  );
}

export async function login(sim: SfycSimulator): Promise<string> {
  return (await tokenRequest(sim)).body.access_token;
}

export function post<T>(sim: SfycSimulator, token: string, path: string, json: unknown) {
  return call<T>(`${sim.url}${path}`, { method: 'POST', json, headers: bearer(token) });
}

export function batch(sim: SfycSimulator, token: string, operations: unknown[], allOrNone = false) {
  return post<{ results: Result[] }>(sim, token, '/v1/tickets/batch', { allOrNone, operations });
}

export function upsert(externalId: string, version = 1, fields: Record<string, unknown> = {}) {
  return {
    op: 'upsert',
    externalId,
    version,
    fields: {
      summary: `SNR degradation ${externalId}`,
      details: 'details',
      priority: 1,
      status: 'open',
      entity: `E-${externalId}`,
      entityType: 'US Service Group',
      alarmType: 'SNR',
      alarmCount: 17,
      region: 'Occidente',
      branchId: 'GDL-01',
      ...fields,
    },
  };
}

export const note = (id: string, externalId: string, version: number) => ({
  op: 'note',
  id,
  externalId,
  text: `[WM ${externalId} v${version}] summary`,
});

export const resolve = (externalId: string, version: number) => ({ op: 'resolve', externalId, version });

export function orders(
  sim: SfycSimulator,
  token: string,
  list: Array<{ ticketId: string; externalId: string }>,
) {
  return post<{ results: Result[] }>(sim, token, '/v1/work-orders/batch', {
    orders: list.map((o) => ({ ...o, title: `[WM ${o.externalId}] summary`, details: 'details' })),
  });
}

export function search(sim: SfycSimulator, token: string, query: Record<string, unknown>) {
  return post<SearchPage>(sim, token, '/v1/tickets/search', query);
}
