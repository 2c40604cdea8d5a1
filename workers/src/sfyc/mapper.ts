import { ItemError, type Ticket } from '@tbe/shared';
import { priorityOf, workOrderTitle } from '../flow/texts.ts';
import type { Operation, Result, TicketFields, WorkOrderRequest } from './schema.ts';

// Pure mapping between WM tickets and SFyC operations and results.

export function ticketFields(ticket: Ticket): TicketFields {
  return {
    summary: ticket.summary,
    details: ticket.details,
    priority: priorityOf(ticket.severity),
    entity: ticket.entity,
    entityType: ticket.entityType,
    alarmType: ticket.alarmType,
    alarmCount: ticket.alarmCount,
    // Absent means none: an empty value clears what an earlier version wrote (upserts merge).
    region: ticket.region ?? '',
    branchId: ticket.branchId ?? '',
  };
}

/** Create (open, or resolved when first seen completed): an upsert keyed by the WM id. */
export function createOp(ticket: Ticket, resolved: boolean): Operation {
  return {
    op: 'upsert',
    externalId: ticket.id,
    version: ticket.version,
    fields: { ...ticketFields(ticket), status: resolved ? 'resolved' : 'open' },
  };
}

/** An update leaves `status` out: upserts merge, so the status is kept. */
export function updateOp(ticket: Ticket): Operation {
  return { op: 'upsert', externalId: ticket.id, version: ticket.version, fields: ticketFields(ticket) };
}

/** The OT number, with the ticket's content: a newer version waiting is applied in passing. */
export function writeBackOp(ticket: Ticket, workOrder: string): Operation {
  return {
    op: 'upsert',
    externalId: ticket.id,
    version: ticket.version,
    fields: { ...ticketFields(ticket), workOrder },
  };
}

export function resolveOp(ticket: Ticket): Operation {
  return { op: 'resolve', externalId: ticket.id, version: ticket.version };
}

/** `<wmId>:v<version>`: SFyC applies a note once per key and ticket, so a repeat is safe (sfyc.md). */
export function noteKey(ticket: Pick<Ticket, 'id' | 'version'>): string {
  return `${ticket.id}:v${ticket.version}`;
}

/** A note on `hostId`, named by the WM ticket it comes from, keyed by its version. */
export function noteOp(hostId: string, ticket: Ticket, text: string): Operation {
  return { op: 'note', id: hostId, externalId: ticket.id, noteKey: noteKey(ticket), text };
}

export function workOrderRequest(ticketId: string, ticket: Ticket): WorkOrderRequest {
  return { ticketId, externalId: ticket.id, title: workOrderTitle(ticket), details: ticket.details };
}

/**
 * A failed result as an ItemError: the first error's code; retryable only when every error is
 * (a permanent one among them cannot be fixed by retrying; no reason given is retried).
 */
export function resultError(result: Result): ItemError {
  const errors = result.errors ?? [];
  const first = errors[0];
  const message = errors.map((e) => [e.field, e.message ?? e.code].filter(Boolean).join(': ')).join('; ');
  return new ItemError(
    // One vocabulary with Cherwell: a ticket that is gone is RECORD_NOT_FOUND on both.
    first?.code === 'NOT_FOUND' ? 'RECORD_NOT_FOUND' : (first?.code ?? 'FAILED'),
    message || 'SFyC refused the operation',
    errors.every((e) => e.retryable),
  );
}

export function isOpenStatus(status: string | null | undefined): boolean {
  return status !== 'resolved' && status !== 'closed';
}
