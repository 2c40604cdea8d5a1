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
import type { OpItem, OpOutcome, StatePatch } from '../flow/types.ts';

/** What the runtime must do with one ticket's job after its try. */
export type Directive =
  | { kind: 'done' }
  // The operation succeeded and more remains: the same job goes on to the next operation.
  | { kind: 'next'; state: PlatformState }
  | { kind: 'retry'; verdict: Verdict }
  | { kind: 'wait'; delayMs: number; verdict: Verdict | undefined }
  | { kind: 'requeue' }
  // Another run owns the job now (this one's lock lapsed): leave everything to it.
  | { kind: 'lost' };

export interface PlanInput {
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
export interface Plan {
  ticketId: string;
  directive: Directive;
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

/** A plan that writes nothing. */
export function idlePlan(ticketId: string, directive: Directive): Plan {
  return {
    ticketId,
    directive,
    transition: undefined,
    report: undefined,
    deadLetter: undefined,
    clearDeadLetter: false,
    finished: undefined,
  };
}

/** The pure decision after one try of one ticket's operation. */
export function planOutcome(input: PlanInput, outcome: OpOutcome, wait: WaitPolicy): Plan {
  switch (outcome.kind) {
    case 'ok':
      return planSuccess(input, outcome.patch, outcome.outcome);
    case 'wait':
      return idlePlan(input.item.ticketId, { kind: 'wait', delayMs: outcome.delayMs, verdict: undefined });
    case 'lost':
      return idlePlan(input.item.ticketId, { kind: 'lost' });
    case 'failed':
      return planFailure(input, classify(outcome.error), wait);
  }
}

// Transitions write only the fields this try decided. The rest of the state hash may have been
// changed since the job read it (a work order marked unknown before it was requested, a retry
// from the dead letters); writing back the old snapshot would undo that.

function planSuccess(input: PlanInput, patch: StatePatch, outcome: ReportedState | undefined): Plan {
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
      ...idlePlan(item.ticketId, { kind: 'next', state }),
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
  return finishPlan(input, state, written, event);
}

/** The chain is done: the ticket is at its latest version; tell WM what happened. */
export function finishPlan(
  input: Pick<PlanInput, 'item' | 'platform' | 'nowMs' | 'attemptsMade'>,
  state: PlatformState,
  written: StatePatch = {},
  event?: Transition['event'],
): Plan {
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
    ...idlePlan(item.ticketId, { kind: 'done' }),
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

function planFailure(input: PlanInput, verdict: Verdict, wait: WaitPolicy): Plan {
  const { item, op, attemptsMade, maxRetries, nowMs, platform } = input;
  if (verdict.disposition === 'wait') {
    // Credentials wait for the next authentication try; anything else (a 429 without
    // Retry-After, a token endpoint down) waits the backoff.
    const fallbackMs =
      verdict.code === 'AUTH_FAILED' ? wait.authRetryMs : backoffDelayMs(attemptsMade + 1, wait, undefined);
    const delayMs = Math.min(verdict.retryAfterMs ?? fallbackMs, wait.maxMs);
    return idlePlan(item.ticketId, { kind: 'wait', delayMs, verdict });
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
      ...idlePlan(item.ticketId, { kind: 'retry', verdict }),
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
    ...idlePlan(item.ticketId, { kind: 'done' }),
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
