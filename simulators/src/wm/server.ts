import { simulatorBase } from '../common/api.ts';
import type { SimulatorBase } from '../common/api.ts';
import { commonControlRoutes } from '../common/control.ts';
import { SimCore } from '../common/core.ts';
import { seededRandom } from '../common/random.ts';
import type { PlatformBehaviour } from '../common/route.ts';
import { startSimServer } from '../common/server.ts';
import type { ListenOptions } from '../common/server.ts';
import { bearerToken } from '../common/tokens.ts';
import type { FeedEntry } from './feed.ts';
import { wmControlRoutes } from './control.ts';
import { wmRoutes, type LongPollMode } from './routes.ts';
import type { StatusReport } from './status.ts';
import { WmStore } from './store.ts';
import type { ChangeOptions } from './store.ts';
import type { WmPlatform, WmTicket } from './ticket.ts';
import { startTrickle } from './trickle.ts';
import type { TrickleOptions } from './trickle.ts';

export interface WmSimulatorOptions extends ListenOptions {
  /** Device address (default `/ticketing-wm`). */
  basePath?: string;
  /** When set, every call must carry `Authorization: Bearer <token>` (else 401). */
  token?: string;
  /** Retention: oldest changes are dropped past this many (default 100 000). */
  maxRetainedChanges?: number;
  /** Most changes per page whatever `limit` asks (default 1000). */
  maxPageSize?: number;
  /** How `wait` (long polling) is treated (default `supported`); settable at run time. */
  longPoll?: LongPollMode;
  /** `limit` when the client sends none (default 100). */
  defaultLimit?: number;
  /** Status updates per report before `batch-too-large` (default 500, WM's own bound). */
  maxTicketsPerRequest?: number;
  latencyMs?: number;
  /** Seed of the ticket generator and trickle (default 42). */
  seed?: number;
  firstTicketNumber?: number;
  /** Share of new generated tickets reusing an open ticket's entity and alarm type (default 0.25). */
  entityReuseShare?: number;
  /** Platforms of created tickets (default both). */
  defaultPlatforms?: WmPlatform[];
  now?: () => number;
  random?: () => number;
}

export interface WmSimulator extends SimulatorBase {
  /** Appends a realistic new ticket (version 1 unless `partial` says otherwise); answers it. */
  createTicket(partial?: Partial<WmTicket>, platforms?: WmPlatform[]): WmTicket;
  /** Appends the next version (+1, + `skipVersions`) with `patch` applied. */
  updateTicket(id: string, patch: Partial<WmTicket>, options?: ChangeOptions): WmTicket;
  /** Appends the next version with `state: completed` and `completedAt`. */
  completeTicket(id: string, options?: ChangeOptions): WmTicket;
  /** Appends any JSON as a change (an object without `seq` gets the feed's); answers the feed seq. */
  pushRaw(change: unknown): number;
  /** The next poll, whatever its cursor, is served from `seq` on again (at-least-once). */
  replayFrom(seq: number): void;
  /** Retention by hand: drops every change up to and including `seq`. */
  dropChangesThrough(seq: number): void;
  setMaxRetainedChanges(n: number): void;
  lastSeq(): number;
  changes(): FeedEntry[];
  tickets(): WmTicket[];
  ticket(id: string): WmTicket | undefined;
  /** Every valid update received on `POST /tickets/status`, oldest first. */
  statusReports(): StatusReport[];
  startTrickle(options: TrickleOptions): void;
  /** The trickle leaves this ticket as it is (no update, no completion): for a demo's showcase. */
  spareFromTrickle(id: string): void;
  stopTrickle(): void;
  /** Long polling supported, refused with 400 or ignored, from the next poll on. */
  setLongPoll(mode: LongPollMode): void;
}

