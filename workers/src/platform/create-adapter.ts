import type { Config, Platform } from '@tbe/shared';
import { createCherwellAdapter } from '../cherwell/adapter.ts';
import type { AdapterOptions } from '../http/options.ts';
import { createSfycAdapter } from '../sfyc/adapter.ts';
import type { PlatformAdapter } from './adapter.ts';

export type { AdapterOptions } from '../http/options.ts';

/** The adapter of one platform; its configuration must be present (loadConfig checks that). */
export function createAdapter(
  platform: Platform,
  config: Pick<Config, 'cherwell' | 'sfyc'>,
  options: AdapterOptions,
): PlatformAdapter {
  switch (platform) {
    case 'cherwell':
      if (!config.cherwell) throw new Error('cherwell is not configured (CHERWELL_URL and its credentials)');
      return createCherwellAdapter(config.cherwell, options);
    case 'sfyc':
      if (!config.sfyc) throw new Error('sfyc is not configured (SFYC_URL and its credentials)');
      return createSfycAdapter(config.sfyc, options);
  }
}
