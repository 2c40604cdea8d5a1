import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../keys.ts';
import type { Platform } from '../platforms.ts';
import { defineScript, queueScript } from './scripts.ts';

/** A ticket's state on one platform, as the overview and the admin API show it. */
export const TICKET_STATES = [
  'received',
  'queued',
  'processing',
  'retrying',
  'created',
  'noted',
  'updated',
  'resolved',
  'error',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/** States after which nothing is pending; the retention clock runs from them. */
export const FINAL_STATES: ReadonlySet<TicketState> = new Set([
  'created',
  'noted',
  'updated',
  'resolved',
  'error',
]);

/** History entries kept per ticket and platform (operations.md). */
export const HISTORY_LIMIT = 50;

export interface HistoryEvent {
  at: string;
  event: string;
  version: number | null;
  detail: string | null;
}

// Moves the ticket between state indexes, sets the state and extra fields, and appends one
// history event, in one step. KEYS: state hash, history list, then one index per state (all
// under the platform's hash tag, so one Cluster slot). ARGV: ticket id, state, now (ms),
// event JSON, then field/value pairs.
const TRANSITION = `
local stateKey, historyKey = KEYS[1], KEYS[2]
local states = {${TICKET_STATES.map((state) => `'${state}'`).join(', ')}}
local ticketId, newState, nowMs, event = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local oldState = redis.call('HGET', stateKey, 'state')
for i, state in ipairs(states) do
  if state == newState then
    redis.call('ZADD', KEYS[i + 2], nowMs, ticketId)
  elseif state == oldState then
    redis.call('ZREM', KEYS[i + 2], ticketId)
  end
end
if #ARGV > 4 then
  redis.call('HSET', stateKey, 'state', newState, 'updatedAt', nowMs, unpack(ARGV, 5))
else
  redis.call('HSET', stateKey, 'state', newState, 'updatedAt', nowMs)
end
if event ~= '' then
  redis.call('LPUSH', historyKey, event)
  redis.call('LTRIM', historyKey, 0, ${HISTORY_LIMIT - 1})
end
return 1
`;

type Client = Redis | Cluster;

export interface Transition {
  platform: Platform;
  ticketId: string;
  state: TicketState;
  /** Extra fields of the state hash to set (strings; JSON for structured ones). */
  fields?: Record<string, string>;
  event?: Omit<HistoryEvent, 'at'>;
  nowMs?: number;
}

/** Writes ticket states with their indexes and history. Reads are in the dashboard. */
export class OverviewStore {
  readonly #redis: Client;
  readonly #keys: Keys;

  constructor(redis: Client, keys: Keys) {
    this.#redis = redis;
    this.#keys = keys;
    defineScript(redis, 'tbeTransition', TRANSITION);
  }

  /** Applies transitions in one pipeline (one round trip for a whole batch). */
  async transition(transitions: readonly Transition[]): Promise<void> {
    if (transitions.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const item of transitions) {
      const nowMs = item.nowMs ?? Date.now();
      const event = item.event ? JSON.stringify({ at: new Date(nowMs).toISOString(), ...item.event }) : '';
      const keys = [
        this.#keys.state(item.platform, item.ticketId),
        this.#keys.history(item.platform, item.ticketId),
        ...TICKET_STATES.map((state) => this.#keys.stateIndex(item.platform, state)),
      ];
      const fields = Object.entries(item.fields ?? {}).flat();
      queueScript(pipeline, 'tbeTransition', keys, [
        item.ticketId,
        item.state,
        String(nowMs),
        event,
        ...fields,
      ]);
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed?.[0]) throw failed[0];
  }
}
