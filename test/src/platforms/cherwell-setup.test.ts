import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCherwellSimulator, type CherwellSimulator } from '@tbe/simulators';
import type { CherwellConfig } from '@tbe/shared';
import { createCherwellAdapter } from '@tbe/workers/cherwell/adapter';
import { checkCherwellBusObs, type CherwellBusObCheck } from '@tbe/workers/cherwell/check';
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

  test('when ids are resolved from Cherwell, then it is once per business object (Journal - Note through its group)', async () => {
    const paths = sim.requests.map((r) => r.path.toLowerCase());
    expect(paths.filter((p) => p.includes('getbusinessobjectsummary'))).toEqual([
      '/api/v1/getbusinessobjectsummary/busobname/incident',
      '/api/v1/getbusinessobjectsummary/busobname/journal%20-%20note',
      '/api/v1/getbusinessobjectsummary/busobname/journal',
      '/api/v1/getbusinessobjectsummary/busobname/work%20order',
    ]);
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

describe('cherwell business objects by name', () => {
  const check = (own: CherwellSimulator, overrides: Partial<CherwellConfig> = {}) =>
    checkCherwellBusObs(cherwellConfig(own, overrides), { authRetryMs: 1000 });
  const how = (checks: CherwellBusObCheck[]) =>
    checks.map((c) => [c.variable, c.ok ? c.description : c.error.message]);

  test('when Journal - Note is a member of the Journal group (as real sites answer), then it resolves via the group and notes reach it', async () => {
    expect(how(await check(sim))).toEqual([
      ['CHERWELL_INCIDENT_BUSOB', 'resolved directly'],
      ['CHERWELL_NOTE_BUSOB', 'via group Journal'],
      ['CHERWELL_WORKORDER_BUSOB', 'resolved directly'],
    ]);
    const host = wmTicket();
    const created = await adapter.create([{ ticket: host, resolved: false }]);
    const ref = created[0]?.ok ? created[0].value : undefined;
    const noted = wmTicket({ entity: host.entity });
    const notes = await adapter.addNotes([
      { host: ref!, ticket: noted, text: `[WM ${noted.id} v1] x`, repeat: false },
    ]);
    expect(notes[0]?.ok).toBe(true);
    expect(sim.notes().map((n) => n.busObId)).toEqual([sim.busObIds().note]);
  });

  test('when a site answers members by their own name, then they resolve directly', async () => {
    const own = await startCherwellSimulator({ summaryMembersByName: true });
    try {
      const checks = await check(own);
      expect(checks.every((c) => c.ok && c.description === 'resolved directly')).toBe(true);
    } finally {
      await own.close();
    }
  });

  test('when busObIds are configured, then they are used as ids and nothing is looked up', async () => {
    const summaries = () => sim.requests.filter((r) => r.path.includes('getbusinessobjectsummary')).length;
    const before = summaries();
    const checks = await check(sim, { busObs: sim.busObIds() });
    expect(checks.map((c) => (c.ok ? [c.resolution.how, c.resolution.busObId] : c.error.message))).toEqual([
      ['id', sim.busObIds().incident],
      ['id', sim.busObIds().note],
      ['id', sim.busObIds().workOrder],
    ]);
    expect(summaries()).toBe(before);
  });

  test('when a name is unknown or names a group, then that object fails naming its setting, the others resolve', async () => {
    const checks = await check(sim, {
      busObs: { incident: 'Incidents', note: 'Journal', workOrder: 'Work Order' },
    });
    expect(how(checks)).toEqual([
      [
        'CHERWELL_INCIDENT_BUSOB',
        expect.stringMatching(/no business object named "Incidents".*CHERWELL_INCIDENT_BUSOB/),
      ],
      ['CHERWELL_NOTE_BUSOB', expect.stringMatching(/"Journal" is a group.*Journal - Note/)],
      ['CHERWELL_WORKORDER_BUSOB', 'resolved directly'],
    ]);
    const wrong = createCherwellAdapter(
      cherwellConfig(sim, {
        busObs: { incident: 'Incidents', note: 'Journal - Note', workOrder: 'Work Order' },
      }),
      { authRetryMs: 1000 },
    );
    try {
      await expect(wrong.init()).rejects.toThrow(/CHERWELL_INCIDENT_BUSOB/);
    } finally {
      await wrong.close();
    }
  });
});

describe('cherwell field ids', () => {
  test('when the template answers short ids (with or without fullFieldId), then every save and search sends them exactly so', async () => {
    for (const templateFullFieldIds of [true, false]) {
      const own = await startCherwellSimulator({ templateFullFieldIds });
      const sending = createCherwellAdapter(cherwellConfig(own), { authRetryMs: 1000 });
      try {
        const ticket = wmTicket();
        expect((await sending.create([{ ticket, resolved: false }]))[0]?.ok).toBe(true);
        expect((await sending.findByWmIds([ticket.id])).get(ticket.id)).toBeDefined();
        const short = new Set(
          (['Incident', 'Journal - Note', 'Work Order'] as const).flatMap((b) =>
            Object.values(own.fieldIds(b)),
          ),
        );
        const sent = own.requests.flatMap((r) => {
          const body = (r.body ?? {}) as {
            saveRequests?: Array<{ fields: Array<{ fieldId: string }> }>;
            filters?: Array<{ fieldId: string }>;
            fields?: string[];
          };
          return [
            ...(body.saveRequests ?? []).flatMap((e) => e.fields.map((f) => f.fieldId)),
            ...(body.filters ?? []).map((f) => f.fieldId),
            ...(r.path.toLowerCase().includes('getsearchresults') ? (body.fields ?? []) : []),
          ];
        });
        expect(sent.length).toBeGreaterThan(10);
        expect(sent.filter((id) => !short.has(id))).toEqual([]);
        expect(own.violations()).toEqual([]);
      } finally {
        await sending.close();
        await own.close();
      }
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
