import { afterEach, describe, expect, test } from 'vitest';
import { PLATFORMS } from '@tbe/shared';
import { cli, startCliNode, type CliProcess } from '../cli/child.ts';
import { freePortRun } from '../cli/ports.ts';
import { waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { clusterStacks } from '../support/cluster-stack.ts';
import { waitFor } from '../support/wait-for.ts';

const TOKEN = 'cluster-test-admin-token-0123456789';
const PASSWORD = 'cluster-pass-never-printed';

const clusters = clusterStacks(PASSWORD);
let child: CliProcess | undefined;
// Registered after the cluster's: runs before it, so the CLI stops before its Redis.
afterEach(async () => {
  await child?.stop('SIGKILL', 5000).catch(() => undefined);
  child = undefined;
});

describe('Redis Cluster', () => {
  test('when the roles run on a 3-master cluster with a password and TLS only, then tickets flow to both platforms and the dashboard, Bull Board, the admin API and the CLI all work', async () => {
    const { stack } = await clusters.start({ ADMIN_TOKEN: TOKEN }, { tls: true });
    const port = await freePortRun(3);
    child = startCliNode(['run', 'all'], { ...stack.env, HTTP_PORT: String(port) });
    for (const p of [port, port + 1, port + 2]) {
      await waitFor(
        async () => {
          const answer = await fetch(`http://127.0.0.1:${p}/readyz`).catch(() => undefined);
          return answer?.status === 200;
        },
        { timeoutMs: 40_000, what: `/readyz on ${p}` },
      );
      const health = (await (await fetch(`http://127.0.0.1:${p}/healthz`)).json()) as { redis: string };
      expect(health.redis).toBe('ready');
    }

    // Creates, notes (three per entity) and work orders on both platforms.
    const ids = Array.from(
      { length: 30 },
      (_, i) =>
        stack.wm.createTicket({ entity: `CLU-${Math.floor(i / 3)}`, alarmType: 'SNR' }, [...PLATFORMS]).id,
    );
    const leaders = ids.filter((_, i) => i % 3 === 0);
    for (const platform of PLATFORMS) {
      await waitForReports(stack, platform, leaders, 'created', 60_000);
      await waitForReports(
        stack,
        platform,
        ids.filter((_, i) => i % 3 !== 0),
        'noted',
        60_000,
      );
      expect(platformView(stack, platform).ticketCount()).toBe(10);
    }

    const env = { TBE_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: TOKEN };
    const bearer = { authorization: `Bearer ${TOKEN}` };
    // The admin API and Bull Board read the queues and tickets off the cluster.
    const status = (await (await fetch(`${env.TBE_URL}/api/status`, { headers: bearer })).json()) as {
      platforms: Record<string, { processing: string; counts: Record<string, number> }>;
    };
    expect(status.platforms.cherwell?.processing).toBe('enabled');
    const board = await fetch(`${env.TBE_URL}/admin/queues/api/queues`, { headers: bearer });
    expect(board.status).toBe(200);
    const boardQueues = ((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(boardQueues).toEqual(expect.arrayContaining(['cherwell', 'cherwell-dead', 'sfyc', 'sfyc-dead']));
    const ticket = await cli(['ticket', leaders[0] ?? '', '--json'], env);
    expect(ticket.code).toBe(0);
    expect(JSON.parse(ticket.stdout)).toMatchObject({ platforms: { cherwell: { state: 'created' } } });

    // The switch through the CLI: paused, nothing reaches Cherwell while SFyC goes on.
    expect((await cli(['pause', 'cherwell'], env)).code).toBe(0);
    const late = stack.wm.createTicket({ entity: 'CLU-LATE', alarmType: 'SNR' }, [...PLATFORMS]).id;
    await waitForReports(stack, 'sfyc', [late], 'created', 60_000);
    expect(platformView(stack, 'cherwell').ticketsOf(late)).toBe(0);
    const paused = await cli(['status', '--json'], env);
    expect(JSON.parse(paused.stdout)).toMatchObject({ platforms: { cherwell: { processing: 'disabled' } } });
    expect((await cli(['resume', 'cherwell'], env)).code).toBe(0);
    await waitForReports(stack, 'cherwell', [late], 'created', 60_000);

    expect(stack.violations()).toEqual([]);
    expect([...child.stdout, ...child.stderr].join('\n')).not.toContain(PASSWORD);
    expect(await child.stop('SIGTERM', 10_000)).toBe(0);
  }, 180_000);
});
