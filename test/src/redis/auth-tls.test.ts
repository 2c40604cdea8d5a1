import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { freePort } from '../setup/redis-server.ts';
import { waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import {
  createTopology,
  makeCertificates,
  startSentinelSet,
  tlsArgs,
  waitForNode,
  type Topology,
} from '../support/redis-topology.ts';
import { spawnRole, type RoleProcess } from '../support/role-process.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

const PASSWORD = 'redis-pass-Xq7-never-printed';
const ACL_PASSWORD = 'acl-pass-9f2-never-printed';

let topology: Topology | undefined;
let stack: Stack | undefined;
const children: RoleProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await child.exited;
  }
  await stack?.stop();
  stack = undefined;
  await topology?.stop();
  topology = undefined;
});

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Redis credentials and TLS', () => {
  test('when Redis requires a password the roles lack, then they keep running and retrying, /healthz says auth-failed, /readyz is 503, with one log line; given it, they serve', async () => {
    topology = await createTopology();
    const node = await topology.start(['--requirepass', PASSWORD]);
    await waitForNode(node.port, { password: PASSWORD });
    stack = await startStack({ REDIS_URL: `redis://127.0.0.1:${node.port}`, REDIS_PASSWORD: PASSWORD });
    const { REDIS_PASSWORD: _password, ...withoutPassword } = stack.env;
    const ports = { worker: await freePort(), producer: await freePort() };
    const worker = spawnRole('worker', {
      ...withoutPassword,
      HTTP_PORT: String(ports.worker),
      LOG_LEVEL: 'info',
    });
    const producer = spawnRole('producer', {
      ...withoutPassword,
      HTTP_PORT: String(ports.producer),
      LOG_LEVEL: 'info',
    });
    children.push(worker, producer);

    for (const port of Object.values(ports)) {
      const health = await waitFor(
        async () => {
          const answer = await getJson(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
          return answer?.body.redis === 'auth-failed' && answer;
        },
        { timeoutMs: 30_000, what: `/healthz on ${port} to say auth-failed` },
      );
      expect(health.status).toBe(200);
      const ready = await getJson(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body.redis).toBe('auth-failed');
    }
    // Several tries later (TBE_AUTH_RETRY_MS is short here) the worker still runs, said it once.
    const refusals = (role = worker) =>
      role.logs.filter((line) => String(line.msg).startsWith('Redis refused our credentials'));
    await waitFor(() => worker.logs.length > 0 && refusals().length === 1, {
      timeoutMs: 30_000,
      what: 'the refusal logged',
    });
    for (let i = 0; i < 5; i++)
      expect((await getJson(`http://127.0.0.1:${ports.worker}/healthz`)).status).toBe(200);
    expect(worker.child.exitCode).toBeNull();
    expect(producer.child.exitCode).toBeNull();
    expect(refusals()).toHaveLength(1);
    expect(refusals(producer)).toHaveLength(1);
    expect(JSON.stringify([...worker.logs, ...producer.logs])).not.toContain(PASSWORD);

    // The same roles, given the password (from a file), carry tickets.
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await child.exited;
    }
    const passwordFile = join(topology.dir, 'redis-password');
    await writeFile(passwordFile, `${PASSWORD}\n`);
    const withFile = { ...withoutPassword, REDIS_PASSWORD_FILE: passwordFile, WORKER_PLATFORMS: 'cherwell' };
    children.push(spawnRole('worker', withFile), spawnRole('producer', withFile));
    const id = stack.wm.createTicket({}, ['cherwell']).id;
    await waitForReports(stack, 'cherwell', [id], 'created', 60_000);
  }, 120_000);

  test('when Redis serves only TLS with an ACL user, then with REDIS_TLS, REDIS_TLS_CA_FILE, REDIS_USERNAME and REDIS_PASSWORD tickets flow; without the CA the roles are not ready', async () => {
    topology = await createTopology();
    const certs = makeCertificates(topology.dir);
    const port = await freePort();
    const acl = ['--user', 'default', 'off', '--user', 'tbe', 'on', `>${ACL_PASSWORD}`, '~*', '&*', '+@all'];
    await topology.start([...tlsArgs(certs, port), ...acl], { port });
    const { readFileSync } = await import('node:fs');
    await waitForNode(port, {
      tls: { ca: readFileSync(certs.caFile) },
      username: 'tbe',
      password: ACL_PASSWORD,
    });
    const env = {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: certs.caFile,
      REDIS_USERNAME: 'tbe',
      REDIS_PASSWORD: ACL_PASSWORD,
    };
    stack = await startStack(env);
    const view = platformView(stack, 'sfyc');
    const workerPort = await freePort();
    const worker = spawnRole('worker', { ...stack.env, HTTP_PORT: String(workerPort), LOG_LEVEL: 'info' });
    const producer = spawnRole('producer', { ...stack.env, LOG_LEVEL: 'info' });
    children.push(worker, producer);
    const ids = Array.from(
      { length: 5 },
      (_, i) => stack!.wm.createTicket({ entity: `TLS-${i}` }, ['cherwell', 'sfyc']).id,
    );
    await waitForReports(stack, 'cherwell', ids, 'created', 60_000);
    await waitForReports(stack, 'sfyc', ids, 'created', 60_000);
    for (const id of ids) expect(view.ticketsOf(id)).toBe(1);
    await waitFor(async () => (await getJson(`http://127.0.0.1:${workerPort}/readyz`)).status === 200, {
      what: 'the TLS worker ready',
    });
    expect((await getJson(`http://127.0.0.1:${workerPort}/healthz`)).body.redis).toBe('ready');
    expect(JSON.stringify([...worker.logs, ...producer.logs])).not.toContain(ACL_PASSWORD);

    // Without the CA to trust, the server's certificate is refused: running, not ready.
    const { REDIS_TLS_CA_FILE: _ca, ...untrusting } = stack.env;
    const otherPort = await freePort();
    const blind = spawnRole('worker', { ...untrusting, HTTP_PORT: String(otherPort) });
    children.push(blind);
    const health = await waitFor(
      async () => (await getJson(`http://127.0.0.1:${otherPort}/healthz`).catch(() => undefined)) ?? false,
      { timeoutMs: 30_000, what: 'the untrusting worker to answer' },
    );
    expect(health.body.redis).toBe('unreachable');
    expect((await getJson(`http://127.0.0.1:${otherPort}/readyz`)).status).toBe(503);
    expect(blind.child.exitCode).toBeNull();
  }, 120_000);

  test('when the sentinels and the data nodes speak only TLS, each with its own password, then the roles find the master through them and tickets flow', async () => {
    topology = await createTopology();
    const certs = makeCertificates(topology.dir);
    const set = await startSentinelSet(
      topology,
      { password: PASSWORD, sentinelPassword: ACL_PASSWORD },
      certs,
    );
    stack = await startStack({ ...set.env, REDIS_TLS: 'true', REDIS_TLS_CA_FILE: certs.caFile });
    const workerPort = await freePort();
    const worker = spawnRole('worker', { ...stack.env, HTTP_PORT: String(workerPort), LOG_LEVEL: 'info' });
    const producer = spawnRole('producer', { ...stack.env, LOG_LEVEL: 'info' });
    children.push(worker, producer);
    const ids = Array.from(
      { length: 5 },
      (_, i) => stack!.wm.createTicket({ entity: `STLS-${i}` }, ['cherwell', 'sfyc']).id,
    );
    await waitForReports(stack, 'cherwell', ids, 'created', 60_000);
    await waitForReports(stack, 'sfyc', ids, 'created', 60_000);
    expect((await getJson(`http://127.0.0.1:${workerPort}/healthz`)).body.redis).toBe('ready');
    expect(JSON.stringify([...worker.logs, ...producer.logs])).not.toMatch(/never-printed|Xq7|9f2/);
  }, 120_000);
});
