import { describe, expect, test } from 'vitest';
import { EMPTY_STATE, type PlatformState, type Ticket } from '@tbe/shared';
import { aTicket } from '@tbe/shared/testing';
import { nextOperation } from './next-operation.ts';

const ticket = (version: number, state: Ticket['state'] = 'open'): Ticket =>
  aTicket({ version, state, completedAt: state === 'completed' ? '2026-11-26T10:00:00Z' : null });
const own = (patch: Partial<PlatformState>): PlatformState => ({
  ...EMPTY_STATE,
  mode: 'own',
  platformId: 'P',
  ...patch,
});

describe('nextOperation', () => {
  test('when the ticket was never seen on the platform, then create', () => {
    expect(nextOperation(ticket(1), EMPTY_STATE)).toBe('create');
    expect(nextOperation(ticket(4, 'completed'), EMPTY_STATE)).toBe('create');
  });

  test('when an own ticket was created open, then work order, write-back, then nothing', () => {
    expect(nextOperation(ticket(1), own({ version: 1 }))).toBe('workOrder');
    expect(nextOperation(ticket(1), own({ version: 1, workOrder: 'OT-1' }))).toBe('writeBack');
    expect(
      nextOperation(ticket(1), own({ version: 1, workOrder: 'OT-1', writtenBack: true })),
    ).toBeUndefined();
  });

  test('when a newer version waits, then update, or resolve when it is completed', () => {
    const done = own({ version: 1, workOrder: 'OT-1', writtenBack: true });
    expect(nextOperation(ticket(3), done)).toBe('update');
    expect(nextOperation(ticket(3, 'completed'), done)).toBe('resolve');
  });

  test('when a lower or equal version is all there is, then nothing (never backwards)', () => {
    const done = own({ version: 5, workOrder: 'OT-1', writtenBack: true });
    expect(nextOperation(ticket(5), done)).toBeUndefined();
    expect(nextOperation(ticket(4), done)).toBeUndefined();
  });

  test('when the ticket was created already resolved, then it gets no work order', () => {
    expect(nextOperation(ticket(2, 'completed'), own({ version: 2, createdResolved: true }))).toBeUndefined();
  });

  test('when the WM ticket was noted into another, then each newer version is a note', () => {
    const noted = { ...EMPTY_STATE, mode: 'noted' as const, platformId: 'HOST', version: 2 };
    expect(nextOperation(ticket(3), noted)).toBe('note');
    expect(nextOperation(ticket(4, 'completed'), noted)).toBe('note');
    expect(nextOperation(ticket(2), noted)).toBeUndefined();
  });
});