export async function startWmSimulator(options: WmSimulatorOptions = {}): Promise<WmSimulator> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const core = new SimCore({
    maxTicketsPerRequest: options.maxTicketsPerRequest ?? 500,
    latencyMs: options.latencyMs,
    now,
    random,
  });
  const store = new WmStore({
    random: seededRandom(options.seed ?? 42),
    now,
    firstTicketNumber: options.firstTicketNumber,
    entityReuseShare: options.entityReuseShare,
    maxRetainedChanges: options.maxRetainedChanges ?? 100_000,
    defaultPlatforms: options.defaultPlatforms ?? ['cherwell', 'sfyc'],
  });
  const trickleRandom = seededRandom((options.seed ?? 42) + 1);
  // Tickets the trickle never updates or completes (the demo's refused ticket waits for a retry).
  const spared = new Set<string>();
  let stopTrickle: (() => void) | null = null;
  const trickle = {
    start: (t: TrickleOptions) => {
      stopTrickle?.();
      stopTrickle = startTrickle(store, trickleRandom, t, spared);
    },
    stop: () => {
      stopTrickle?.();
      stopTrickle = null;
    },
  };
  const startLongPoll = options.longPoll ?? 'supported';
  let longPoll: LongPollMode = startLongPoll;
  const setLongPoll = (mode: LongPollMode): void => {
    longPoll = mode;
  };
  const reset = (): void => {
    trickle.stop();
    spared.clear();
    store.reset();
    core.reset();
    longPoll = startLongPoll;
  };
  const platform = wmPlatform(options.basePath ?? '/ticketing-wm', options.token);
  const routes = wmRoutes(core, store, {
    maxPageSize: options.maxPageSize ?? 1000,
    defaultLimit: options.defaultLimit ?? 100,
    longPoll: () => longPoll,
  });
  const control = [
    ...commonControlRoutes(core, {
      reset,
      state: () => ({ lastSeq: store.feed.lastSeq, tickets: store.tickets() }),
    }),
    ...wmControlRoutes({
      store,
      startTrickle: trickle.start,
      stopTrickle: trickle.stop,
      longPoll: () => longPoll,
      setLongPoll,
    }),
  ];
  const server = await startSimServer(options, { core, platform, routes, control });
  return {
    ...simulatorBase(core, server, reset, () => {
      trickle.stop();
      // Held polls answer now rather than keep their timers after the server is gone.
      store.feed.wake();
    }),
    createTicket: (partial, platforms) => store.create(partial, platforms),
    updateTicket: (id, patch, changeOptions) => store.update(id, patch, changeOptions),
    completeTicket: (id, changeOptions) => store.complete(id, changeOptions),
    pushRaw: (change) => store.pushRaw(change),
    replayFrom: (seq) => store.feed.replayFrom(seq),
    dropChangesThrough: (seq) => store.feed.dropThrough(seq),
    setMaxRetainedChanges: (n) => store.feed.setMaxRetained(n),
    lastSeq: () => store.feed.lastSeq,
    changes: () => store.feed.entries(),
    tickets: () => store.tickets(),
    ticket: (id) => store.ticket(id),
    statusReports: () => store.statusReports(),
    startTrickle: trickle.start,
    stopTrickle: trickle.stop,
    spareFromTrickle: (id) => void spared.add(id),
    setLongPoll,
  };
}

function wmPlatform(basePath: string, token: string | undefined): PlatformBehaviour {
  return {
    name: 'wm',
    basePath,
    errorBody: (status, message) => ({ error: status >= 500 ? 'server_error' : 'request_error', message }),
    authenticate: (req) => {
      if (token === undefined) return { ok: true };
      const given = bearerToken(req.headers);
      if (given === token) return { ok: true };
      return {
        ok: false,
        verdict: given === null ? 'missing' : 'unknown',
        reply: {
          status: 401,
          body: { error: 'unauthorized', message: 'bearer token required' },
          headers: { 'www-authenticate': 'Bearer' },
        },
      };
    },
    invalidEnvelope: { changes: { seq: 1 }, cursor: 17, hasMore: 'maybe' },
  };
}
