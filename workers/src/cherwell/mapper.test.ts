import type { Ticket } from '@tbe/shared';
import { describe, expect, test } from 'vitest';
import type { CherwellIds } from './fields.ts';
import {
  createValues,
  isOpenStatus,
  parseVersion,
  resolveValues,
  rowValue,
  saveRequest,
  updateValues,
  writeBackValues,
} from './mapper.ts';
import { aTicket } from '@tbe/shared/testing';

const TICKET: Ticket = aTicket({
  id: 'WM-20261126-000123',
  version: 3,
  entityType: 'SNR Upstream',
  branchId: undefined,
  updatedAt: '2026-11-26T09:05:00Z',
});

const fieldIds = (names: string[]) => Object.fromEntries(names.map((n) => [n, `FI:${n}`]));
const IDS = {
  incident: {
    name: 'Incident',
    busObId: 'inc',
    fieldIds: fieldIds([
      'WMTicketID',
      'WMVersion',
      'ShortDescription',
      'Description',
      'Priority',
      'Status',
      'NetworkEntity',
      'EntityType',
      'AlarmType',
      'AlarmCount',
      'Region',
      'Branch',
      'WorkOrderNumber',
    ]),
  },
  note: {
    name: 'Journal - Note',
    busObId: 'note',
    fieldIds: fieldIds(['ParentRecID', 'ParentTypeID', 'Details']),
  },
  workOrder: {
    name: 'Work Order',
    busObId: 'wo',
    fieldIds: fieldIds(['ParentRecID', 'ParentTypeID', 'Title', 'Details']),
  },
} as unknown as CherwellIds;

describe('cherwell mapper', () => {
  test('when a ticket is created, then every field is a string and Status is New', () => {
    const values = createValues(TICKET, false);
    expect(values).toMatchObject({
      WMTicketID: TICKET.id,
      WMVersion: '3',
      Priority: '2',
      AlarmCount: '17',
      Status: 'New',
      Branch: '',
    });
    expect(Object.values(values).every((v) => typeof v === 'string')).toBe(true);
    expect(createValues(TICKET, true).Status).toBe('Resolved');
  });

  test('when a ticket is updated, then Status is not sent and WMVersion is', () => {
    expect(updateValues(TICKET)).not.toHaveProperty('Status');
    expect(updateValues(TICKET).WMVersion).toBe('3');
    expect(writeBackValues(TICKET, 'OT-1')).toMatchObject({ WorkOrderNumber: 'OT-1', WMVersion: '3' });
    expect(writeBackValues(TICKET, 'OT-1')).not.toHaveProperty('Status');
    expect(resolveValues(TICKET).Status).toBe('Resolved');
  });

  test('when a save request targets a record, then the record id wins over the public id', () => {
    const request = saveRequest(IDS.incident, { Status: 'Resolved' }, { recId: 'r1', publicId: 'p1' });
    expect(request).toEqual({
      busObId: 'inc',
      busObRecId: 'r1',
      busObPublicId: '',
      persist: true,
      fields: [{ dirty: true, fieldId: 'FI:Status', name: 'Status', value: 'Resolved' }],
    });
    expect(saveRequest(IDS.incident, {}, { recId: undefined, publicId: 'p1' }).busObPublicId).toBe('p1');
    expect(saveRequest(IDS.incident, {})).toMatchObject({ busObRecId: '', busObPublicId: '' });
  });

  test('when a search row is read, then fields match by full or short id and empty is absent', () => {
    const row = {
      busObPublicId: '1',
      busObRecId: 'r',
      fields: [
        { fieldId: 'BO:inc,FI:abc', name: 'WMVersion', value: '4' },
        { fieldId: 'def', name: 'WorkOrderNumber', value: '' },
      ],
    };
    expect(rowValue(row, 'abc', 'x')).toBe('4');
    expect(rowValue(row, 'BO:inc,FI:def', 'WorkOrderNumber')).toBeUndefined();
    expect(parseVersion('4')).toBe(4);
    expect(parseVersion('x')).toBeUndefined();
  });

  test('when the status is Resolved or Closed, then the incident is not open', () => {
    expect(isOpenStatus('New')).toBe(true);
    expect(isOpenStatus('In Progress')).toBe(true);
    expect(isOpenStatus('Resolved')).toBe(false);
    expect(isOpenStatus('Closed')).toBe(false);
  });
});
