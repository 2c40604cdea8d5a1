import {
  classify,
  stateFields,
  type AttemptError,
  type DeadLetter,
  type Operation,
  type Platform,
  type PlatformState,
  type ReportedState,
  type StatusReport,
  type Transition,
  type Verdict,
  backoffDelayMs,
} from '@tbe/shared';
import { nextOperation } from '../flow/next-operation.ts';
import type { OpItem, TryResult, StatePatch } from '../flow/types.ts';

/*
 * The words for a try, one per idea (docs/design.md, "A try"): an operation runner answers a
 * `TryResult` per ticket; a failed one's error is classified into a `Verdict` (`classify`:
 * retry, wait or dead); `settleTry` turns both into a `Settlement`, everything the try leads to
 * as data, whose `step` (`JobStep`) is what the job does next. `outcome` only ever means what WM
 * will be told (a `ReportedState`, as in the state hash).
 */

/** What the runtime must do with one ticket's job after its try. */
export type JobStep =
  | { kind: 'done' }
  // The operation succeeded and more remains: the same job goes on to the next operation.
  | { kind: 'next'; state: PlatformState }
  | { kind: 'retry'; verdict: Verdict }
  | { kind: 'wait'; delayMs: number; verdict: Verdict | undefined }
  | { kind: 'requeue' }
  // Another run owns the job now (this one's lock lapsed): leave everything to it.
  | { kind: 'lost' };

export interface SettleInput {
  platform: Platform;
  op: Operation;
  item: OpItem;
  /** BullMQ's failed tries of this job so far (this try is number attemptsMade + 1). */
  attemptsMade: number;
  /** The operation's budget: retries after the first try. */
  maxRetries: number;
  nowMs: number;
}

/** Everything one try leads to, as data; the runtime writes it in a few pipelined calls. */
export interface Settlement {
  ticketId: string;
  step: JobStep;
  transition: Transition | undefined;
  report: StatusReport | undefined;
  deadLetter: DeadLetter | undefined;
  /** A dead letter of this ticket that its delivery makes obsolete. */
  clearDeadLetter: boolean;
  /** For metrics: the final outcome of a chain, when it ended. */
  finished: ReportedState | undefined;
}

export interface WaitPolicy {
  baseMs: number;
  maxMs: number;
  authRetryMs: number;
}

/** A settlement that writes nothing. */
export function idleSettlement(ticketId: string, step: JobStep): Settlement {
  return {
    ticketId,
    step,
    transition: undefined,
    report: undefined,
    deadLetter: undefined,
    clearDeadLetter: false,
    finished: undefined,
  };
}

/** The pure decision after one try of one ticket's operation. */
export function settleTry(input: SettleInput, result: TryResult, wait: WaitPolicy): Settlement {
  switch (result.kind) {
    case 'ok':
      return settleSuccess(input, result.patch, result.outcome);
    case 'wait':
      return idleSettlement(input.item.ticketId, {
        kind: 'wait',
        delayMs: result.delayMs,
        verdict: undefined,
      });
    case 'lost':
      return idleSettlement(input.item.ticketId, { kind: 'lost' });
    case 'failed':
      return settleFailure(input, classify(result.error), wait);
  }
}

// Transitions write only the fields this try decided. The rest of the state hash may have been
// changed since the job read it (a work order marked unknown before it was requested, a retry
// from the dead letters); writing back the old snapshot would undo that.

function settleSuccess(
  input: SettleInput,
  patch: StatePatch,
  outcome: ReportedState | undefined,
): Settlement {
  const { item, op, attemptsMade, nowMs, platform } = input;
  const written: StatePatch = {
    ...patch,
    outcome: outcome ?? item.state.outcome,
    attempts: { ...item.state.attempts, [op]: attemptsMade + 1 },
    errors: [],
  };
  const state: PlatformState = { ...item.state, ...written };
  const event = { event: op, version: item.ticket.version, detail: describePatch(patch) };
  if (nextOperation(item.ticket, state) !== undefined) {
    return {
      ...idleSettlement(item.ticketId, { kind: 'next', state }),
      transition: {
        platform,
        ticketId: item.ticketId,
        state: 'processing',
        fields: stateFields(written),
        event,
        nowMs,
      },
    };
  }
  return finishSettlement(input, state, written, event);
}

