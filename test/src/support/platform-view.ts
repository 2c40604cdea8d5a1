import type { Platform } from '@tbe/shared';
import type { SimulatorBase } from '@tbe/simulators';
import type { Stack } from './stack.ts';

/**
 * One question asked of either platform simulator, so that delivery tests run unchanged
 * against Cherwell and SFyC.
 */
export interface PlatformView {
  platform: Platform;
  sim: SimulatorBase;
  /** Platform tickets created for this WM ticket (its own, not notes). */
  ticketsOf(wmTicketId: string): number;
  ticketCount(): number;
  /** The WM version stored on the platform ticket. */
  versionOf(wmTicketId: string): number | undefined;
  /** Every platform ticket's WM version by WM id, in one look (cheap to poll). */
  versions(): Map<string, number>;
  /** The OT number written onto the platform ticket. */
  workOrderOf(wmTicketId: string): string | undefined;
  workOrderCount(): number;
  resolved(wmTicketId: string): boolean;
  /** Texts of the notes on the platform ticket of this WM ticket. */
  notesOn(wmTicketId: string): string[];
  setTokenTtlSeconds(seconds: number): void;
  revokeTokens(): void;
  breakCredentials(): void;
  /** The path (suffix) of the request that creates tickets. */
  createPath: string;
  /** The path (suffix) of the token request. */
  tokenPath: string;
}

export function platformView(stack: Stack, platform: Platform): PlatformView {
  switch (platform) {
    case 'cherwell': {
      const sim = stack.cherwell;
      const own = (id: string) => sim.incidents().filter((incident) => incident.fields.WMTicketID === id);
      return {
        platform,
        sim,
        ticketsOf: (id) => own(id).length,
        ticketCount: () => sim.incidents().length,
        versionOf: (id) => (own(id)[0] ? Number(own(id)[0]?.fields.WMVersion) : undefined),
        versions: () =>
          new Map(
            sim
              .incidents()
              .map((incident) => [incident.fields.WMTicketID ?? '', Number(incident.fields.WMVersion)]),
          ),
        workOrderOf: (id) => own(id)[0]?.fields.WorkOrderNumber || undefined,
        workOrderCount: () => sim.workOrders().length,
        resolved: (id) => own(id)[0]?.fields.Status === 'Resolved',
        notesOn: (id) => {
          const recId = own(id)[0]?.busObRecId;
          return sim
            .notes()
            .filter((note) => note.fields.ParentRecID === recId)
            .map((note) => note.fields.Details ?? '');
        },
        setTokenTtlSeconds: (seconds) => sim.setTokenTtlSeconds(seconds),
        revokeTokens: () => sim.revokeTokens(),
        breakCredentials: () => sim.setCredentials({ password: 'changed-by-an-admin' }),
        createPath: 'savebusinessobjectbatch',
        tokenPath: '/token',
      };
    }
    case 'sfyc': {
      const sim = stack.sfyc;
      const own = (id: string) => sim.tickets().filter((ticket) => ticket.externalId === id);
      return {
        platform,
        sim,
        ticketsOf: (id) => own(id).length,
        ticketCount: () => sim.tickets().length,
        versionOf: (id) => own(id)[0]?.version,
        versions: () => new Map(sim.tickets().map((ticket) => [ticket.externalId, ticket.version])),
        workOrderOf: (id) => (own(id)[0]?.fields.workOrder as string | undefined) || undefined,
        workOrderCount: () => sim.workOrders().length,
        resolved: (id) => own(id)[0]?.fields.status === 'resolved',
        notesOn: (id) => {
          const ticketId = own(id)[0]?.id;
          return sim
            .notes()
            .filter((note) => note.ticketId === ticketId)
            .map((note) => note.text);
        },
        setTokenTtlSeconds: (seconds) => sim.setTokenTtlSeconds(seconds),
        revokeTokens: () => sim.revokeTokens(),
        breakCredentials: () => sim.setCredentials({ clientSecret: 'rotated-by-an-admin' }),
        createPath: '/v1/tickets/batch',
        tokenPath: '/oauth/token',
      };
    }
  }
}
