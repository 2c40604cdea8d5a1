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
} from '@tbe/shared';
import { nextOperation } from '../flow/next-operation.ts';
import type { OpItem, OpOutcome, StatePatch } from '../flow/types.ts';

/** What the runtime must do with one ticket's job after its try. */
export type Directive =
  | { kind: 'done' }
  | { kind: 'retry'; verdict: Verdict }
  | { kind: 'wait'; delayMs: number; verdict: Verdict | undefined }
  | { kind: 'requeue' };

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
  followUp: boolean;
  report: StatusReport | undefined;
  deadLetter: DeadLetter | undefined;
  /** A dead letter of this ticket that its delivery makes obsolete. */
  clearDeadLetter: boolean;
  /** For metrics: the final outcome of a chain, when it ended. */
  finished: ReportedState | undefined;
}

const NOTHING: Omit<Plan, 'directive' | 'ticketId'> = {
  transition: undefined,
  followUp: false,
  report: undefined,
  deadLetter: undefined,
  clearDeadLetter: false,
  finished: undefined,
};

export interface WaitPolicy {
  baseMs: number;
  maxMs: number;
  authRetryMs: number;
}

/** The pure decision after one try of one ticket's operation. */
export function planOutcome(input: PlanInput, outcome: OpOutcome, wait: WaitPolicy): Plan {
  switch (outcome.kind) {
    case 'ok':
      return planSuccess(input, outcome.patch, outcome.outcome);
    case 'wait':
      return {
        ...NOTHING,
        ticketId: input.item.ticketId,
        directive: { kind: 'wait', delayMs: outcome.delayMs, verdict: undefined },
      };
    case 'failed':
      return planFailure(input, classify(outcome.error), wait);
  }
}

function planSuccess(input: PlanInput, patch: StatePatch, outcome: ReportedState | undefined): Plan {
  const { item, op, attemptsMade, nowMs, platform } = input;
  const state: PlatformState = {
    ...item.state,
    ...patch,
    outcome: outcome ?? item.state.outcome,
    attempts: { ...item.state.attempts, [op]: attemptsMade + 1 },
    errors: [],
  };
  const next = nextOperation(item.ticket, state);
  const event = { event: op, version: item.ticket.version, detail: describePatch(patch) };
  if (next !== undefined) {
    return {
      ...NOTHING,
      ticketId: item.ticketId,
      directive: { kind: 'done' },
      transition: {
        platform,
        ticketId: item.ticketId,
        state: 'processing',
        fields: stateFieldsOf(state),
        event,
        nowMs,
      },
      followUp: true,
    };
  }
  return finishPlan(input, state, event);
}

/** The chain is done: the ticket is at its latest version; tell WM what happened. */
export function finishPlan(input: PlanInput, state: PlatformState, event?: Transition['event']): Plan {
  const { item, platform, nowMs, attemptsMade } = input;
  const finished = state.outcome ?? (state.mode === 'noted' ? 'noted' : 'updated');
  const done: PlatformState = { ...state, outcome: undefined, lastError: null, deadOperation: undefined };
  return {
    ...NOTHING,
    ticketId: item.ticketId,
    directive: { kind: 'done' },
    transition: {
      platform,
      ticketId: item.ticketId,
      state: finished,
      fields: stateFieldsOf(done),
      event,
      nowMs,
    },
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
    const fallbackMs = verdict.code === 'AUTH_FAILED' ? wait.authRetryMs : wait.baseMs;
    const delayMs = Math.min(verdict.retryAfterMs ?? fallbackMs, wait.maxMs);
    return { ...NOTHING, ticketId: item.ticketId, directive: { kind: 'wait', delayMs, verdict } };
  }
  const attempt = attemptsMade + 1;
  const at = new Date(nowMs).toISOString();
  // The errors listed belong to this operation's tries only.
  const errors: AttemptError[] = [
    ...(attemptsMade === 0 ? [] : item.state.errors),
    { attempt, at, code: verdict.code, message: verdict.message },
  ];
  const lastError = { code: verdict.code, message: verdict.message };
  const attempts = { ...item.state.attempts, [op]: attempt };
  const event = { event: 'failed', version: item.ticket.version, detail: `${op}: ${verdict.code}` };
  if (verdict.disposition === 'retry' && attemptsMade < maxRetries) {
    return {
      ...NOTHING,
      ticketId: item.ticketId,
      directive: { kind: 'retry', verdict },
      transition: {
        platform,
        ticketId: item.ticketId,
        state: 'retrying',
        fields: stateFieldsOf({ ...item.state, errors, lastError, attempts }),
        event,
        nowMs,
      },
    };
  }
  const dead: PlatformState = {
    ...item.state,
    errors,
    lastError,
    attempts,
    deadOperation: op,
    outcome: undefined,
  };
  return {
    ...NOTHING,
    ticketId: item.ticketId,
    directive: { kind: 'done' },
    transition: {
      platform,
      ticketId: item.ticketId,
      state: 'error',
      fields: stateFieldsOf(dead),
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

/** Every stored field of a state except `state` itself (set by the transition). */
export function stateFieldsOf(state: PlatformState): Record<string, string> {
  const { state: _state, updatedAtMs: _updatedAt, ...rest } = state;
  return stateFields(rest);
}
