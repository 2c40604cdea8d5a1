import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../keys.ts';
import type { Part } from '../partitions.ts';
import type { Platform } from '../platforms.ts';
import { callScript, defineScript, luaSource } from './scripts.ts';

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

type Client = Redis | Cluster;

/**
 * A `received` event (the producer's, with its version) is held in the state hash's `received`
 * field until the ticket's next event, which moves it into the history list (transition.lua): a
 * queued ticket costs no list key. Readers show held events first (`heldReceivedEvents`).
 */
const isHeldReceived = (event: Omit<HistoryEvent, 'at'>): boolean =>
  event.event === 'received' && event.detail === null && Number.isInteger(event.version);

/** The `received` events held in a state hash's `received` field, newest first. */
export function heldReceivedEvents(field: string | undefined): HistoryEvent[] {
  if (!field) return [];
  const events: HistoryEvent[] = [];
  for (const mark of field.split(',')) {
    const at = mark.indexOf('@');
    if (at < 1) continue;
    events.push({
      at: mark.slice(at + 1),
      event: 'received',
      version: Number(mark.slice(0, at)),
      detail: null,
    });
  }
  return events.reverse();
}

export interface Transition {
  platform: Platform;
  /** The ticket's partition (docs/design.md, "Partitions"); the platform itself when omitted. */
  part?: Part;
  ticketId: string;
  state: TicketState;
  /** Extra fields of the state hash to set (strings; JSON for structured ones). */
  fields?: Record<string, string>;
  event?: Omit<HistoryEvent, 'at'>;
  nowMs?: number;
  /**
   * The write fence of the job that writes it: the transition is written only while the job's
   * BullMQ lock (`key`, in the same hash tag as the ticket's partition) holds `token`.
   */
  lock?: { key: string; token: string };
}

/** Writes ticket states with their indexes and history. Reads are in the dashboard. */
export class OverviewStore {
  readonly #redis: Client;
  readonly #keys: Keys;

  constructor(redis: Client, keys: Keys) {
    this.#redis = redis;
    this.#keys = keys;
    defineScript(redis, 'tbeTransition', luaSource('transition'));
  }

  /**
   * Applies a batch's transitions in one script call. The keys of one call must share a hash
   * tag: transitions of different partitions go in one call each. Answers the tickets of fenced
   * transitions left unwritten because their job's lock no longer holds the token.
   */
  async transition(transitions: readonly Transition[]): Promise<Set<string>> {
    const byPart = new Map<Part, Transition[]>();
    for (const item of transitions) {
      const part = item.part ?? item.platform;
      const group = byPart.get(part);
      if (group) group.push(item);
      else byPart.set(part, [item]);
    }
    const lost = await Promise.all([...byPart].map(([part, items]) => this.#transitionOne(part, items)));
    return new Set(lost.flat());
  }

  async #transitionOne(platform: Part, transitions: readonly Transition[]): Promise<string[]> {
    const keys = TICKET_STATES.map((state) => this.#keys.stateIndex(platform, state));
    const args: string[] = [String(TICKET_STATES.length), String(HISTORY_LIMIT), ...TICKET_STATES];
    for (const item of transitions) {
      const nowMs = item.nowMs ?? Date.now();
      const at = new Date(nowMs).toISOString();
      const event = !item.event
        ? ''
        : isHeldReceived(item.event)
          ? `~${String(item.event.version)}@${at}`
          : JSON.stringify({ at, ...item.event });
      const fields = Object.entries(item.fields ?? {});
      keys.push(this.#keys.state(platform, item.ticketId), this.#keys.history(platform, item.ticketId));
      if (item.lock) keys.push(item.lock.key);
      args.push(
        item.ticketId,
        item.state,
        String(nowMs),
        event,
        item.lock?.token ?? '',
        String(fields.length),
        ...fields.flat(),
      );
    }
    const lost = (await callScript(this.#redis, 'tbeTransition', keys, args)) as number[];
    return lost.map((position) => transitions[position - 1]?.ticketId ?? '');
  }
}
