/** The contract violations a simulator can see from its side of the wire. */
export const VIOLATION_KINDS = [
  'batch-too-large',
  'invalid-token',
  'version-regression',
  'duplicate-ticket',
  'second-open-ticket',
  'duplicate-work-order',
  'duplicate-note',
  'overlapping-requests',
  'bad-request',
] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

export interface Violation {
  kind: ViolationKind;
  /** ISO-8601 time the simulator saw it. */
  at: string;
  detail: string;
  /** The recorded request that caused it, when there is one. */
  requestId: number | null;
}

/** One request to the device path (control calls under `/_sim/` are not recorded). */
export interface RecordedRequest {
  id: number;
  method: string;
  /** Path relative to the device address, e.g. `/tickets/changes`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON or form body; the raw text when it did not parse; null when empty. */
  body: unknown;
  /** Status answered; null while in flight or when no answer was sent (hang, reset). */
  status: number | null;
  outcome: 'pending' | 'answered' | 'reset' | 'abandoned';
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number | null;
  /** WM ticket ids this request touched (what overlap detection and fault rules look at). */
  ticketIds: string[];
  /** The fault actions applied, e.g. `['latency', 'status']`. */
  faults: string[];
}

export interface SimReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
