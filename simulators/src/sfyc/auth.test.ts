import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../common/testing.ts';
import { startSfycSimulator } from './server.ts';
import type { SfycSimulator } from './server.ts';
import { login, search, tokenRequest } from './testing.ts';

const clock = manualClock();
let sim: SfycSimulator;
beforeAll(async () => {
  sim = await startSfycSimulator({ tokenTtlSeconds: 3, now: clock.now });
});
afterEach(() => sim.reset());
afterAll(() => sim.close());

const kinds = () => sim.violations().map((v) => v.kind);

describe('SFyC authentication', () => {
  it('when client credentials are right, then a Bearer token with expires_in works', async () => {
    const res = await tokenRequest(sim);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3 });
    expect((await search(sim, res.body.access_token, {})).status).toBe(200);
  });

  it('when credentials are wrong, then 401 invalid_client (400 when so configured), and no violation', async () => {
    const res = await tokenRequest(sim, { client_secret: 'nope' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    const strict = await startSfycSimulator({ badCredentialsStatus: 400 });
    expect((await tokenRequest(strict, { client_id: 'nope' })).status).toBe(400);
    await strict.close();
    expect(kinds()).toEqual([]);
  });

  it('when the grant type is wrong, then 400 unsupported_grant_type and bad-request', async () => {
    expect((await tokenRequest(sim, { grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    expect(kinds()).toEqual(['bad-request']);
  });

  it('when a token has expired by its expires_in, then 401 and invalid-token', async () => {
    const token = await login(sim);
    clock.advance(3_000);
    const res = await search(sim, token, {});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'token expired' } });
    expect(kinds()).toEqual(['invalid-token']);
  });

  it('when tokens are revoked early, then 401 without a violation and a new token works', async () => {
    const token = await login(sim);
    sim.revokeTokens();
    expect((await search(sim, token, {})).status).toBe(401);
    expect((await search(sim, await login(sim), {})).status).toBe(200);
    expect(kinds()).toEqual([]);
  });

  it('when a call has no token or a made-up one, then 401 and invalid-token', async () => {
    expect((await search(sim, '', {})).status).toBe(401);
    expect((await search(sim, 'made-up', {})).status).toBe(401);
    expect(kinds()).toEqual(['invalid-token', 'invalid-token']);
  });
});
