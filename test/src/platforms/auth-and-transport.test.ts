import {
  AuthFailedError,
  HttpStatusError,
  InvalidResponseError,
  NetworkError,
  TokenUnavailableError,
} from '@tbe/shared';
import { afterEach, describe, expect, test } from 'vitest';
import { waitFor } from '../support/wait-for.ts';
import { failureOf, manualClock, recorder, requestsTo, wmTicket } from './fixtures.ts';
import { HARNESSES, type Rig, type RigOptions } from './harness.ts';

describe.each(HARNESSES)('$platform adapter, authentication and transport', (harness) => {
  let rig: Rig | undefined;
  const start = async (options: RigOptions = {}): Promise<Rig> => {
    rig = await harness.start(options);
    return rig;
  };
  afterEach(async () => {
    // Every use here is correct, faults or not: the simulator must have nothing to complain about.
    expect(rig?.sim.violations() ?? []).toEqual([]);
    await rig?.close();
    rig = undefined;
  });
  const create = (r: Rig) => r.adapter.create([{ ticket: wmTicket(), resolved: false }]);
  const tokenRequests = (r: Rig) => requestsTo(r.sim, harness.tokenPath);

  test('when the token nears its expiry, then it is renewed ahead of it and never used expired', async () => {
    const clock = manualClock();
    const r = await start({ now: clock.now, nowMs: clock.now, tokenTtlSeconds: 90 });
    await r.adapter.init();
    await create(r);
    clock.advance(59_000); // a third of 90 s is 30 s: renewal is due at 60 s
    await r.adapter.findByWmIds(['WM-x']);
    expect(tokenRequests(r)).toHaveLength(1);
    clock.advance(2000);
    await r.adapter.findByWmIds(['WM-x']);
    expect(tokenRequests(r)).toHaveLength(2);
    if (harness.platform === 'cherwell')
      expect(tokenRequests(r)[1]?.body).toMatchObject({ grant_type: 'refresh_token' });
    clock.advance(600_000); // long idle: the held token expired meanwhile
    await create(r);
    expect(tokenRequests(r)).toHaveLength(3);
    expect(r.sim.violations()).toEqual([]);
  });

  test('when many calls start together without a token, then one token request serves them all', async () => {
    const r = await start();
    await Promise.all(Array.from({ length: 4 }, () => r.adapter.findByWmIds([wmTicket().id])));
    expect(tokenRequests(r)).toHaveLength(1);
    expect(r.sim.violations()).toEqual([]);
  });

  test('when a renewal is due while calls use the old token, then it waits for them and happens once', async () => {
    const clock = manualClock();
    const { records, observer } = recorder();
    const r = await start({ now: clock.now, nowMs: clock.now, tokenTtlSeconds: 90, observer });
    await r.adapter.init();
    records.length = 0;
    r.sim.faults.add({ path: harness.searchPath, action: 'latency', latencyMs: 150 });
    const before = Array.from({ length: 3 }, () => r.adapter.findByWmIds([wmTicket().id]));
    await waitFor(() => requestsTo(r.sim, harness.searchPath).length === 3);
    clock.advance(61_000);
    const after = Array.from({ length: 3 }, () => r.adapter.findByWmIds([wmTicket().id]));
    await Promise.all([...before, ...after]);
    // The token request starts only once the three calls holding the old token have ended.
    expect(records.map((x) => x.call)).toEqual([
      'search',
      'search',
      'search',
      'token',
      'search',
      'search',
      'search',
    ]);
  });

  test('when the token is revoked, then one new token and one repeat make the call succeed', async () => {
    const { records, observer } = recorder();
    const r = await start({ observer });
    await r.adapter.init();
    r.revokeTokens();
    records.length = 0;
    const results = await create(r);
    expect(results[0]?.ok).toBe(true);
    expect(records.map((x) => [x.call, x.status])).toEqual([
      ['create', 401],
      ['token', 200],
      ['create', 200],
    ]);
    expect(r.adapter.authState()).toBe('ok');
    expect(r.sim.violations()).toEqual([]);
  });

  test('when the credentials are wrong, then AuthFailedError, state failed, and only slow retries', async () => {
    const { records, observer } = recorder();
    const r = await start({ observer, authRetryMs: 300 });
    r.spoilCredentials();
    const error = await failureOf(r.adapter.init());
    expect(error).toBeInstanceOf(AuthFailedError);
    expect(r.adapter.authState()).toBe('failed');
    for (let i = 0; i < 20; i += 1) await expect(create(r)).rejects.toBeInstanceOf(AuthFailedError);
    expect(tokenRequests(r)).toHaveLength(1);
    expect(requestsTo(r.sim, harness.writePath)).toHaveLength(0);

    r.restoreCredentials();
    await waitFor(
      async () =>
        (await create(r).then(
          () => true,
          () => false,
        )) || undefined,
      { timeoutMs: 3000 },
    );
    expect(r.adapter.authState()).toBe('ok');
    expect(tokenRequests(r).length).toBeLessThanOrEqual(3);
    const exposed = JSON.stringify({ message: (error as Error).message, records });
    for (const secret of r.secrets) expect(exposed).not.toContain(secret);
  });

  test('when a freshly issued token is refused too, then the platform is auth-failed after one repeat', async () => {
    const r = await start();
    await r.adapter.init();
    r.sim.faults.add({ path: harness.writePath, action: 'status', status: 401 });
    await expect(create(r)).rejects.toBeInstanceOf(AuthFailedError);
    expect(r.adapter.authState()).toBe('failed');
    expect(tokenRequests(r)).toHaveLength(2);
    expect(requestsTo(r.sim, harness.writePath)).toHaveLength(2);
  });

  test('when the token endpoint answers 503, then TokenUnavailableError with its Retry-After', async () => {
    const r = await start();
    r.sim.faults.add({ path: harness.tokenPath, action: 'status', status: 503, retryAfter: 5, times: 1 });
    const error = await failureOf(create(r));
    expect(error).toBeInstanceOf(TokenUnavailableError);
    expect(error).toMatchObject({ retryAfterMs: 5000 });
    expect(r.adapter.authState()).toBe('unknown');
    expect((await create(r))[0]?.ok).toBe(true);
  });

  test('when the platform answers 429 or 503 with Retry-After, then HttpStatusError carries the wait', async () => {
    const r = await start();
    r.sim.faults.add({ path: harness.writePath, action: 'status', status: 429, retryAfter: 3, times: 1 });
    expect(await failureOf(create(r))).toMatchObject({
      name: 'HttpStatusError',
      status: 429,
      retryAfterMs: 3000,
    });
    const date = new Date(Date.now() + 30_000).toUTCString();
    r.sim.faults.add({ path: harness.writePath, action: 'status', status: 503, retryAfter: date, times: 1 });
    const error = (await failureOf(create(r))) as HttpStatusError;
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(tokenRequests(r)).toHaveLength(1);
  });

  test('when the platform does not answer, then NetworkError TIMEOUT within the configured timeout', async () => {
    const { records, observer } = recorder();
    const r = await start({ observer, requestTimeoutMs: 250 });
    await r.adapter.init();
    r.sim.faults.add({ path: harness.writePath, action: 'hang', times: 1 });
    const startedMs = Date.now();
    const error = await failureOf(create(r));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - startedMs).toBeLessThan(250 + 250);
    expect(records.at(-1)).toMatchObject({ call: 'create', status: 'TIMEOUT' });
  });

  test('when the connection is reset, then NetworkError CONNECTION_RESET', async () => {
    const r = await start();
    await r.adapter.init();
    r.sim.faults.add({ path: harness.writePath, action: 'reset', times: 1 });
    expect(await failureOf(create(r))).toMatchObject({ name: 'NetworkError', code: 'CONNECTION_RESET' });
  });

  test('when a 2xx answer is not the expected shape or too large, then InvalidResponseError', async () => {
    const r = await start({ maxResponseBytes: 64 * 1024 });
    await r.adapter.init();
    r.sim.faults.add({ path: harness.writePath, action: 'invalid-envelope', times: 1 });
    expect(await failureOf(create(r))).toBeInstanceOf(InvalidResponseError);
    r.sim.faults.add({ path: harness.writePath, action: 'invalid-json', times: 1 });
    expect(await failureOf(create(r))).toBeInstanceOf(InvalidResponseError);
    r.sim.faults.add({ path: harness.writePath, action: 'oversized', bytes: 256 * 1024, times: 1 });
    expect(await failureOf(create(r))).toBeInstanceOf(InvalidResponseError);
  });
});
