import type { CherwellConfig } from '@tbe/shared';
import type { AdapterOptions } from '../http/options.ts';
import { createCherwellClient } from './client.ts';
import { BUSOB_ROLES, type BusObRole } from './fields.ts';
import { describeResolution, resolveBusOb, type BusObResolution } from './resolve.ts';

/** One configured business object, as `tbe check` reports it. */
export type CherwellBusObCheck = {
  role: BusObRole;
  /** The setting that names it (`CHERWELL_NOTE_BUSOB`). */
  variable: string;
  /** Its value: a name or a busObId. */
  configured: string;
} & (
  | {
      ok: true;
      resolution: BusObResolution;
      /** "resolved directly", "via group Journal", "used as id". */ description: string;
    }
  | { ok: false; error: Error }
);

/**
 * Resolves the three business objects exactly as the Cherwell worker does at start-up, each on
 * its own (one failing does not hide the others), and says how each was found. For `tbe check`:
 * it authenticates, makes the summary lookups, and closes its connections.
 */
export async function checkCherwellBusObs(
  config: CherwellConfig,
  options: AdapterOptions,
): Promise<CherwellBusObCheck[]> {
  const client = createCherwellClient(config, options);
  try {
    const checks: CherwellBusObCheck[] = [];
    for (const role of Object.keys(BUSOB_ROLES) as BusObRole[]) {
      const { defaultName, variable } = BUSOB_ROLES[role];
      const configured = config.busObs[role];
      try {
        const resolution = await resolveBusOb(client, configured, defaultName, variable);
        checks.push({
          role,
          variable,
          configured,
          ok: true,
          resolution,
          description: describeResolution(resolution),
        });
      } catch (error) {
        checks.push({
          role,
          variable,
          configured,
          ok: false,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      }
    }
    return checks;
  } finally {
    await client.close();
  }
}
