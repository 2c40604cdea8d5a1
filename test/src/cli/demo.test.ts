import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { deletePrefix, testRedis, testRedisUrl, waitFor } from '../index.ts';
import { ROOT, startCli, type CliProcess } from './child.ts';
import { freePortRun, listenAddresses } from './ports.ts';

let demo: CliProcess | undefined;
afterEach(async () => {
  await demo?.stop('SIGKILL', 5000).catch(() => undefined);
  demo = undefined;
  const redis = testRedis();
  await deletePrefix(redis, 'tbe-demo');
  redis.disconnect();
});

/** `pnpm start` exactly as package.json says, run from the repository's own tsx. */
function startScript(env: Record<string, string>): CliProcess {
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const [bin = '', ...args] = (scripts.start ?? '').split(' ');
  return startCli(join(ROOT, 'node_modules', '.bin', bin), args, env);
}

const count = async (url: string, key: string): Promise<number> => {
  const state = (await (await fetch(url)).json()) as Record<string, unknown[]>;
  return state[key]?.length ?? 0;
};

describe('the demo', () => {
  test('when pnpm start runs, then tickets reach Cherwell and SFyC, the dashboard answers with the printed token, and Ctrl-C exits 0 within seconds', async () => {
    const port = await freePortRun(1);
    demo = startScript({ REDIS_URL: testRedisUrl(), HTTP_PORT: String(port) });
    const out = demo.stdout;
    const banner = await waitFor(() => out.find((line) => line.includes('ADMIN_TOKEN=')), {
      timeoutMs: 20_000,
      what: 'the demo banner',
    });
    const token = /ADMIN_TOKEN=(\S+)/.exec(banner)?.[1] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(16);
    expect(out.join('\n')).toContain(`http://127.0.0.1:${port}/admin/queues`);
    const sims = out.find((line) => line.trimStart().startsWith('simulators')) ?? '';
    const urls = (sims.match(/http:\/\/\S+/g) ?? []).map((url) => new URL(url));
    const control = (devicePath: string): string =>
      `${urls.find((url) => url.pathname === devicePath)?.origin}/_sim/state`;
    const cherwell = control('/CherwellAPI');
    const sfyc = control('/api');
    await waitFor(
      async () => (await count(cherwell, 'incidents')) > 0 && (await count(sfyc, 'tickets')) > 0,
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: 'demo tickets on both platforms',
      },
    );
    const status = await fetch(`http://127.0.0.1:${port}/api/status`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.status).toBe(200);
    // Loopback only, as the banner says: every role server and every simulator.
    const metrics = out.find((line) => line.trimStart().startsWith('metrics')) ?? '';
    const ports = [...metrics.matchAll(/:(\d+)/g)].map((m) => Number(m[1]));
    ports.push(...urls.map((url) => Number(url.port)));
    expect(ports).toHaveLength(6);
    for (const listening of ports)
      expect(listenAddresses(listening), `port ${listening}`).toEqual(['127.0.0.1']);
    const started = Date.now();
    expect(await demo.stop('SIGINT', 8000)).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(demo.stderr.filter((line) => /error/i.test(line))).toEqual([]);
  });
});
