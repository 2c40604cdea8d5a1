import { simulatorBase } from '../common/api.ts';
import type { SimulatorBase } from '../common/api.ts';
import { commonControlRoutes } from '../common/control.ts';
import { SimCore } from '../common/core.ts';
import type { PlatformBehaviour } from '../common/route.ts';
import { startSimServer } from '../common/server.ts';
import type { ListenOptions } from '../common/server.ts';
import { TokenRegistry } from '../common/tokens.ts';
import { cherwellAuthenticate, isTokenPath, oauthErrorBody } from './auth.ts';
import type { AuthMode, CherwellCredentials, TokenSettings } from './auth.ts';
import { INCIDENT, NOTE, STATUSES, WORK_ORDER } from './busobs.ts';
import type { BusObName } from './busobs.ts';
import { cherwellControlRoutes } from './control.ts';
import { cherwellRoutes } from './routes.ts';
import { cherwellError, errorCodeFor } from './schema.ts';
import { CherwellStore } from './store.ts';
import type { CherwellRecord } from './store.ts';

export interface CherwellSimulatorOptions extends ListenOptions {
  /** Device address (default `/CherwellAPI`). */
  basePath?: string;
  clientId?: string;
  username?: string;
  password?: string;
  /** The auth_mode the user lives in (default `Internal`). */
  authMode?: AuthMode;
  /** Access token lifetime (default 1199, as Cherwell commonly answers). */
  tokenTtlSeconds?: number;
  /** Refresh token lifetime; default none (refresh tokens expire only by use or revocation). */
  refreshTokenTtlSeconds?: number;
  /** Default 50 (operations.md). */
  maxTicketsPerRequest?: number;
  latencyMs?: number;
  /** Group members (Journal - Note) also answer a summary by their own name (default false: `[]`, as real sites). */
  summaryMembersByName?: boolean;
  /** Templates add `fullFieldId` beside the short `fieldId` (default true, as newer versions). */
  templateFullFieldIds?: boolean;
  /** Fields the site requires, per business object (absent ones are answered fieldValidationErrors). */
  requiredFields?: Partial<Record<BusObName, string[]>>;
  now?: () => number;
  random?: () => number;
}

export type CherwellStatus = (typeof STATUSES)[number];

export interface CherwellSimulator extends SimulatorBase {
  credentials(): CherwellCredentials;
  setCredentials(credentials: Partial<CherwellCredentials>): void;
  setTokenTtlSeconds(seconds: number): void;
  /** Early expiry of every access token (and refresh token when asked): the next call gets 401. */
  revokeTokens(options?: { refreshTokens?: boolean }): void;
  busObIds(): { incident: string; note: string; workOrder: string };
  /** Field name -> field id, as the template answers them (the short form). */
  fieldIds(busOb: BusObName): Record<string, string>;
  setRequiredFields(busOb: BusObName, fields: string[]): void;
  incidents(): CherwellRecord[];
  notes(): CherwellRecord[];
  workOrders(): CherwellRecord[];
  /** By busObRecId, busObPublicId or WMTicketID. */
  incident(ref: string): CherwellRecord | undefined;
  /** As a human in Cherwell would (e.g. `Resolved`, `Assigned`). */
  setIncidentStatus(ref: string, status: CherwellStatus): void;
  /** Later updates of it answer RECORDNOTFOUND. */
  deleteIncident(ref: string): void;
  /** An incident created by a human (no checks, no violations). */
  seedIncident(fields: Record<string, string>): CherwellRecord;
}

