import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { deletePrefix, testRedis, testRedisUrl, waitFor } from '../index.ts';
import { ROOT, startCli, type CliProcess } from './child.ts';
import { freePortRun, listenAddresses } from './ports.ts';

/** Someone else's keys on the operator's Redis, under the name the demo used to clear. */
const OTHERS = 'tbe-demo:someone-else';

let demo: CliProcess | undefined;
afterEach(async () => {
  await demo?.stop('SIGKILL', 5000).catch(() => undefined);
  demo = undefined;
  const redis = testRedis();
  await deletePrefix(redis, 'tbe-demo');
  redis.disconnect();
});

/** The installed `tbe` bin (no pnpm wrapper: signals reach the demo itself). */
function startDemo(env: Record<string, string>): CliProcess {
  return startCli(join(ROOT, 'node_modules', '.bin', 'tbe'), ['demo'], env);
}

const count = async (url: string, key: string): Promise<number> => {
  const state = (await (await fetch(url)).json()) as Record<string, unknown[]>;
  return state[key]?.length ?? 0;
};

async function keysUnder(prefix: string): Promise<string[]> {
  const redis = testRedis();
  try {
    return await redis.keys(`${prefix}*`);
  } finally {
    redis.disconnect();
  }
}

describe('the demo', () => {
  test('when it runs on the Redis REDIS_URL names, then tickets reach both platforms under a prefix of its own, a dead letter to retry comes within 20 s and its retry delivers it, the banner names the login page and the log file, and Ctrl-C exits 0 leaving only the data it did not create', async () => {
    const port = await freePortRun(1);
    const redis = testRedis();
    await redis.set(OTHERS, 'keep me');
    redis.disconnect();
    demo = startDemo({ REDIS_URL: testRedisUrl(), HTTP_PORT: String(port) });
    const out = demo.stdout;
    const banner = await waitFor(() => out.find((line) => line.includes('ADMIN_TOKEN=')), {
      timeoutMs: 20_000,
      what: 'the demo banner',
    });
    const bannerAt = Date.now();
    const token = /ADMIN_TOKEN=(\S+)/.exec(banner)?.[1] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(16);
    const text = out.join('\n');
    expect(text).toContain(`http://127.0.0.1:${port}/admin/login`);
    expect(text).toMatch(/Redis +redis:\/\/\S+ \(yours, from REDIS_URL\); keys under (tbe-demo-\w+):/);
    const prefix = /keys under (tbe-demo-\w+):/.exec(text)?.[1] ?? '';
    // The suggested command runs as printed, from the repository root.
    expect(text).toContain('./node_modules/.bin/tbe status');
    const logPath = /logs +(\S+)/.exec(text)?.[1] ?? '';
    const sims = out.find((line) => line.trimStart().startsWith('simulators')) ?? '';
    const urls = (sims.match(/http:\/\/\S+/g) ?? []).map((url) => new URL(url));
    const control = (devicePath: string): string =>
      `${urls.find((url) => url.pathname === devicePath)?.origin}/_sim/state`;
    const cherwell = control('/CherwellAPI');
    const sfyc = control('/api');
    await waitFor(
      async () => (await count(cherwell, 'incidents')) > 0 && (await count(sfyc, 'tickets')) > 0,
      { timeoutMs: 30_000, intervalMs: 250, what: 'demo tickets on both platforms' },
    );
    const status = await fetch(`http://127.0.0.1:${port}/api/status`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.status).toBe(200);
    // A dead letter to try retry on comes early (the banner names its ticket), and the retry delivers it.
    const api = async (path: string, body?: unknown): Promise<Record<string, unknown>> =>
      (await (
        await fetch(`http://127.0.0.1:${port}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json()) as Record<string, unknown>;
    const refused = /retry cherwell (WM-\S+)/.exec(out.join('\n'))?.[1] ?? '';
    expect(refused).toMatch(/^WM-/);
    await waitFor(
      async () =>
        ((await api('/api/dead-letters/cherwell')).items as { ticketId: string }[]).some(
          (item) => item.ticketId === refused,
        ),
      { timeoutMs: 20_000, intervalMs: 250, what: 'the refused ticket in the dead letters' },
    );
    expect(Date.now() - bannerAt).toBeLessThan(20_000);
    expect(await api('/api/dead-letters/cherwell/retry', { ids: [refused] })).toEqual({ retried: 1 });
    await waitFor(
      async () => {
        const ticket = (await api(`/api/tickets/${refused}`)) as {
          platforms?: { cherwell?: { state: string; platformId: string | null } };
        };
        // The trickle may have updated or completed it meanwhile: any delivered state will do.
        const on = ticket.platforms?.cherwell;
        return (
          on !== undefined &&
          on.platformId !== null &&
          ['created', 'updated', 'noted', 'resolved'].includes(on.state)
        );
      },
      { timeoutMs: 20_000, intervalMs: 250, what: 'the refused ticket delivered after its retry' },
    );
    // Loopback only, as the banner says: every role server and every simulator.
    const metrics = out.find((line) => line.trimStart().startsWith('metrics')) ?? '';
    const ports = [...metrics.matchAll(/:(\d+)/g)].map((m) => Number(m[1]));
    ports.push(...urls.map((url) => Number(url.port)));
    expect(ports).toHaveLength(6);
    for (const listening of ports)
      expect(listenAddresses(listening), `port ${listening}`).toEqual(['127.0.0.1']);
    expect((await keysUnder(`${prefix}:`)).length).toBeGreaterThan(0);

    const started = Date.now();
    expect(await demo.stop('SIGINT', 8000)).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(demo.stderr.filter((line) => /error/i.test(line))).toEqual([]);
    // The console stays readable: no JSON log lines; they are in the file the banner names.
    expect(out.filter((line) => line.startsWith('{'))).toEqual([]);
    expect(existsSync(logPath)).toBe(true);
    expect(readFileSync(logPath, 'utf8')).toContain('"role":"worker"');
    expect(await keysUnder(`${prefix}:`)).toEqual([]);
    expect(await keysUnder(OTHERS)).toEqual([OTHERS]);
  });
});
