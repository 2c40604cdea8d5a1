import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCherwellSimulator, type CherwellSimulator } from '@tbe/simulators';
import { createCherwellAdapter } from '@tbe/workers/cherwell/adapter';
import type { PlatformAdapter } from '@tbe/workers/platform/adapter';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { cherwellConfig, manualClock, requestsTo, wmTicket } from './fixtures.ts';

let sim: CherwellSimulator;
let adapter: PlatformAdapter;

beforeAll(async () => {
  sim = await startCherwellSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.reset();
  adapter = createCherwellAdapter(cherwellConfig(sim), { authRetryMs: 1000 });
  await adapter.init();
});
afterEach(async () => {
  await adapter.close();
  expect(sim.violations()).toEqual([]);
});

describe('cherwell ids', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tbe-fieldmap-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('when a field map file and busObIds are configured, then no name or template lookup is made', async () => {
    const file = join(dir, 'fields.json');
    const map = Object.fromEntries(
      (['Incident', 'Journal - Note', 'Work Order'] as const).map((name) => [name, sim.fieldIds(name)]),
    );
    await writeFile(file, JSON.stringify(map));
    const ids = sim.busObIds();
    const mapped = createCherwellAdapter(cherwellConfig(sim, { fieldMapFile: file, busObs: ids }), {
      authRetryMs: 1000,
    });
    sim.reset();
    try {
      await mapped.init();
      const ticket = wmTicket();
      expect((await mapped.create([{ ticket, resolved: false }]))[0]?.ok).toBe(true);
      expect(sim.incident(ticket.id)?.fields.ShortDescription).toBe(ticket.summary);
      const paths = sim.requests.map((r) => r.path.toLowerCase());
      expect(
        paths.some((p) => p.includes('getbusinessobjecttemplate') || p.includes('getbusinessobjectsummary')),
      ).toBe(false);
    } finally {
      await mapped.close();
    }
  });

  test('when ids are resolved from Cherwell, then it is once per business object', async () => {
    const paths = sim.requests.map((r) => r.path.toLowerCase());
    expect(paths.filter((p) => p.includes('getbusinessobjectsummary'))).toHaveLength(3);
    expect(paths.filter((p) => p.includes('getbusinessobjecttemplate'))).toHaveLength(3);
    await adapter.init();
    expect(sim.requests).toHaveLength(paths.length);
  });

  test('when the field map lacks a field, then init fails naming it', async () => {
    const file = join(dir, 'partial.json');
    const { WMVersion: _dropped, ...incident } = sim.fieldIds('Incident');
    await writeFile(file, JSON.stringify({ Incident: incident }));
    const mapped = createCherwellAdapter(cherwellConfig(sim, { fieldMapFile: file }), { authRetryMs: 1000 });
    try {
      await expect(mapped.init()).rejects.toThrow(/WMVersion/);
    } finally {
      await mapped.close();
    }
  });
});

describe('cherwell token renewal', () => {
  test('when the refresh token is refused, then the password grant is used instead', async () => {
    const clock = manualClock();
    const own = await startCherwellSimulator({ now: clock.now, tokenTtlSeconds: 300 });
    const renewing = createCherwellAdapter(cherwellConfig(own), { authRetryMs: 1000, nowMs: clock.now });
    try {
      await renewing.init();
      own.revokeTokens({ refreshTokens: true });
      clock.advance(241_000); // 60 s before expiry
      const ticket = wmTicket();
      expect((await renewing.create([{ ticket, resolved: false }]))[0]?.ok).toBe(true);
      const grants = requestsTo(own, '/token').map((r) => [
        (r.body as { grant_type: string }).grant_type,
        r.status,
      ]);
      // The revoked access token is never sent: renewal is due before the call.
      expect(grants).toEqual([
        ['password', 200],
        ['refresh_token', 400],
        ['password', 200],
      ]);
      expect(renewing.authState()).toBe('ok');
      expect(own.violations()).toEqual([]);
    } finally {
      await renewing.close();
      await own.close();
    }
  });
});
