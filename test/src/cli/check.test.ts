import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '@tbe/cli';
import { captureIo } from '@tbe/cli/testing';
import { simulatorEnv, startSimulators, type Simulators } from '@tbe/simulators/deployment';
import { startRedisServer, type RedisServer } from '../index.ts';

// The preflight against the simulators and real Redis servers, each failure injected on its own.
let sims: Simulators;
let strictSims: Simulators;
let careless: RedisServer;
let proper: RedisServer;
let base: Record<string, string>;

beforeAll(async () => {
  sims = await startSimulators({ wm: { token: 'wm-token-0123456789' } });
  // A Cherwell site that requires a field Ticketing BE fills (Priority) and one it does not (Status).
  strictSims = await startSimulators({
    names: ['cherwell'],
    cherwell: { requiredFields: { Incident: ['Priority'], 'Work Order': ['Status'] } },
  });
  // A Redis that may evict keys and keeps nothing across a restart.
  careless = await startRedisServer({
    args: ['--maxmemory-policy', 'allkeys-lru', '--save', '', '--appendonly', 'no'],
  });
  // As production wants it (the README's Redis section).
  proper = await startRedisServer({ args: ['--maxmemory-policy', 'noeviction', '--appendonly', 'yes'] });
  base = {
    ...simulatorEnv(sims),
    REDIS_URL: proper.url,
    QUEUE_PREFIX: 'tbe-check-test',
    ADMIN_TOKEN: 'check-test-admin-token-0123',
    WM_REQUEST_TIMEOUT_MS: '5000',
    WM_LONG_POLL_S: '2',
    CHERWELL_REQUEST_TIMEOUT_MS: '5000',
    SFYC_REQUEST_TIMEOUT_MS: '5000',
  };
}, 30_000);

afterAll(async () => {
  await sims?.close();
  await strictSims?.close();
  await careless?.stop();
  await proper?.stop();
});

async function check(env: Record<string, string>) {
  const io = captureIo(env);
  const code = await runCli(['check'], io);
  return { code, out: io.stdout, failures: io.stdout.filter((line) => line.trimStart().startsWith('FAIL')) };
}

describe('tbe check', () => {
  test('when everything is set up, then every check passes, each business object says how it resolved, and the exit is 0', async () => {
    const { code, out, failures } = await check(base);
    expect(failures).toEqual([]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/ok {4}Redis version: \d+\.\d+/);
    expect(text).toMatch(
      /ok {4}WM feed: .*token accepted, one page read from the oldest retained change \(cursor not moved\)/,
    );
    expect(text).toMatch(
      /ok {4}Cherwell CHERWELL_INCIDENT_BUSOB: Incident: resolved directly \(busObId \w+\)/,
    );
    expect(text).toMatch(
      /ok {4}Cherwell CHERWELL_NOTE_BUSOB: Journal - Note: via group Journal \(busObId \w+\)/,
    );
    expect(text).toMatch(/ok {4}Cherwell Incident fields: from the template: WMTicketID=\w+/);
    expect(text).toMatch(/ok {4}Cherwell Work Order required fields: all filled/);
    expect(text).toMatch(/ok {4}SFyC search: answered/);
    expect(out.at(-1)).toMatch(/^all \d+ checks passed$/);
    // A read only: the WM simulator's feed was read, nothing was reported or created.
    expect(sims.cherwell?.requests.some((r) => r.path.includes('savebusinessobjectbatch'))).toBe(false);
  });

  test('when the configuration is incomplete, then one failure per variable with its fix, and exit 1', async () => {
    const { code, failures } = await check({ REDIS_URL: proper.url });
    expect(code).toBe(1);
    expect(failures).toContainEqual(
      expect.stringMatching(/FAIL {2}configuration: WM_URL: required .*Fix: set WM_URL/),
    );
    expect(failures).toContainEqual(expect.stringMatching(/FAIL {2}configuration: ADMIN_TOKEN: required/));
  });

  test('when Redis may evict keys and keeps nothing, then those two checks fail with their fixes', async () => {
    const { code, failures } = await check({ ...base, REDIS_URL: careless.url });
    expect(code).toBe(1);
    expect(failures).toEqual([
      expect.stringMatching(
        /FAIL {2}Redis maxmemory-policy: allkeys-lru: .*Fix: set maxmemory-policy noeviction/,
      ),
      expect.stringMatching(/FAIL {2}Redis persistence: neither AOF nor RDB.*Fix: set appendonly yes/),
    ]);
  });

  test('when Redis is not reachable, then that one line says what to correct', async () => {
    const { code, failures } = await check({ ...base, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(failures).toEqual([
      expect.stringMatching(
        /FAIL {2}Redis reachable: redis:\/\/127\.0\.0\.1:1: .*Fix: start Redis or correct REDIS_URL/,
      ),
    ]);
  });

  test('when WM refuses the token, then the WM token check fails naming WM_TOKEN', async () => {
    const { failures } = await check({ ...base, WM_TOKEN: 'wrong-token-0123456789' });
    expect(failures).toEqual([
      expect.stringMatching(/FAIL {2}WM token: .*refused \(HTTP 401\)\. Fix: set WM_TOKEN/),
    ]);
  });

  test('when Cherwell refuses the password, then the token check fails naming the credentials', async () => {
    const { failures } = await check({ ...base, CHERWELL_PASSWORD: 'not-the-password' });
    expect(failures).toEqual([
      expect.stringMatching(
        /FAIL {2}Cherwell token: .*Fix: check CHERWELL_CLIENT_ID, CHERWELL_USERNAME, CHERWELL_PASSWORD/,
      ),
    ]);
  });

  test('when a business object does not exist, then the business object check fails naming the variables', async () => {
    const { failures } = await check({ ...base, CHERWELL_WORKORDER_BUSOB: 'Orden de Trabajo' });
    expect(failures).toEqual([
      expect.stringMatching(
        /FAIL {2}Cherwell CHERWELL_WORKORDER_BUSOB: Orden de Trabajo: .*Fix: set CHERWELL_WORKORDER_BUSOB to a business object name or id/,
      ),
    ]);
  });

  test('when the site requires a field Ticketing BE does not fill, then that business object fails naming it', async () => {
    const { failures } = await check({ ...base, ...simulatorEnv({ ...strictSims, wm: undefined }) });
    expect(failures).toEqual([
      expect.stringMatching(
        /FAIL {2}Cherwell Work Order required fields: the site requires Status, which Ticketing BE does not fill/,
      ),
    ]);
  });

  test('when SFyC refuses the secret, then the SFyC token check fails naming the credentials', async () => {
    const { failures } = await check({ ...base, SFYC_CLIENT_SECRET: 'not-the-secret' });
    expect(failures).toEqual([
      expect.stringMatching(/FAIL {2}SFyC token: .*Fix: check SFYC_CLIENT_ID and SFYC_CLIENT_SECRET/),
    ]);
  });
});
