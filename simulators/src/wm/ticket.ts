/** The WM ticket as wm-feed.md describes it (the simulator's own reading of the contract). */
export const WM_PLATFORMS = ['cherwell', 'sfyc'] as const;
export type WmPlatform = (typeof WM_PLATFORMS)[number];

export const ENTITY_TYPES = ['SNR Upstream', 'US Service Group', 'DS Service Group'] as const;
export const ALARM_TYPES = ['Falla de Linea', 'SNR'] as const;
export const SEVERITIES = ['critical', 'major', 'minor'] as const;

export interface WmTicket {
  id: string;
  version: number;
  state: 'open' | 'completed';
  entity: string;
  entityType: (typeof ENTITY_TYPES)[number];
  alarmType: (typeof ALARM_TYPES)[number];
  severity: (typeof SEVERITIES)[number];
  alarmCount: number;
  region?: string;
  subregion?: string;
  branchId?: string;
  summary: string;
  details: string;
  receivedAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface WmChange {
  seq: number;
  platforms: WmPlatform[];
  ticket: WmTicket;
}

/** ISO-8601 UTC to the second, as in the contract's examples. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
