import type { RecordedRequest, SimulatorBase } from '@tbe/simulators';
import type { Classified, RequestKind } from '../measure/requests.ts';

export interface KindTally {
  requests: number;
  named: number;
  max: number;
  /** Sum of the requests' durations (ms): over a window, busyMs / window = requests in flight on average. */
  busyMs: number;
}

export type Tallies = Map<string, KindTally>;

/** Called once per finished request, in the order the simulator recorded them. */
export type RecordListener = (source: string, classified: Classified, record: RecordedRequest) => void;

interface Source {
  name: string;
  sim: SimulatorBase;
  classify: (record: RecordedRequest) => Classified;
}

/**
 * Counts every request the simulators answered, by `<simulator>:<kind>`, and hands each one to
 * listeners (reports received, versions delivered). It takes finished records out of the
 * simulator's live `requests` array: the simulators keep up to 10,000 of them with their bodies
 * (a Cherwell save of 50 tickets is ~75 KB), which would weigh on this process's heap, and
 * would drop the oldest past 10,000 before a slow poll saw them. Requests still in flight stay.
 */
export class RequestLog {
  readonly #sources: Source[] = [];
  readonly #listeners: RecordListener[] = [];
  readonly #tallies: Tallies = new Map();
  #timer: NodeJS.Timeout | undefined;

  add(name: string, sim: SimulatorBase, classify: (record: RecordedRequest) => Classified): void {
    this.#sources.push({ name, sim, classify });
  }

  listen(listener: RecordListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  start(everyMs = 25): void {
    this.stop();
    this.#timer = setInterval(() => this.collect(), everyMs);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Takes every finished request out of the simulators now. */
  collect(): void {
    for (const source of this.#sources) {
      // The simulator's array is typed read-only for its users; emptying it is the point here.
      const live = source.sim.requests as RecordedRequest[];
      if (live.length === 0) continue;
      const finished = live.filter((record) => record.outcome !== 'pending');
      if (finished.length === 0) continue;
      const pending = live.filter((record) => record.outcome === 'pending');
      live.length = 0;
      live.push(...pending);
      for (const record of finished) this.#count(source, record);
    }
  }

  /** A copy of the counts so far (take one before and one after a measured window). */
  snapshot(): Tallies {
    return new Map([...this.#tallies].map(([key, tally]) => [key, { ...tally }]));
  }

  #count(source: Source, record: RecordedRequest): void {
    const classified = source.classify(record);
    const key = `${source.name}:${classified.kind}`;
    const tally = this.#tallies.get(key) ?? { requests: 0, named: 0, max: classified.max, busyMs: 0 };
    tally.requests += 1;
    tally.named += classified.named;
    tally.busyMs += (record.endedAt ?? record.startedAt) - record.startedAt;
    this.#tallies.set(key, tally);
    for (const listener of this.#listeners) listener(source.name, classified, record);
  }
}

/** Counts between two snapshots. */
export function tallyDelta(before: Tallies, after: Tallies): Tallies {
  const delta: Tallies = new Map();
  for (const [key, tally] of after) {
    const old = before.get(key);
    const requests = tally.requests - (old?.requests ?? 0);
    if (requests > 0)
      delta.set(key, {
        requests,
        named: tally.named - (old?.named ?? 0),
        max: tally.max,
        busyMs: tally.busyMs - (old?.busyMs ?? 0),
      });
  }
  return delta;
}

/** Requests that name tickets (everything but token, set-up and WM polls). */
export const TICKET_KINDS: ReadonlySet<RequestKind> = new Set([
  'status',
  'lookup',
  'open-search',
  'wo-search',
  'create',
  'note',
  'workOrder',
  'writeBack',
  'update',
  'resolve',
]);

export function kindOf(key: string): RequestKind {
  return key.slice(key.indexOf(':') + 1) as RequestKind;
}

/** Platform requests in flight on average over `windowMs` (WM left out). */
export function meanInFlight(tallies: Tallies, windowMs: number): number {
  let busy = 0;
  for (const [key, tally] of tallies) if (!key.startsWith('wm:')) busy += tally.busyMs;
  return busy / windowMs;
}

/** Counts of several windows added up. */
export function mergeTallies(list: readonly Tallies[]): Tallies {
  const merged: Tallies = new Map();
  for (const tallies of list) {
    for (const [key, t] of tallies) {
      const sum = merged.get(key);
      merged.set(
        key,
        sum
          ? {
              ...sum,
              requests: sum.requests + t.requests,
              named: sum.named + t.named,
              busyMs: sum.busyMs + t.busyMs,
            }
          : { ...t },
      );
    }
  }
  return merged;
}
