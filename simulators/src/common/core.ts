import { Capacity } from './capacity.ts';
import { FaultInjector } from './faults.ts';
import { InFlight } from './inflight.ts';
import type { RecordedRequest, ViolationKind } from './types.ts';
import { ViolationLog } from './violations.ts';

export interface CoreOptions {
  /** The simulator's view of the product's `maxTicketsPerRequest`. */
  maxTicketsPerRequest: number;
  latencyMs?: number;
  /** Clock in epoch ms; tests pass a fake one to expire tokens without sleeping. */
  now?: () => number;
  /** For fault shares; tests may pass a seeded one. */
  random?: () => number;
  /** Oldest recorded requests are dropped past this many. */
  maxRecordedRequests?: number;
}

/** What every simulator has in common: recording, violations, faults, settings. */
export class SimCore {
  readonly requests: RecordedRequest[] = [];
  readonly violations: ViolationLog;
  readonly faults: FaultInjector;
  readonly inFlight = new InFlight();
  /** The platform's capacity and the load it sees (API requests only). */
  readonly capacity = new Capacity();
  readonly now: () => number;
  maxTicketsPerRequest: number;
  latencyMs: number;
  readonly #defaults: { maxTicketsPerRequest: number; latencyMs: number };
  readonly #maxRecorded: number;
  #nextRequestId = 1;

  constructor(options: CoreOptions) {
    this.now = options.now ?? Date.now;
    this.violations = new ViolationLog(this.now);
    this.faults = new FaultInjector(options.random ?? Math.random);
    this.maxTicketsPerRequest = options.maxTicketsPerRequest;
    this.latencyMs = options.latencyMs ?? 0;
    this.#defaults = { maxTicketsPerRequest: this.maxTicketsPerRequest, latencyMs: this.latencyMs };
    this.#maxRecorded = options.maxRecordedRequests ?? 10_000;
  }

  record(entry: Pick<RecordedRequest, 'method' | 'path' | 'query' | 'body' | 'ticketIds'>): RecordedRequest {
    const record: RecordedRequest = {
      id: this.#nextRequestId++,
      ...entry,
      status: null,
      outcome: 'pending',
      startedAt: this.now(),
      endedAt: null,
      faults: [],
    };
    this.requests.push(record);
    if (this.requests.length > this.#maxRecorded) this.requests.shift();
    return record;
  }

  violation(kind: ViolationKind, detail: string, requestId: number | null = null): void {
    this.violations.add(kind, detail, requestId);
  }

  /** Records `batch-too-large` when a request names more tickets than the product may send. */
  checkBatchSize(count: number, what: string, requestId: number | null): void {
    if (count > this.maxTicketsPerRequest) {
      this.violation(
        'batch-too-large',
        `${what} named ${count} tickets (maxTicketsPerRequest ${this.maxTicketsPerRequest})`,
        requestId,
      );
    }
  }

  setSettings(settings: { maxTicketsPerRequest?: number | undefined; latencyMs?: number | undefined }): void {
    if (settings.maxTicketsPerRequest !== undefined)
      this.maxTicketsPerRequest = settings.maxTicketsPerRequest;
    if (settings.latencyMs !== undefined) this.latencyMs = settings.latencyMs;
  }

  /** Back to the state at start: no requests, violations or faults, settings as configured. */
  reset(): void {
    this.requests.length = 0;
    this.violations.clear();
    this.faults.clear();
    this.inFlight.clear();
    this.capacity.reset();
    this.maxTicketsPerRequest = this.#defaults.maxTicketsPerRequest;
    this.latencyMs = this.#defaults.latencyMs;
  }
}
