import { afterAll, expect, test } from 'vitest';
import { createKeys, TicketRecords } from '@tbe/shared';
import { CreateClaims, type Claim } from '@tbe/workers/flow/claims';
import { deletePrefix, testRedis, uniquePrefix } from '../index.ts';

const redis = testRedis();
const prefix = uniquePrefix('gate');
const keys = createKeys(prefix);
afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const correlation = 'SITE-7|POWER';
const group = (...members: string[]): Claim => ({ correlation, owner: members[0]!, members });
const pending = keys.pendingCreates('cherwell', correlation);
const claim = keys.createClaim('cherwell', correlation);

test('when the pending set decides, then its oldest creates without a claim and every other ticket only notes or waits', async () => {
  const claims = new CreateClaims(redis, new TicketRecords(redis, keys, 1), 'cherwell', 10_000);
  await redis.zadd(pending, 1, 'WM:A', 2, 'WM:B');

  // The oldest pending ticket's group goes without taking a claim.
  expect(await claims.gate([group('WM:A')])).toEqual([{ kind: 'create', claimed: false }]);
  expect(await redis.exists(claim)).toBe(0);
  // A younger one, in another batch or replica, may only note (into a ticket it finds).
  expect(await claims.gate([group('WM:B')])).toEqual([{ kind: 'note' }]);
  // A retry from the dead letters (not in the set) may not create while A waits either.
  expect(await claims.gate([group('WM:R')])).toEqual([{ kind: 'note' }]);

  // A got its platform ticket: it no longer holds the others back.
  await redis.hset(keys.state('cherwell', 'WM:A'), 'platformId', 'P-1');
  expect(await claims.gate([group('WM:B')])).toEqual([{ kind: 'create', claimed: false }]);
  expect(await redis.zrange(pending, 0, -1)).toEqual(['WM:B']);
});

test('when no ticket of the group is pending, then it takes the claim, and every gate respects it until released', async () => {
  const claims = new CreateClaims(redis, new TicketRecords(redis, keys, 1), 'cherwell', 10_000);
  await redis.del(pending, claim);

  expect(await claims.gate([group('WM:R1')])).toEqual([{ kind: 'create', claimed: true }]);
  expect(await redis.get(claim)).toBe('WM:R1');
  // Another retried ticket of the entity waits; so does a new ticket that became the oldest pending.
  expect(await claims.gate([group('WM:R2')])).toEqual([{ kind: 'wait' }]);
  await redis.zadd(pending, 5, 'WM:N');
  expect(await claims.gate([group('WM:N')])).toEqual([{ kind: 'wait' }]);
  // The holder again (a repeat after a crash) while nothing older is pending: still its claim.
  await redis.zrem(pending, 'WM:N');
  expect(await claims.gate([group('WM:R1')])).toEqual([{ kind: 'create', claimed: true }]);
  await claims.release([group('WM:R1')]);
  expect(await redis.exists(claim)).toBe(0);

  // A holder's repeat that finds an older ticket pending only notes, and frees its claim for it.
  await redis.set(claim, 'WM:R1');
  await redis.zadd(pending, 5, 'WM:N');
  expect(await claims.gate([group('WM:R1')])).toEqual([{ kind: 'note' }]);
  expect(await redis.exists(claim)).toBe(0);
  expect(await claims.gate([group('WM:N')])).toEqual([{ kind: 'create', claimed: false }]);
});

test('when one group of a batch cannot be gated, then the claims the others took are freed and the batch fails', async () => {
  const claims = new CreateClaims(redis, new TicketRecords(redis, keys, 1), 'cherwell', 10_000);
  await redis.del(pending, claim);
  const broken = 'SITE-9|POWER';
  // Not a sorted set: the gate script of this group fails (WRONGTYPE).
  await redis.set(keys.pendingCreates('cherwell', broken), 'damaged');

  await expect(
    claims.gate([group('WM:R1'), { correlation: broken, owner: 'WM:X', members: ['WM:X'] }]),
  ).rejects.toThrow(/WRONGTYPE/);
  expect(await redis.exists(claim)).toBe(0);
  expect(await claims.gate([group('WM:R2')])).toEqual([{ kind: 'create', claimed: true }]);
});

test('when the oldest pending ticket died without a platform ticket, then it no longer holds its entity back', async () => {
  const claims = new CreateClaims(redis, new TicketRecords(redis, keys, 1), 'cherwell', 10_000);
  await redis.del(pending, claim);
  // WM:D died at its create (as where its entity changed later, so no settle reached this set).
  await redis.zadd(pending, 1, 'WM:D', 2, 'WM:Y');
  await redis.hset(keys.state('cherwell', 'WM:D'), 'deadOperation', 'create', 'deadVersion', '1');
  expect(await claims.gate([group('WM:Y')])).toEqual([{ kind: 'create', claimed: false }]);
  expect(await redis.zrange(pending, 0, -1)).toEqual(['WM:Y']);
});
