import { afterEach, describe, expect, test } from 'vitest';
import { envSchema, SECRET_VARIABLES } from '@tbe/shared';
import { waitFor } from '../index.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { cli, lines, startCliNode, type CliProcess } from './child.ts';
import { freePortRun } from './ports.ts';

const TOKEN = 'cli-test-admin-token-0123456789';
let stack: Stack | undefined;
let child: CliProcess | undefined;
afterEach(async () => {
  await child?.stop('SIGKILL', 5000).catch(() => undefined);
  child = undefined;
  await stack?.stop();
  stack = undefined;
});

const answers = async (url: string, headers: Record<string, string> = {}): Promise<boolean> =>
  (await fetch(url, { headers }).catch(() => undefined))?.ok === true;

describe('cli: the long-lived commands', () => {
  test('when run all starts, then the dashboard serves HTTP_PORT, producer and worker the next two, tickets flow, and SIGTERM exits 0', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell' });
    const port = await freePortRun(3);
    child = startCliNode(['run', 'all'], { ...stack.env, ADMIN_TOKEN: TOKEN, HTTP_PORT: String(port) });
    for (const p of [port, port + 1, port + 2]) {
      await waitFor(() => answers(`http://127.0.0.1:${p}/healthz`), {
        timeoutMs: 15_000,
        what: `/healthz on ${p}`,
      });
    }
    expect(await answers(`http://127.0.0.1:${port}/api/status`, { authorization: `Bearer ${TOKEN}` })).toBe(
      true,
    );
    const id = stack.wm.createTicket({}, ['cherwell']).id;
    const wm = stack.wm;
    await waitFor(() => wm.statusReports().some((r) => r.ticketId === id && r.state === 'created'), {
      timeoutMs: 15_000,
      what: 'the ticket created through run all',
    });
    expect(await child.stop('SIGTERM', 8000)).toBe(0);
  });

  test('when a role lacks its configuration, then exit 1 with one line per missing variable and nothing started', async () => {
    const [dashboard, all] = await Promise.all([
      cli(['run', 'dashboard'], { HTTP_PORT: '0' }),
      cli(['run', 'all'], { HTTP_PORT: '0' }),
    ]);
    expect(dashboard.code).toBe(1);
    expect(lines(dashboard.stderr)).toEqual(['ADMIN_TOKEN: required by the dashboard role']);
    expect(all.code).toBe(1);
    expect(lines(all.stderr).sort()).toEqual(
      [
        'WM_URL',
        'CHERWELL_URL',
        'CHERWELL_CLIENT_ID',
        'CHERWELL_USERNAME',
        'CHERWELL_PASSWORD',
        'SFYC_URL',
        'SFYC_CLIENT_ID',
        'SFYC_CLIENT_SECRET',
        'ADMIN_TOKEN',
      ]
        .map((name) => `${name}: required by the all role`)
        .sort(),
    );
  });

  test('when simulate runs, then it prints pasteable variables for consecutive ports, hides secrets it was given, and SIGINT exits 0', async () => {
    const port = await freePortRun(3);
    const password = 'operator-cherwell-password';
    child = startCliNode(['simulate', '--port', String(port), '--trickle', '20'], {
      CHERWELL_PASSWORD: password,
    });
    const out = child.stdout;
    await waitFor(() => out.some((line) => line.startsWith('# WM feed')), {
      timeoutMs: 15_000,
      what: 'the simulate banner',
    });
    const exported = new Map(
      out
        .filter((line) => line.startsWith('export '))
        .map((line) => line.slice('export '.length).split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    const known = new Set([
      ...Object.keys(envSchema.shape),
      ...SECRET_VARIABLES.map((name) => `${name}_FILE`),
    ]);
    for (const name of exported.keys()) expect(known).toContain(name);
    expect(exported.get('WM_URL')).toBe(`http://127.0.0.1:${port}/ticketing-wm`);
    expect(exported.get('CHERWELL_URL')).toBe(`http://127.0.0.1:${port + 1}/CherwellAPI`);
    expect(exported.get('SFYC_URL')).toBe(`http://127.0.0.1:${port + 2}/api`);
    expect([...exported.keys()]).toEqual(
      expect.arrayContaining([
        'CHERWELL_CLIENT_ID',
        'CHERWELL_USERNAME',
        'SFYC_CLIENT_ID',
        'SFYC_CLIENT_SECRET',
      ]),
    );
    expect(exported.has('CHERWELL_PASSWORD')).toBe(false);
    expect(out).toContain('# CHERWELL_PASSWORD: the one set in this environment');
    expect(out.join('\n')).not.toContain(password);
    // The trickle fills the feed a deployment would poll.
    const feed = `${exported.get('WM_URL') ?? ''}/tickets/changes?limit=10`;
    await waitFor(
      async () => ((await (await fetch(feed)).json()) as { changes: unknown[] }).changes.length > 0,
      { timeoutMs: 5000, what: 'changes in the WM feed' },
    );
    expect(await child.stop('SIGINT', 3000)).toBe(0);
  });
});
