import type { Ticket } from '@tbe/shared';
import { describe, expect, test } from 'vitest';
import {
  createOp,
  noteOp,
  resolveOp,
  resultError,
  updateOp,
  workOrderRequest,
  writeBackOp,
} from './mapper.ts';
import { aTicket } from '@tbe/shared/testing';

const TICKET: Ticket = aTicket({
  version: 3,
  entityType: 'SNR Upstream',
  severity: 'critical',
  region: undefined,
  updatedAt: '2026-11-26T09:05:00Z',
});

describe('sfyc mapper', () => {
  test('when a ticket is created, then priority and alarmCount are integers and the status is set', () => {
    expect(createOp(TICKET, false)).toEqual({
      op: 'upsert',
      externalId: 'WM-1',
      version: 3,
      fields: {
        summary: 'SNR low',
        details: 'SNR 18 dB',
        priority: 1,
        entity: 'GDL-NODO-0042/US-3',
        entityType: 'SNR Upstream',
        alarmType: 'SNR',
        alarmCount: 17,
        region: '',
        branchId: 'GDL-01',
        status: 'open',
      },
    });
    expect(createOp(TICKET, true)).toMatchObject({ fields: { status: 'resolved' } });
  });

  test('when a ticket is updated or written back, then the status is left out and the version sent', () => {
    expect(updateOp(TICKET)).toMatchObject({ op: 'upsert', version: 3 });
    expect(updateOp(TICKET)).not.toHaveProperty('fields.status');
    expect(writeBackOp(TICKET, 'OT-1')).toMatchObject({ version: 3, fields: { workOrder: 'OT-1' } });
    expect(writeBackOp(TICKET, 'OT-1')).not.toHaveProperty('fields.status');
    expect(resolveOp(TICKET)).toEqual({ op: 'resolve', externalId: 'WM-1', version: 3 });
  });

  test('when a note or work order is asked for, then it names the host and the WM ticket, the note keyed by its version', () => {
    expect(noteOp('SF-1', TICKET, 'text')).toEqual({
      op: 'note',
      id: 'SF-1',
      externalId: 'WM-1',
      noteKey: `WM-1:v${TICKET.version}`,
      text: 'text',
    });
    expect(workOrderRequest('SF-1', TICKET)).toEqual({
      ticketId: 'SF-1',
      externalId: 'WM-1',
      title: '[WM WM-1] SNR low',
      details: 'SNR 18 dB',
    });
  });

  test('when a result failed, then its code is kept and it is retryable only if every error is', () => {
    const lock = { code: 'LOCKED', message: 'busy', retryable: true };
    const invalid = { code: 'FIELD_INVALID', field: 'summary', message: 'too long', retryable: false };
    expect(resultError({ success: false, errors: [lock] })).toMatchObject({
      code: 'LOCKED',
      retryable: true,
    });
    expect(resultError({ success: false, errors: [invalid, lock] })).toMatchObject({
      code: 'FIELD_INVALID',
      retryable: false,
      message: 'summary: too long; busy',
    });
  });
});
