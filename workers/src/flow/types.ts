import type { PlatformState, ReportedState, Ticket } from '@tbe/shared';

/** One ticket's share of an operation batch. */
export interface OpItem {
  ticketId: string;
  ticket: Ticket;
  seq: number;
  state: PlatformState;
  /** The job ran before (a failed try, or recovered after a stall): what it sent may have landed. */
  repeat?: boolean | undefined;
}

/**
 * Whether this item's operation may have been sent before with its outcome unknown: its job ran
 * before, or the state still holds failed tries of it, or a last error of an unfinished chain (a
 * retry from the dead letters clears the tries but keeps lastError until the chain finishes).
 * Notes ask the adapter to look before they are sent again.
 */
export const mayHaveBeenSent = (item: OpItem): boolean =>
  item.repeat === true || item.state.errors.length > 0 || item.state.lastError !== null;

export type StatePatch = Partial<Omit<PlatformState, 'state' | 'updatedAtMs'>>;

/**
 * The result of one operation for one ticket:
 * - `ok`: applied; `patch` is what changed; `outcome` (when set) is what WM will be told once the
 *   operations in progress are done;
 * - `failed`: the error decides (classified by the runtime: retry, dead letter, or wait);
 * - `wait`: not this ticket's turn (another ticket of the same entity is being created): try
 *   again after `delayMs` at no cost.
 */
export type TryResult =
  | { kind: 'ok'; patch: StatePatch; outcome: ReportedState | undefined }
  | { kind: 'failed'; error: unknown }
  | { kind: 'wait'; delayMs: number; reason: string }
  // The job's lock was lost (this process froze): another run owns the ticket now; send and write nothing.
  | { kind: 'lost' };

export const failedAll = (items: readonly unknown[], error: unknown): TryResult[] =>
  items.map(() => ({ kind: 'failed', error }));

/** Answers which of these tickets this run still owns (their jobs' locks held); asked before a create. */
export type StillOwned = (items: readonly OpItem[]) => Promise<Set<string>>;

/** Sends one operation for a batch; answers one result per item, in order. */
export type OperationRunner = (items: readonly OpItem[], stillOwned: StillOwned) => Promise<TryResult[]>;