export async function startCherwellSimulator(
  options: CherwellSimulatorOptions = {},
): Promise<CherwellSimulator> {
  const now = options.now ?? Date.now;
  const core = new SimCore({
    maxTicketsPerRequest: options.maxTicketsPerRequest ?? 50,
    latencyMs: options.latencyMs,
    now,
    random: options.random,
  });
  const store = new CherwellStore(now, options.requiredFields);
  store.membersByOwnName = options.summaryMembersByName ?? false;
  store.fullFieldIds = options.templateFullFieldIds ?? true;
  const tokens = new TokenRegistry(now);
  const initial: CherwellCredentials = {
    clientId: options.clientId ?? 'tbe-sim-client',
    username: options.username ?? 'tbe',
    password: options.password ?? 'tbe-sim-password',
    authMode: options.authMode ?? 'Internal',
  };
  const settings: TokenSettings = {
    credentials: { ...initial },
    tokenTtlSeconds: options.tokenTtlSeconds ?? 1199,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? null,
  };
  const reset = (): void => {
    store.reset();
    core.reset();
    for (const def of store.defs) store.setRequired(def.name, options.requiredFields?.[def.name] ?? []);
    settings.credentials = { ...initial };
    settings.tokenTtlSeconds = options.tokenTtlSeconds ?? 1199;
    // Old tokens get 401 but are no client fault: the client could not know.
    tokens.revokeAll(['access', 'refresh']);
  };
  const must = (ref: string): CherwellRecord => {
    const found = store.findIncident(ref);
    if (!found) throw new Error(`Cherwell simulator: no incident ${ref}`);
    return found;
  };
  const copy = (records: CherwellRecord[]): CherwellRecord[] => records.map((r) => structuredClone(r));
  // The control routes call the simulator object, which exists only once the server listens.
  const holder: { sim?: CherwellSimulator } = {};
  const control = [
    ...commonControlRoutes(core, {
      reset,
      state: () => ({
        incidents: store.records(INCIDENT),
        notes: store.records(NOTE),
        workOrders: store.records(WORK_ORDER),
      }),
    }),
    ...cherwellControlRoutes(() => holder.sim as CherwellSimulator),
  ];
  const server = await startSimServer(options, {
    core,
    platform: cherwellPlatform(options.basePath ?? '/CherwellAPI', tokens),
    routes: cherwellRoutes(core, store, tokens, settings),
    control,
  });
  const sim: CherwellSimulator = {
    ...simulatorBase(core, server, reset),
    credentials: () => ({ ...settings.credentials }),
    setCredentials: (c) => Object.assign(settings.credentials, c),
    setTokenTtlSeconds: (s) => (settings.tokenTtlSeconds = s),
    revokeTokens: (o) => tokens.revokeAll(o?.refreshTokens === true ? ['access', 'refresh'] : ['access']),
    busObIds: () => ({
      incident: store.def(INCIDENT).busObId,
      note: store.def(NOTE).busObId,
      workOrder: store.def(WORK_ORDER).busObId,
    }),
    fieldIds: (busOb) => Object.fromEntries(store.def(busOb).fields.map((f) => [f.name, f.shortId])),
    setRequiredFields: (busOb, fields) => store.setRequired(busOb, fields),
    incidents: () => copy(store.records(INCIDENT)),
    notes: () => copy(store.records(NOTE)),
    workOrders: () => copy(store.records(WORK_ORDER)),
    incident: (ref) => {
      const found = store.findIncident(ref);
      return found ? structuredClone(found) : undefined;
    },
    setIncidentStatus: (ref, status) => store.update(must(ref), { Status: status }),
    deleteIncident: (ref) => {
      store.delete(INCIDENT, must(ref).busObRecId);
    },
    seedIncident: (fields) => structuredClone(store.create(INCIDENT, fields)),
  };
  holder.sim = sim;
  return sim;
}

function cherwellPlatform(basePath: string, tokens: TokenRegistry): PlatformBehaviour {
  return {
    name: 'cherwell',
    basePath,
    // IIS: paths are case-insensitive.
    caseInsensitivePaths: true,
    // The token endpoint answers every error in the OAuth shape (cherwell.md), the API Cherwell's own.
    errorBody: (status, message, path) =>
      isTokenPath(path) ? oauthErrorBody(status, message) : cherwellError(message, errorCodeFor(status)),
    authenticate: (req) => cherwellAuthenticate(req, tokens),
    invalidEnvelope: { responses: 'unavailable', businessObjects: 17, hasError: 'maybe' },
  };
}
