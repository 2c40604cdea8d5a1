import { randomUUID } from 'node:crypto';
import type { CherwellConfig, SfycConfig, Ticket } from '@tbe/shared';
import { aTicket } from '@tbe/shared/testing';
import type { CherwellSimulator, RecordedRequest, SfycSimulator } from '@tbe/simulators';
import type { ItemResult, RequestRecord } from '@tbe/workers/platform/adapter';

/** A WM ticket with a unique id and entity (so that tests never meet each other's open tickets). */
export function wmTicket(overrides: Partial<Ticket> = {}): Ticket {
  const tag = randomUUID().slice(0, 8);
  return aTicket({
    id: `WM-${tag}`,
    entity: `GDL-NODO-${tag}/US-3`,
    summary: `SNR degradation ${tag}`,
    details: 'SNR 18 dB on upstream 3',
    ...overrides,
  });
}

export function cherwellConfig(
  sim: CherwellSimulator,
  overrides: Partial<CherwellConfig> = {},
): CherwellConfig {
  const credentials = sim.credentials();
  return {
    url: sim.url,
    clientId: credentials.clientId,
    username: credentials.username,
    password: credentials.password,
    authMode: credentials.authMode,
    busObs: { incident: 'Incident', note: 'Journal - Note', workOrder: 'Work Order' },
    fieldMapFile: undefined,
    requestTimeoutMs: 2000,
    ...overrides,
  };
}

export function sfycConfig(sim: SfycSimulator, overrides: Partial<SfycConfig> = {}): SfycConfig {
  const credentials = sim.credentials();
  return {
    url: sim.url,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    requestTimeoutMs: 2000,
    ...overrides,
  };
}

/** The requests the simulator saw to a path (relative to the device address, case ignored). */
export function requestsTo(sim: { requests: readonly RecordedRequest[] }, path: string): RecordedRequest[] {
  return sim.requests.filter((r) => r.path.toLowerCase() === path.toLowerCase());
}

/** What an observer saw, and the observer. */
export function recorder(): { records: RequestRecord[]; observer: (record: RequestRecord) => void } {
  const records: RequestRecord[] = [];
  return { records, observer: (record) => records.push(record) };
}

/** A settled promise's rejection, to assert on without try/catch. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, got success');
}

/** A manually advanced clock shared by a simulator and an adapter: token expiry without sleeping. */
export function manualClock(startMs = Date.now()): { now: () => number; advance: (ms: number) => void } {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms) => (nowMs += ms) };
}

/** The value of a successful item result; fails the test otherwise. */
export function okValue<T>(result: ItemResult<T> | undefined): T {
  if (!result?.ok) throw new Error(`expected success, got ${result ? result.error.message : 'nothing'}`);
  return result.value;
}
