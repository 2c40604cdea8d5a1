import type { FaultRule, ItemErrorKind } from './fault-rule.ts';
import { faultRuleToJson } from './fault-rule.ts';

export interface FaultTarget {
  method: string;
  /** Path relative to the device address. */
  path: string;
  /** Path as requested, with the device address. */
  fullPath: string;
  ticketIds: readonly string[];
}

type Rule<A extends FaultRule['action']> = Extract<FaultRule, { action: A }>;
export type TransportFault = Rule<
  'status' | 'hang' | 'reset' | 'invalid-json' | 'invalid-envelope' | 'oversized'
>;
export type CommitFault = Rule<'commit-then-fail'>;
export type ItemErrorFault = Rule<'item-error'>;

const TRANSPORT = new Set(['status', 'hang', 'reset', 'invalid-json', 'invalid-envelope', 'oversized']);

/** What applies before the request is authenticated and handled (a gateway or the network). */
export interface TransportPick {
  latencyMs: number;
  fault: TransportFault | null;
  applied: string[];
}

/** What applies to the handling itself. */
export interface HandlingPick {
  commit: CommitFault | null;
  itemErrors: ItemErrorFault[];
  applied: string[];
}

interface Stored {
  id: string;
  rule: FaultRule;
  hits: number;
}

export class FaultInjector {
  readonly #rules: Stored[] = [];
  readonly #random: () => number;
  #nextId = 1;

  constructor(random: () => number) {
    this.#random = random;
  }

  add(rule: FaultRule): string {
    const id = `f${this.#nextId++}`;
    this.#rules.push({ id, rule, hits: 0 });
    return id;
  }

  remove(id: string): boolean {
    const index = this.#rules.findIndex((r) => r.id === id);
    if (index >= 0) this.#rules.splice(index, 1);
    return index >= 0;
  }

  clear(): void {
    this.#rules.length = 0;
  }

  list(): Array<Record<string, unknown>> {
    return this.#rules.map((r) => ({ id: r.id, hits: r.hits, ...faultRuleToJson(r.rule) }));
  }

  /** Every matching latency rule adds up; the first matching transport fault wins. */
  pickTransport(target: FaultTarget): TransportPick {
    const pick: TransportPick = { latencyMs: 0, fault: null, applied: [] };
    for (const stored of this.#rules) {
      const rule = stored.rule;
      if (rule.action === 'latency' && this.#hit(stored, target)) {
        pick.latencyMs += rule.latencyMs;
        pick.applied.push('latency');
      } else if (TRANSPORT.has(rule.action) && pick.fault === null && this.#hit(stored, target)) {
        pick.fault = rule as TransportFault;
        pick.applied.push(rule.action);
      }
    }
    return pick;
  }

  /** The first commit-then-fail wins; every matching item-error rule applies to its items. */
  pickHandling(target: FaultTarget): HandlingPick {
    const pick: HandlingPick = { commit: null, itemErrors: [], applied: [] };
    for (const stored of this.#rules) {
      const rule = stored.rule;
      if (rule.action === 'commit-then-fail' && pick.commit === null && this.#hit(stored, target)) {
        pick.commit = rule;
        pick.applied.push(rule.action);
      } else if (rule.action === 'item-error' && this.#hit(stored, target)) {
        pick.itemErrors.push(rule);
        pick.applied.push(rule.action);
      }
    }
    return pick;
  }

  /** Matches, rolls the share, and counts the hit. */
  #hit(stored: Stored, target: FaultTarget): boolean {
    const rule = stored.rule;
    if (rule.times !== undefined && stored.hits >= rule.times) return false;
    if (rule.method !== undefined && rule.method.toUpperCase() !== target.method) return false;
    if (!pathMatches(rule.path, target)) return false;
    if (rule.ticketIds?.length && !rule.ticketIds.some((id) => target.ticketIds.includes(id))) return false;
    if (rule.share !== undefined && this.#random() >= rule.share) return false;
    stored.hits += 1;
    return true;
  }
}

function pathMatches(path: string | RegExp | undefined, target: FaultTarget): boolean {
  if (path === undefined) return true;
  if (typeof path === 'string') return target.path.endsWith(path) || target.fullPath.endsWith(path);
  return path.test(target.path) || path.test(target.fullPath);
}

/**
 * The item error for an item touching these ids, if an item-error rule covers it: a rule naming
 * one of its tickets before a rule for any item, so that a fault aimed at a ticket is never
 * masked by an occasional one that happened to hit the same request.
 */
export function itemErrorFor(
  rules: readonly ItemErrorFault[],
  ticketIds: readonly string[],
): ItemErrorFault | null {
  const aimed = rules.find((rule) => rule.ticketIds?.some((id) => ticketIds.includes(id)));
  return aimed ?? rules.find((rule) => !rule.ticketIds?.length) ?? null;
}

export type { ItemErrorKind };
