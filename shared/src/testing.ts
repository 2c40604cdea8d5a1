import type { Ticket } from './ticket.ts';

/**
 * A valid WM ticket for tests, the one ticket literal of the repository: give only what a test
 * is about. Tests that must not meet each other's open tickets pass a unique `id` and `entity`.
 */
export function aTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'WM-1',
    version: 1,
    state: 'open',
    entity: 'GDL-NODO-0042/US-3',
    entityType: 'US Service Group',
    alarmType: 'SNR',
    severity: 'major',
    alarmCount: 17,
    region: 'Occidente',
    branchId: 'GDL-01',
    summary: 'SNR low',
    details: 'SNR 18 dB',
    receivedAt: '2026-11-26T09:00:00Z',
    updatedAt: '2026-11-26T09:00:00Z',
    completedAt: null,
    ...overrides,
  };
}
