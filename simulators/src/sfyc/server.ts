import { simulatorBase } from '../common/api.ts';
import type { SimulatorBase } from '../common/api.ts';
import { commonControlRoutes } from '../common/control.ts';
import { SimCore } from '../common/core.ts';
import type { PlatformBehaviour } from '../common/route.ts';
import { startSimServer } from '../common/server.ts';
import type { ListenOptions } from '../common/server.ts';
import { TokenRegistry } from '../common/tokens.ts';
import { sfycAuthenticate } from './auth.ts';
import type { SfycCredentials, SfycTokenSettings } from './auth.ts';
import { sfycControlRoutes } from './control.ts';
import { sfycRoutes } from './routes.ts';
import { sfycError } from './schema.ts';
import { SfycStore } from './store.ts';
import type { SfycFields, SfycNote, SfycTicket, SfycWorkOrder } from './store.ts';

export interface SfycSimulatorOptions extends ListenOptions {
  /** Device address (default `/api`). */
  basePath?: string;
  clientId?: string;
  clientSecret?: string;
  /** Default 3600 (sfyc.md). */
  tokenTtlSeconds?: number;
  /** How the token endpoint answers wrong credentials: 401 invalid_client (default) or 400. */
  badCredentialsStatus?: 400 | 401;
  /** Default 50 (operations.md). */
  maxTicketsPerRequest?: number;
  latencyMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface SfycSimulator extends SimulatorBase {
  credentials(): SfycCredentials;
  setCredentials(credentials: Partial<SfycCredentials>): void;
  setTokenTtlSeconds(seconds: number): void;
  /** Early expiry of every token: the next call gets 401 (no violation: the client could not know). */
  revokeTokens(): void;
  tickets(): SfycTicket[];
  /** By SFyC id (`SF-000771`) or externalId (the WM id). */
  ticket(ref: string): SfycTicket | undefined;
  notes(): SfycNote[];
  workOrders(): SfycWorkOrder[];
  /** As a human in SFyC would. */
  setTicketStatus(ref: string, status: 'open' | 'resolved'): void;
  /** Later notes and resolves of it answer NOT_FOUND; an upsert creates it again. */
  deleteTicket(ref: string): void;
  /** A ticket that exists before the test (no checks, no violations). */
  seedTicket(externalId: string, fields: SfycFields, version?: number): SfycTicket;
}

export async function startSfycSimulator(options: SfycSimulatorOptions = {}): Promise<SfycSimulator> {
  const now = options.now ?? Date.now;
  const core = new SimCore({
    maxTicketsPerRequest: options.maxTicketsPerRequest ?? 50,
    latencyMs: options.latencyMs,
    now,
    random: options.random,
  });
  const store = new SfycStore(now);
  const tokens = new TokenRegistry(now);
  const initial: SfycCredentials = {
    clientId: options.clientId ?? 'tbe-sim-sfyc',
    clientSecret: options.clientSecret ?? 'tbe-sim-secret',
  };
  const settings: SfycTokenSettings = {
    credentials: { ...initial },
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    badCredentialsStatus: options.badCredentialsStatus ?? 401,
  };
  const reset = (): void => {
    store.reset();
    core.reset();
    settings.credentials = { ...initial };
    settings.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    tokens.revokeAll();
  };
  const find = (ref: string): SfycTicket | undefined => store.get(ref) ?? store.byExternalId(ref);
  const must = (ref: string): SfycTicket => {
    const found = find(ref);
    if (!found) throw new Error(`SFyC simulator: no ticket ${ref}`);
    return found;
  };
  const holder: { sim?: SfycSimulator } = {};
  const control = [
    ...commonControlRoutes(core, {
      reset,
      state: () => ({ tickets: store.tickets(), notes: store.notes(), workOrders: store.workOrders() }),
      revokeTokens: () => tokens.revokeAll(),
    }),
    ...sfycControlRoutes(() => holder.sim as SfycSimulator),
  ];
  const server = await startSimServer(options, {
    core,
    platform: sfycPlatform(options.basePath ?? '/api', tokens),
    routes: sfycRoutes(core, store, tokens, settings),
    control,
  });
  const sim: SfycSimulator = {
    ...simulatorBase(core, server, reset),
    credentials: () => ({ ...settings.credentials }),
    setCredentials: (c) => Object.assign(settings.credentials, c),
    setTokenTtlSeconds: (s) => (settings.tokenTtlSeconds = s),
    revokeTokens: () => tokens.revokeAll(),
    tickets: () => structuredClone(store.tickets()),
    ticket: (ref) => structuredClone(find(ref)),
    notes: () => structuredClone(store.notes()),
    workOrders: () => structuredClone(store.workOrders()),
    setTicketStatus: (ref, status) => {
      const ticket = must(ref);
      ticket.fields.status = status;
      store.touch(ticket);
    },
    deleteTicket: (ref) => {
      store.delete(must(ref).id);
    },
    seedTicket: (externalId, fields, version = 1) =>
      structuredClone(store.create(externalId, version, fields)),
  };
  holder.sim = sim;
  return sim;
}

function sfycPlatform(basePath: string, tokens: TokenRegistry): PlatformBehaviour {
  return {
    name: 'sfyc',
    basePath,
    errorBody: (status, message) => sfycError(status, message),
    authenticate: (req) => sfycAuthenticate(req, tokens),
    invalidEnvelope: { results: 'unavailable', items: 7, next: false },
  };
}