/** The chain is done: the ticket is at its latest version; tell WM what happened. */
export function finishSettlement(
  input: Pick<SettleInput, 'item' | 'platform' | 'nowMs' | 'attemptsMade'>,
  state: PlatformState,
  written: StatePatch = {},
  event?: Transition['event'],
): Settlement {
  const { item, platform, nowMs, attemptsMade } = input;
  const finished = state.outcome ?? (state.mode === 'noted' ? 'noted' : 'updated');
  const fields = stateFields({
    ...written,
    outcome: undefined,
    lastError: null,
    deadOperation: undefined,
    deadVersion: 0,
  });
  return {
    ...idleSettlement(item.ticketId, { kind: 'done' }),
    transition: { platform, ticketId: item.ticketId, state: finished, fields, event, nowMs },
    report: {
      ticketId: item.ticketId,
      version: item.ticket.version,
      platform,
      state: finished,
      externalId: state.platformId ?? null,
      workOrder: state.mode === 'own' ? (state.workOrder ?? null) : null,
      attempts: attemptsMade + 1,
      error: null,
      at: new Date(nowMs).toISOString(),
    },
    clearDeadLetter: item.state.deadOperation !== undefined,
    finished,
  };
}

function settleFailure(input: SettleInput, verdict: Verdict, wait: WaitPolicy): Settlement {
  const { item, op, attemptsMade, maxRetries, nowMs, platform } = input;
  if (verdict.disposition === 'wait') {
    // Credentials wait for the next authentication try; anything else (a 429 without
    // Retry-After, a token endpoint down) waits the backoff.
    const fallbackMs =
      verdict.code === 'AUTH_FAILED' ? wait.authRetryMs : backoffDelayMs(attemptsMade + 1, wait, undefined);
    const delayMs = Math.min(verdict.retryAfterMs ?? fallbackMs, wait.maxMs);
    return idleSettlement(item.ticketId, { kind: 'wait', delayMs, verdict });
  }
  const attempt = attemptsMade + 1;
  const at = new Date(nowMs).toISOString();
  // The errors listed belong to this operation's tries only.
  const previous = attemptsMade === 0 ? [] : item.state.errors;
  const errors: AttemptError[] = [...previous, { attempt, at, code: verdict.code, message: verdict.message }];
  const lastError = { code: verdict.code, message: verdict.message };
  const attempts = { ...item.state.attempts, [op]: attempt };
  if (verdict.disposition === 'retry' && attemptsMade < maxRetries) {
    return {
      ...idleSettlement(item.ticketId, { kind: 'retry', verdict }),
      transition: {
        platform,
        ticketId: item.ticketId,
        state: 'retrying',
        fields: stateFields({ errors, lastError, attempts }),
        event: { event: 'failed', version: item.ticket.version, detail: `${op}: ${verdict.code}` },
        nowMs,
      },
    };
  }
  const dead = {
    errors,
    lastError,
    attempts,
    deadOperation: op,
    deadVersion: item.ticket.version,
    outcome: undefined,
  };
  return {
    ...idleSettlement(item.ticketId, { kind: 'done' }),
    transition: {
      platform,
      ticketId: item.ticketId,
      state: 'error',
      fields: stateFields(dead),
      event: { event: 'dead-letter', version: item.ticket.version, detail: `${op}: ${verdict.code}` },
      nowMs,
    },
    deadLetter: {
      ticketId: item.ticketId,
      platform,
      operation: op,
      version: item.ticket.version,
      attempts: attempt,
      lastError,
      errors,
      deadAt: at,
    },
    report: {
      ticketId: item.ticketId,
      version: item.ticket.version,
      platform,
      state: 'error',
      externalId: item.state.platformId ?? null,
      workOrder: item.state.workOrder ?? null,
      attempts: attempt,
      error: lastError,
      at,
    },
    finished: 'error',
  };
}

function describePatch(patch: StatePatch): string | null {
  const parts = [
    patch.platformId !== undefined ? `platformId ${patch.platformId}` : undefined,
    patch.workOrder !== undefined ? `workOrder ${patch.workOrder}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}
