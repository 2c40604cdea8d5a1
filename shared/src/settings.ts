import { z } from 'zod';
import type { Platform } from './platforms.ts';

/**
 * The per-platform settings an operator may change at run time. The environment gives their
 * starting values; a value set at run time (admin API, CLI) wins and survives restarts.
 */
export const SETTING_NAMES = ['maxRetries', 'maxTicketsPerRequest', 'batchWaitMs', 'maxInFlight'] as const;
export type SettingName = (typeof SETTING_NAMES)[number];
export type SettingSource = 'default' | 'env' | 'runtime';
export type Settings = Record<SettingName, number>;
export type SettingsWithSource = Record<SettingName, { value: number; source: SettingSource }>;

interface SettingSpec {
  env: string;
  min: number;
  max: (platform: Platform) => number;
  defaultValue: number;
}

/** Ranges: `maxRetries` and `maxTicketsPerRequest` from operations.md; the other two are ours. */
export const SETTING_SPECS: Record<SettingName, SettingSpec> = {
  maxRetries: { env: 'MAX_RETRIES', min: 0, max: () => 20, defaultValue: 3 },
  // SFyC refuses more than 200 operations in one request (413); Cherwell documents no limit.
  maxTicketsPerRequest: {
    env: 'MAX_TICKETS_PER_REQUEST',
    min: 1,
    max: (platform) => (platform === 'sfyc' ? 200 : 1000),
    defaultValue: 50,
  },
  batchWaitMs: { env: 'BATCH_WAIT_MS', min: 0, max: () => 60_000, defaultValue: 100 },
  maxInFlight: { env: 'MAX_IN_FLIGHT', min: 1, max: () => 64, defaultValue: 4 },
};

export function settingRange(platform: Platform, name: SettingName): { min: number; max: number } {
  const spec = SETTING_SPECS[name];
  return { min: spec.min, max: spec.max(platform) };
}

/** Validates a partial settings change (admin API body); unknown keys are errors. */
export function settingsPatchSchema(platform: Platform) {
  const shape = Object.fromEntries(
    SETTING_NAMES.map((name) => {
      const { min, max } = settingRange(platform, name);
      const message = `expected an integer from ${min} to ${max}`;
      return [
        name,
        z
          .number({ error: message })
          .int({ error: message })
          .min(min, { error: message })
          .max(max, { error: message })
          .optional(),
      ];
    }),
  ) as Record<SettingName, z.ZodOptional<z.ZodNumber>>;
  return z
    .strictObject(shape)
    .refine((patch) => Object.keys(patch).length > 0, { error: 'name at least one setting' });
}
