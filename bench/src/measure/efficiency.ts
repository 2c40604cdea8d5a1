import { kindOf, TICKET_KINDS, type Tallies } from '../harness/request-log.ts';

export interface Efficiency {
  /** Requests that named tickets (token, set-up and WM polls left out). */
  requests: number;
  /** The fewest that could have carried the same tickets: per kind, ceil(named / max). */
  limit: number;
  /** requests / limit: 1.0 means every request was full. */
  ratio: number;
  /** Per `<simulator>:<kind>`: requests, tickets named, mean fill (named / requests / max). */
  byKind: Record<string, { requests: number; named: number; fill: number }>;
}

/**
 * "Requests per ticket-operation against the limit of tickets / maxTicketsPerRequest": each
 * kind of request (a lookup, a save of creates, a WM status report...) is held to the
 * fewest requests its tickets need; searches count the ids or entities they name.
 */
export function efficiency(tallies: Tallies, include: (key: string) => boolean = () => true): Efficiency {
  let requests = 0;
  let limit = 0;
  const byKind: Efficiency['byKind'] = {};
  for (const [key, tally] of tallies) {
    if (!TICKET_KINDS.has(kindOf(key)) || !include(key)) continue;
    requests += tally.requests;
    limit += Math.ceil(tally.named / tally.max);
    byKind[key] = {
      requests: tally.requests,
      named: tally.named,
      fill: Number((tally.named / tally.requests / tally.max).toFixed(3)),
    };
  }
  return { requests, limit, ratio: limit > 0 ? requests / limit : Number.NaN, byKind };
}

/** Every request of the simulators except WM polls (tokens and set-up included): what a platform sees. */
export function allRequests(tallies: Tallies, include: (key: string) => boolean = () => true): number {
  let total = 0;
  for (const [key, tally] of tallies) if (kindOf(key) !== 'poll' && include(key)) total += tally.requests;
  return total;
}
