import type { Operation, PlatformState, Ticket } from '@tbe/shared';

/**
 * The next operation that brings the platform ticket to the latest WM version, or undefined
 * when it is there (operations.md, "What happens to a ticket"):
 * - never seen: `create` (which looks the ticket up, notes into an open one, or creates it);
 * - noted into another WM ticket's platform ticket: every new version is a `note`;
 * - own ticket created open: `workOrder`, then `writeBack` (which also carries the latest open
 *   version's fields), then `update` or `resolve` for each newer version.
 */
export function nextOperation(ticket: Ticket, state: PlatformState): Operation | undefined {
  if (state.platformId === undefined) return 'create';
  if (state.mode === 'noted') return state.version < ticket.version ? 'note' : undefined;
  if (!state.createdResolved && state.workOrder === undefined) return 'workOrder';
  if (state.workOrder !== undefined && !state.writtenBack) return 'writeBack';
  if (state.version < ticket.version) return ticket.state === 'completed' ? 'resolve' : 'update';
  return undefined;
}
