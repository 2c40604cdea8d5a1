import { afterEach, describe, expect, test } from 'vitest';
import { PLATFORMS } from '@tbe/shared';
import { freePort } from '../setup/redis-server.ts';
import { waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { createTopology, startSentinelSet, type Topology } from '../support/redis-topology.ts';
import { spawnRole, type RoleProcess } from '../support/role-process.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let topology: Topology | undefined;
let stack: Stack | undefined;
const children: RoleProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await child.exited;
  }
  await stack?.stop().catch(() => undefined);
  stack = undefined;
  await topology?.stop();
  topology = undefined;
});

const TOTAL = 120;
const KILL_AT = 50;

/** The metric lines of a role's /metrics whose name starts with one of these. */
async function metricLines(port: number, names: string[]): Promise<string[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => names.some((name) => line.startsWith(name)) && !line.endsWith(' 0'));
}

describe('Redis Sentinel', () => {
  test('when the master is killed (kill -9) mid-run, then the roles follow the failover without a restart, and every ticket is delivered once with no version overwritten by an older one', async () => {
    topology = await createTopology();
    const set = await startSentinelSet(topology, {
      password: 'data-node-pass-never-printed',
      sentinelPassword: 'sentinel-pass-never-printed',
    });
    stack = await startStack(set.env);
    const views = PLATFORMS.map((platform) => platformView(stack!, platform));
    for (const view of views) view.sim.setLatencyMs(30);
    const ports = { producer: await freePort(), worker: await freePort() };
    const producer = spawnRole('producer', {
      ...stack.env,
      HTTP_PORT: String(ports.producer),
      LOG_LEVEL: 'info',
    });
    const worker = spawnRole('worker', { ...stack.env, HTTP_PORT: String(ports.worker), LOG_LEVEL: 'info' });
    children.push(producer, worker);

    // A steady stream: a new ticket every 40 ms, and every third one updated twice once it has
    // been delivered (the updates run on both sides of the kill).
    const ids: string[] = [];
    let killedAt = 0;
    for (let i = 0; i < TOTAL; i++) {
      const id = stack.wm.createTicket({ entity: `SEN-${i}`, alarmType: 'SNR' }, [...PLATFORMS]).id;
      ids.push(id);
      const earlier = ids[i - 40];
      if (i % 3 === 0 && earlier !== undefined) {
        stack.wm.updateTicket(earlier, { alarmCount: 2 });
        stack.wm.updateTicket(earlier, { alarmCount: 3 });
      }
      if (i === KILL_AT) {
        await waitFor(() => views.every((view) => view.ticketCount() > 0), {
          what: 'deliveries before the kill',
        });
        killedAt = Date.now();
        await set.master.kill();
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }

    for (const platform of PLATFORMS) await waitForReports(stack, platform, ids, 'created', 60_000);
    // Every WM ticket's latest version is on each platform (the updates overtook nothing).
    await waitFor(
      () =>
        views.every((view) => {
          const versions = view.versions();
          return ids.every((id) => versions.get(id) === stack!.wm.ticket(id)?.version);
        }),
      { timeoutMs: 60_000, what: 'the latest versions on both platforms' },
    );
    for (const view of views) {
      for (const id of ids) expect(view.ticketsOf(id), `${view.platform} tickets of ${id}`).toBe(1);
      expect(view.workOrderCount()).toBe(TOTAL);
    }
    expect(stack.violations()).toEqual([]);
    // The same processes, ready again: nobody restarted anything.
    for (const child of children) expect(child.child.exitCode).toBeNull();
    for (const port of Object.values(ports)) {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, {
        what: `/readyz on ${port} after the failover`,
      });
    }
    const masterNow = await stack.redis.call('ROLE');
    expect((masterNow as unknown[])[0]).toBe('master');

    // The figures: how long the platforms heard nothing, and what was tried again.
    const starts = views
      .flatMap((view) => view.sim.requests.map((request) => request.startedAt))
      .filter((at) => at >= killedAt - 1000)
      .sort((a, b) => a - b);
    const pauseMs = Math.max(...starts.slice(1).map((at, i) => at - (starts[i] ?? at)));
    const firstAfter = stack.wm
      .statusReports()
      .map((report) => ({ report, index: ids.indexOf(report.ticketId) }))
      .find(({ index }) => index > KILL_AT);
    const retried = await metricLines(ports.worker, ['tbe_operation_failures_total']);
    // Tickets a platform was sent twice in the same kind of request (a write whose record was lost).
    const resent = Object.fromEntries(
      views.map((view) => {
        const seen = new Map<string, number>();
        for (const request of view.sim.requests) {
          for (const id of new Set(request.ticketIds)) {
            const key = `${request.method} ${request.path} ${id}`;
            seen.set(key, (seen.get(key) ?? 0) + 1);
          }
        }
        return [
          view.platform,
          [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${key} x${count}`),
        ];
      }),
    );
    const polls = await metricLines(ports.producer, ['tbe_producer_polls_total']);
    console.log(
      JSON.stringify(
        { pauseMs, firstReportAfterKill: firstAfter?.report.ticketId, retried, polls, resent },
        null,
        2,
      ),
    );
    expect(JSON.stringify([...producer.logs, ...worker.logs])).not.toContain('never-printed');
  }, 120_000);
});
