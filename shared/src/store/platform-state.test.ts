import { expect, test } from 'vitest';
import { EMPTY_STATE, parsePlatformState, stateFields } from './platform-state.ts';

test('when a state is written as fields and read back, then it is the same state', () => {
  const patch = {
    mode: 'own' as const,
    platformId: '102938',
    recId: 'rec-1',
    workOrder: 'OT-1',
    writtenBack: true,
    version: 3,
    attempts: { create: 1, workOrder: 2 },
    errors: [{ attempt: 1, at: '2026-11-26T09:40:05Z', code: 'HTTP_503', message: 'busy' }],
    lastError: { code: 'HTTP_503', message: 'busy' },
    outcome: 'created' as const,
  };
  const hash = { state: 'processing', updatedAt: '1700000000000', ...stateFields(patch) };
  expect(parsePlatformState(hash)).toEqual({
    ...EMPTY_STATE,
    ...patch,
    state: 'processing',
    updatedAtMs: 1_700_000_000_000,
  });
});

test('when fields are cleared, then they read as unset', () => {
  const hash = {
    state: 'created',
    ...stateFields({ outcome: undefined, deadOperation: undefined, lastError: null }),
  };
  const state = parsePlatformState(hash);
  expect(state.outcome).toBeUndefined();
  expect(state.deadOperation).toBeUndefined();
  expect(state.lastError).toBeNull();
});

test('when the hash is empty, then it is a ticket never seen', () => {
  expect(parsePlatformState({})).toBe(EMPTY_STATE);
});
