import { expect, test } from 'vitest';
import { EMPTY_STATE, parsePlatformState, readOwnPlatformState, stateFields } from './platform-state.ts';

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

test('when the worker reads a hash the product wrote, then it reads what the validating reader reads', () => {
  const hashes: Record<string, string>[] = [
    {},
    { state: 'queued' },
    {
      state: 'error',
      updatedAt: '1700000000000',
      ...stateFields({
        mode: 'noted',
        platformId: 'P-1',
        workOrder: undefined,
        writtenBack: false,
        createdResolved: true,
        version: 7,
        workOrderUnknown: true,
        attempts: { create: 3 },
        errors: [{ attempt: 3, at: '2026-11-26T09:40:05Z', code: 'HTTP_500', message: 'boom' }],
        lastError: { code: 'HTTP_500', message: 'boom' },
        deadOperation: 'create',
        deadVersion: 7,
        outcome: undefined,
      }),
    },
    { state: 'created', ...stateFields({ outcome: undefined, deadOperation: undefined, lastError: null }) },
  ];
  for (const hash of hashes) expect(readOwnPlatformState(hash)).toEqual(parsePlatformState(hash));
});

test('when a state hash is damaged, then the worker reader throws as the validating one does (it never reads as nothing to send)', () => {
  const good = { state: 'created', mode: 'own', platformId: 'P-1', version: '5' };
  const damaged = [
    { ...good, version: 'x' },
    { ...good, deadVersion: '1.5' },
    { ...good, state: 'creatd' },
    { ...good, mode: 'mine' },
    { ...good, deadOperation: 'explode' },
    { ...good, updatedAt: 'yesterday' },
  ];
  expect(readOwnPlatformState(good).version).toBe(5);
  for (const hash of damaged) {
    expect(() => parsePlatformState(hash)).toThrow();
    expect(() => readOwnPlatformState(hash)).toThrow();
  }
});
