import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, call, manualClock } from '../common/testing.ts';
import { startCherwellSimulator } from './server.ts';
import type { CherwellSimulator } from './server.ts';
import { passwordGrant, post, refreshGrant } from './testing.ts';

const clock = manualClock();
let sim: CherwellSimulator;
beforeAll(async () => {
  sim = await startCherwellSimulator({ tokenTtlSeconds: 3, now: clock.now });
});
afterEach(() => sim.reset());
afterAll(() => sim.close());

const summary = (token: string) =>
  call(`${sim.url}/api/V1/getbusinessobjectsummary/busobname/Incident`, { headers: bearer(token) });
const kinds = () => sim.violations().map((v) => v.kind);

describe('Cherwell token endpoint', () => {
  it('when the password grant is right, then a bearer token with Cherwell fields comes back and works', async () => {
    const res = await passwordGrant(sim);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 3,
      'as:client_id': 'tbe-sim-client',
      username: 'tbe',
    });
    expect(res.body['.issued']).toMatch(/GMT$/);
    expect(Date.parse(res.body['.expires']) - Date.parse(res.body['.issued'])).toBe(3000);
    expect((await summary(res.body.access_token)).status).toBe(200);
    expect(kinds()).toEqual([]);
  });

  it('when credentials are wrong, then 400 invalid_grant or invalid_client_id, and no violation', async () => {
    expect((await passwordGrant(sim, { password: 'nope' })).body).toMatchObject({ error: 'invalid_grant' });
    expect((await passwordGrant(sim, { client_id: 'nope' })).body).toMatchObject({
      error: 'invalid_client_id',
    });
    const ldap = await passwordGrant(sim, {}, 'LDAP');
    expect(ldap.status).toBe(400);
    expect(ldap.body.error).toBe('invalid_grant');
    expect(kinds()).toEqual([]);
  });

  it('when credentials change, then the old ones get invalid_grant', async () => {
    sim.setCredentials({ password: 'rotated' });
    expect((await passwordGrant(sim)).status).toBe(200);
    expect((await passwordGrant(sim, { password: 'tbe-sim-password' })).body.error).toBe('invalid_grant');
  });

  it('when the token request is JSON or has an unknown grant, then 400 and a bad-request violation', async () => {
    const json = await call(`${sim.url}/token?auth_mode=Internal`, {
      method: 'POST',
      json: { grant_type: 'password' },
    });
    expect(json.status).toBe(400);
    expect((await passwordGrant(sim, { grant_type: 'client_credentials' })).body.error).toBe(
      'unsupported_grant_type',
    );
    expect(kinds()).toEqual(['bad-request', 'bad-request']);
  });

  it('when auth_mode is Auto, then the user is authenticated in their own mode', async () => {
    expect((await passwordGrant(sim, {}, 'Auto')).status).toBe(200);
    expect(kinds()).toEqual([]);
  });

  it('when the token endpoint fails in any way (form without content type, gateway, too large), then the OAuth error shape', async () => {
    const c = sim.credentials();
    const body = `grant_type=password&client_id=${c.clientId}&username=${c.username}&password=${c.password}`;
    const untyped = await call<Record<string, unknown>>(`${sim.url}/token?auth_mode=Internal`, {
      method: 'POST',
      body,
      headers: { 'content-type': '' },
    });
    expect(untyped.status).toBe(400);
    expect(Object.keys(untyped.body).sort()).toEqual(['error', 'error_description']);
    expect(untyped.body.error).toBe('invalid_request');
    expect(kinds()).toEqual(['bad-request']);
    sim.faults.add({ path: '/token', action: 'status', status: 503, times: 1 });
    const unavailable = await passwordGrant(sim);
    expect(unavailable.status).toBe(503);
    expect(Object.keys(unavailable.body).sort()).toEqual(['error', 'error_description']);
    expect(unavailable.body.error).toBe('temporarily_unavailable');
    // The API's own errors keep Cherwell's shape.
    sim.faults.add({ path: /getbusinessobjectsummary/, action: 'status', status: 500, times: 1 });
    const token = (await passwordGrant(sim)).body.access_token;
    expect((await summary(token)).body).toMatchObject({ hasError: true, errorCode: 'GENERALFAILURE' });
  });

  it('when a token is refreshed, then the old access and refresh tokens are dead and using them is a violation (after a 1 s race grace for access tokens)', async () => {
    const first = (await passwordGrant(sim)).body;
    const second = await refreshGrant(sim, first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect((await summary(second.body.access_token)).status).toBe(200);
    // Right after the refresh, a request with the old token may have been on its way: no fault yet.
    expect((await summary(first.access_token)).status).toBe(401);
    expect(kinds()).toEqual([]);
    clock.advance(1_000);
    expect((await summary(first.access_token)).status).toBe(401);
    const again = await refreshGrant(sim, first.refresh_token);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect(kinds()).toEqual(['invalid-token', 'invalid-token']);
  });

  it('when two refreshes race with one refresh token (not single-flight), then the second is refused and a violation', async () => {
    const first = (await passwordGrant(sim)).body;
    const answers = await Promise.all([
      refreshGrant(sim, first.refresh_token),
      refreshGrant(sim, first.refresh_token),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(kinds()).toEqual(['invalid-token']);
  });

  it('when a token outlives its expires_in, then 401 and an invalid-token violation; just before, it works', async () => {
    const token = (await passwordGrant(sim)).body.access_token;
    clock.advance(2_999);
    expect((await summary(token)).status).toBe(200);
    clock.advance(1);
    const res = await summary(token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ hasError: true, errorCode: 'UNAUTHORIZED' });
    expect(kinds()).toEqual(['invalid-token']);
  });

  it('when tokens are revoked early, then 401 without a violation, and a refresh still works', async () => {
    const first = (await passwordGrant(sim)).body;
    sim.revokeTokens();
    expect((await summary(first.access_token)).status).toBe(401);
    const refreshed = await refreshGrant(sim, first.refresh_token);
    expect((await summary(refreshed.body.access_token)).status).toBe(200);
    sim.revokeTokens({ refreshTokens: true });
    expect((await refreshGrant(sim, refreshed.body.refresh_token)).body.error).toBe('invalid_grant');
    expect(kinds()).toEqual([]);
  });

  it('when a call has no or an unknown token, then 401 and an invalid-token violation', async () => {
    expect((await call(`${sim.url}/api/V1/getbusinessobjectsummary/busobname/Incident`)).status).toBe(401);
    expect((await summary('made-up')).status).toBe(401);
    expect((await post(sim, 'made-up', 'getsearchresults', {})).status).toBe(401);
    expect(kinds()).toEqual(['invalid-token', 'invalid-token', 'invalid-token']);
  });

  it('when the simulator is reset, then old tokens get 401 but that is no violation', async () => {
    const token = (await passwordGrant(sim)).body.access_token;
    sim.reset();
    expect((await summary(token)).status).toBe(401);
    expect(kinds()).toEqual([]);
  });
});
