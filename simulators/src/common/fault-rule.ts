import { z } from 'zod';

/**
 * Per-item failures inside a 200. Each platform renders them its own way:
 * Cherwell `lock` = hasError with errorCode LOCKED (retryable), `validation` = fieldValidationErrors
 * (permanent), `not-found` = RECORDNOTFOUND; SFyC `lock` = LOCKED retryable:true, `validation` =
 * FIELD_INVALID retryable:false, `not-found` = NOT_FOUND retryable:false.
 */
export const ITEM_ERROR_KINDS = ['lock', 'validation', 'not-found'] as const;
export type ItemErrorKind = (typeof ITEM_ERROR_KINDS)[number];

export interface FaultMatch {
  /** A suffix of the request path, or a RegExp tested on it (with or without the device address). */
  path?: string | RegExp;
  method?: string;
  /** Matches only requests touching at least one of these WM ticket ids. */
  ticketIds?: string[];
  /** Probability 0..1 that a matching request is hit; default 1. */
  share?: number;
  /** Most hits before the rule stops matching; default unlimited. */
  times?: number;
}

export type FaultAction =
  | { action: 'status'; status: number; retryAfter?: number | string; body?: unknown }
  | { action: 'hang' }
  | { action: 'reset' }
  | { action: 'commit-then-fail'; then?: 'status' | 'reset'; status?: number }
  | { action: 'item-error'; error: ItemErrorKind; message?: string }
  | { action: 'latency'; latencyMs: number }
  | { action: 'invalid-json' }
  | { action: 'invalid-envelope' }
  | { action: 'oversized'; bytes?: number };

export type FaultRule = FaultMatch & FaultAction;
export type FaultActionName = FaultAction['action'];

const match = {
  path: z.string().optional(),
  pathRegex: z.string().optional(),
  method: z.string().optional(),
  ticketIds: z.array(z.string()).optional(),
  share: z.number().min(0).max(1).optional(),
  times: z.int().min(1).optional(),
};

/** A rule as JSON (`POST /_sim/faults`): a RegExp is given as `pathRegex`. */
const ruleJson = z.discriminatedUnion('action', [
  z.strictObject({
    ...match,
    action: z.literal('status'),
    status: z.int().min(100).max(599),
    retryAfter: z.union([z.number().min(0), z.string()]).optional(),
    body: z.unknown().optional(),
  }),
  z.strictObject({ ...match, action: z.literal('hang') }),
  z.strictObject({ ...match, action: z.literal('reset') }),
  z.strictObject({
    ...match,
    action: z.literal('commit-then-fail'),
    then: z.enum(['status', 'reset']).optional(),
    status: z.int().min(100).max(599).optional(),
  }),
  z.strictObject({
    ...match,
    action: z.literal('item-error'),
    error: z.enum(ITEM_ERROR_KINDS),
    message: z.string().optional(),
  }),
  z.strictObject({ ...match, action: z.literal('latency'), latencyMs: z.number().min(0) }),
  z.strictObject({ ...match, action: z.literal('invalid-json') }),
  z.strictObject({ ...match, action: z.literal('invalid-envelope') }),
  z.strictObject({ ...match, action: z.literal('oversized'), bytes: z.int().min(1).optional() }),
]);

export function parseFaultRule(json: unknown): FaultRule {
  const { pathRegex, ...rule } = ruleJson.parse(json);
  if (pathRegex !== undefined) return { ...rule, path: new RegExp(pathRegex) };
  return rule;
}

/** JSON view of a rule (RegExp back to `pathRegex`). */
export function faultRuleToJson(rule: FaultRule): Record<string, unknown> {
  const { path, ...rest } = rule;
  if (path instanceof RegExp) return { ...rest, pathRegex: path.source };
  return path === undefined ? rest : { ...rest, path };
}
