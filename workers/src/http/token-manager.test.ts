import { AuthFailedError, HttpStatusError, TokenUnavailableError } from '@tbe/shared';
import { describe, expect, test } from 'vitest';
import { createTokenManager, refreshAtMs, type Grant } from './token-manager.ts';

function setup(script: Array<Grant | Error> = []) {
  let clockMs = 1_000_000;
  const asked: Array<Grant | undefined> = [];
  let issued = 0;
  const manager = createTokenManager({
    platform: 'cherwell',
    authRetryMs: 5000,
    nowMs: () => clockMs,
    fetchGrant: async (held) => {
      asked.push(held);
      await Promise.resolve();
      const next = script.shift() ?? {
        accessToken: `t${++issued}`,
        lifetimeMs: 1_200_000,
        refreshToken: `r${issued}`,
      };
      if (next instanceof Error) throw next;
      return next;
    },
  });
  return { manager, asked, advance: (ms: number) => (clockMs += ms) };
}

const unauthorized = () => new HttpStatusError(401);

describe('refreshAtMs', () => {
  test('when the lifetime is long, then the token is refreshed 60 s before expiry', () => {
    expect(refreshAtMs(0, 1_199_000)).toBe(1_139_000);
  });

  test('when the lifetime is short, then it is refreshed a third of the lifetime early', () => {
    expect(refreshAtMs(0, 90_000)).toBe(60_000);
  });
});

describe('createTokenManager', () => {
  test('when many calls start together, then one token request serves them all', async () => {
    const { manager, asked } = setup();
    const used = await Promise.all([1, 2, 3].map(() => manager.withToken((token) => Promise.resolve(token))));
    expect(used).toEqual(['t1', 't1', 't1']);
    expect(asked).toHaveLength(1);
    expect(manager.authState()).toBe('ok');
  });

  test('when the token nears expiry, then the held grant is refreshed ahead of it', async () => {
    const { manager, asked, advance } = setup();
    await manager.withToken((token) => Promise.resolve(token));
    advance(1_200_000 - 60_000);
    expect(await manager.withToken((token) => Promise.resolve(token))).toBe('t2');
    expect(asked[1]?.refreshToken).toBe('r1');
  });

  test('when a refresh is due while a call still uses the old token, then the refresh waits for it', async () => {
    const { manager, asked, advance } = setup();
    await manager.withToken((token) => Promise.resolve(token));
    let finishSlow: (value: string) => void = () => undefined;
    const slow = manager.withToken(() => new Promise<string>((resolve) => (finishSlow = resolve)));
    advance(1_200_000);
    const next = manager.withToken((token) => Promise.resolve(token));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(asked).toHaveLength(1);
    finishSlow('old');
    expect(await slow).toBe('old');
    expect(await next).toBe('t2');
    expect(asked).toHaveLength(2);
  });

  test('when a call answers 401, then one new token is fetched and the call repeated once', async () => {
    const { manager, asked } = setup();
    await manager.withToken((token) => Promise.resolve(token));
    const seen: string[] = [];
    const result = await manager.withToken((token) => {
      seen.push(token);
      if (token === 't1') return Promise.reject(unauthorized());
      return Promise.resolve('done');
    });
    expect(result).toBe('done');
    expect(seen).toEqual(['t1', 't2']);
    // The refused grant is forgotten whole: the new token comes from the credentials.
    expect(asked[1]).toBeUndefined();
  });

  test('when the repeat answers 401 too, then the platform is auth-failed', async () => {
    const { manager } = setup();
    await expect(manager.withToken(() => Promise.reject(unauthorized()))).rejects.toBeInstanceOf(
      AuthFailedError,
    );
    expect(manager.authState()).toBe('failed');
  });

  test('when the credentials are refused, then calls fail fast until authRetryMs passed', async () => {
    const refused = new AuthFailedError('cherwell', 'invalid_grant');
    const { manager, asked, advance } = setup([refused, refused]);
    await expect(manager.withToken(() => Promise.resolve('x'))).rejects.toBe(refused);
    for (let i = 0; i < 10; i += 1)
      await expect(manager.withToken(() => Promise.resolve('x'))).rejects.toBe(refused);
    expect(asked).toHaveLength(1);
    advance(5000);
    await expect(manager.withToken(() => Promise.resolve('x'))).rejects.toBe(refused);
    expect(asked).toHaveLength(2);
    advance(5000);
    expect(await manager.withToken(() => Promise.resolve('x'))).toBe('x');
    expect(manager.authState()).toBe('ok');
  });

  test('when the token endpoint is down, then the caller gets TokenUnavailableError and the state is kept', async () => {
    const { manager } = setup([new TokenUnavailableError('503')]);
    await expect(manager.withToken(() => Promise.resolve('x'))).rejects.toBeInstanceOf(TokenUnavailableError);
    expect(manager.authState()).toBe('unknown');
    expect(await manager.withToken(() => Promise.resolve('x'))).toBe('x');
  });

  test('when a call fails otherwise, then the error passes through and the token is kept', async () => {
    const { manager, asked } = setup();
    await expect(manager.withToken(() => Promise.reject(new HttpStatusError(503)))).rejects.toMatchObject({
      status: 503,
    });
    await manager.withToken((token) => Promise.resolve(token));
    expect(asked).toHaveLength(1);
  });
});
