import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../keys.ts';
import type { Platform } from '../platforms.ts';
import { luaSource } from './scripts.ts';
import {
  SETTING_NAMES,
  settingRange,
  type SettingName,
  type Settings,
  type SettingsWithSource,
} from '../settings.ts';

type Client = Redis | Cluster;

/**
 * Run-time settings and the platform's rate limit, in Redis so that every replica sees them
 * (each reads them every `settingsRefreshMs`) and they survive restarts.
 */
export class SettingsStore {
  readonly #redis: Client;
  readonly #keys: Keys;

  constructor(redis: Client, keys: Keys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** The values operators set at run time (validated on write; out-of-range stored values are ignored). */
  async runtime(platform: Platform): Promise<Partial<Settings>> {
    const hash = await this.#redis.hgetall(this.#keys.settings(platform));
    const out: Partial<Settings> = {};
    for (const name of SETTING_NAMES) {
      const value = Number(hash[name]);
      const { min, max } = settingRange(platform, name);
      if (hash[name] !== undefined && Number.isInteger(value) && value >= min && value <= max)
        out[name] = value;
    }
    return out;
  }

  async setRuntime(platform: Platform, patch: Partial<Settings>): Promise<void> {
    const fields = Object.entries(patch).flatMap(([name, value]) => [name, String(value)]);
    if (fields.length > 0) await this.#redis.hset(this.#keys.settings(platform), ...fields);
  }

  /** Run-time values win over the environment's starting values. */
  async effective(platform: Platform, start: SettingsWithSource): Promise<SettingsWithSource> {
    return mergeSettings(start, await this.runtime(platform));
  }

  /** Until when (ms epoch) the platform asked us to wait, or undefined. */
  async rateLimitedUntil(platform: Platform): Promise<number | undefined> {
    const value = await this.#redis.get(this.#keys.rateLimit(platform));
    const until = Number(value);
    return value !== null && until > Date.now() ? until : undefined;
  }

  /** Makes every replica wait until `untilMs`; an earlier limit never shortens a later one. */
  async setRateLimit(platform: Platform, untilMs: number): Promise<void> {
    const ttlMs = Math.max(1, untilMs - Date.now());
    await this.#redis.eval(
      luaSource('rate-limit-extend'),
      1,
      this.#keys.rateLimit(platform),
      String(untilMs),
      String(ttlMs),
    );
  }
}

export function mergeSettings(start: SettingsWithSource, runtime: Partial<Settings>): SettingsWithSource {
  const merged = { ...start };
  for (const name of SETTING_NAMES) {
    const value = runtime[name];
    if (value !== undefined) merged[name] = { value, source: 'runtime' };
  }
  return merged;
}

export function settingValues(settings: SettingsWithSource): Settings {
  return Object.fromEntries(
    SETTING_NAMES.map((name: SettingName) => [name, settings[name].value]),
  ) as Settings;
}
