import type { Platform } from '@tbe/shared';
import { startCherwellSimulator, startSfycSimulator, type SimulatorBase } from '@tbe/simulators';
import { createCherwellAdapter } from '@tbe/workers/cherwell/adapter';
import type { AdapterOptions } from '@tbe/workers/platform/create-adapter';
import type { PlatformAdapter } from '@tbe/workers/platform/adapter';
import { createSfycAdapter } from '@tbe/workers/sfyc/adapter';
import { cherwellConfig, sfycConfig } from './fixtures.ts';

/** One platform's simulator and adapter behind the same handles, for tests both platforms share. */
export interface Rig {
  sim: SimulatorBase;
  adapter: PlatformAdapter;
  /** Values that must never show in errors or records. */
  secrets: string[];
  spoilCredentials(): void;
  restoreCredentials(): void;
  revokeTokens(): void;
  close(): Promise<void>;
}

export interface RigOptions extends Partial<AdapterOptions> {
  now?: () => number;
  tokenTtlSeconds?: number;
  requestTimeoutMs?: number;
}

export interface Harness {
  platform: Platform;
  tokenPath: string;
  /** The path a `create` goes to. */
  writePath: string;
  /** The path `findByWmIds` goes to. */
  searchPath: string;
  start(options?: RigOptions): Promise<Rig>;
}

const adapterOptions = (options: RigOptions): AdapterOptions => ({
  authRetryMs: 1000,
  maxInFlight: 4,
  ...options,
});

export const HARNESSES: Harness[] = [
  {
    platform: 'cherwell',
    tokenPath: '/token',
    writePath: '/api/V1/savebusinessobjectbatch',
    searchPath: '/api/V1/getsearchresults',
    start: async (options = {}) => {
      const sim = await startCherwellSimulator({
        now: options.now,
        tokenTtlSeconds: options.tokenTtlSeconds,
      });
      const config = cherwellConfig(
        sim,
        options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {},
      );
      const adapter = createCherwellAdapter(config, adapterOptions(options));
      const { password } = sim.credentials();
      return {
        sim,
        adapter,
        secrets: [config.password, config.clientId],
        spoilCredentials: () => sim.setCredentials({ password: 'not-the-password' }),
        restoreCredentials: () => sim.setCredentials({ password }),
        revokeTokens: () => sim.revokeTokens({ refreshTokens: true }),
        close: async () => {
          await adapter.close();
          await sim.close();
        },
      };
    },
  },
  {
    platform: 'sfyc',
    tokenPath: '/oauth/token',
    writePath: '/v1/tickets/batch',
    searchPath: '/v1/tickets/search',
    start: async (options = {}) => {
      const sim = await startSfycSimulator({ now: options.now, tokenTtlSeconds: options.tokenTtlSeconds });
      const config = sfycConfig(
        sim,
        options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {},
      );
      const adapter = createSfycAdapter(config, adapterOptions(options));
      const { clientSecret } = sim.credentials();
      return {
        sim,
        adapter,
        secrets: [config.clientSecret],
        spoilCredentials: () => sim.setCredentials({ clientSecret: 'not-the-secret' }),
        restoreCredentials: () => sim.setCredentials({ clientSecret }),
        revokeTokens: () => sim.revokeTokens(),
        close: async () => {
          await adapter.close();
          await sim.close();
        },
      };
    },
  },
];
