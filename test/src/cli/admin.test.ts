import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDashboard, type RunningDashboard } from '@tbe/dashboard';
import { waitFor } from '../index.ts';
import { deadLetters } from '../support/delivery.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { cli, lines } from './child.ts';

// One small deployment for the whole file: simulators, producer and Cherwell worker in-process,
// a dashboard in-process on a loopback port; the CLI runs as a child process against it.
const TOKEN = 'cli-test-admin-token-0123456789';
let stack: Stack;
let dashboard: RunningDashboard;
let env: Record<string, string>;
let good: string;
let bad: string;

beforeAll(async () => {
  stack = await startStack({ WORKER_PLATFORMS: 'cherwell' });
  good = stack.wm.createTicket({ entity: 'GDL-NODO-7001/US-1' }, ['cherwell']).id;
  bad = stack.wm.createTicket({ entity: 'GDL-NODO-7002/US-1' }, ['cherwell']).id;
  stack.cherwell.faults.add({
    path: 'savebusinessobjectbatch',
    ticketIds: [bad],
    action: 'item-error',
    error: 'validation',
  });
  stack.startProducer();
  await stack.startWorker();
  dashboard = await runDashboard(
    { ...stack.env, ADMIN_TOKEN: TOKEN, HTTP_PORT: '0' },
    { handleSignals: false },
  );
  env = { TBE_URL: `http://127.0.0.1:${dashboard.port}`, ADMIN_TOKEN: TOKEN };
  await waitFor(() => stack.wm.statusReports().some((r) => r.ticketId === good && r.state === 'created'), {
    timeoutMs: 20_000,
    what: 'the good ticket created',
  });
  await waitFor(async () => (await deadLetters(stack, 'cherwell')).some((d) => d.ticketId === bad), {
    timeoutMs: 20_000,
    what: 'the bad ticket dead',
  });
}, 60_000);

afterAll(async () => {
  await dashboard?.stop();
  await stack?.stop();
});

describe('cli against a running dashboard', () => {
  test('when status is asked, then a readable table, or with --json the API answer, and exit 0', async () => {
    const [human, json] = await Promise.all([cli(['status'], env), cli(['status', '--json'], env)]);
    expect(human.code).toBe(0);
    expect(human.stderr).toBe('');
    expect(human.stdout).toMatch(
      /^PLATFORM\s+PROCESSING\s+AUTH\s+RATE LIMITED\s+IN FLIGHT\s+WAITING\s+ACTIVE\s+DELAYED\s+FAILED\s+DEAD$/m,
    );
    expect(human.stdout).toMatch(
      /^cherwell\s+enabled\s+ok\s+no\s+(\d+ adaptive|-)\s+\d+\s+\d+\s+\d+\s+\d+\s+1$/m,
    );
    expect(human.stdout).toMatch(
      /^SETTINGS\s+maxRetries\s+maxTicketsPerRequest\s+batchWaitMs\s+maxInFlight$/m,
    );
    expect(human.stdout).toMatch(/^producer: cursor 2, last poll \S+, last error none$/m);
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as { platforms: Record<string, { counts: { dead: number } }> };
    expect(status.platforms.cherwell?.counts.dead).toBe(1);
  });

  test('when a delivered ticket is looked up, then its platform id and OT are shown; an unknown one fails with one line', async () => {
    const incident = stack.cherwell.incident(good);
    const [human, json, unknown] = await Promise.all([
      cli(['ticket', good], env),
      cli(['ticket', good, '--json'], env),
      cli(['ticket', 'WM-NOT-THERE'], env),
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toBe(good);
    expect(human.stdout).toContain(`cherwell: created, platform id ${incident?.busObPublicId}`);
    expect(human.stdout).toMatch(/attempts: create 1, workOrder 1, writeBack 1/);
    const body = JSON.parse(json.stdout) as {
      ticketId: string;
      platforms: { cherwell: { state: string; workOrder: string } };
    };
    expect(body.ticketId).toBe(good);
    expect(body.platforms.cherwell.workOrder).toMatch(/\S/);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(lines(unknown.stderr)).toEqual([expect.stringMatching(/^error: NOT_FOUND: .*WM-NOT-THERE/)]);
  });

  test('when processing is paused and resumed, then each platform says so and status shows it', async () => {
    const paused = await cli(['pause', 'sfyc'], env);
    expect(paused).toMatchObject({ code: 0, stdout: 'sfyc: processing disabled\n' });
    expect((await cli(['status'], env)).stdout).toMatch(/^sfyc\s+disabled\s/m);
    const resumed = await cli(['resume', 'all', '--json'], env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({
      platforms: expect.arrayContaining([
        expect.objectContaining({ platform: 'cherwell', processing: 'enabled' }),
        expect.objectContaining({ platform: 'sfyc', processing: 'enabled' }),
      ]) as unknown,
    });
  });

  test('when a setting is changed, then its value is runtime; out of range it fails with the API code and field', async () => {
    const [set, json, outOfRange] = await Promise.all([
      cli(['set', 'sfyc', 'maxRetries', '5'], env),
      cli(['set', 'sfyc', 'batchWaitMs', '250', '--json'], env),
      cli(['set', 'sfyc', 'maxTicketsPerRequest', '201'], env),
    ]);
    expect(set).toMatchObject({ code: 0, stdout: 'sfyc maxRetries = 5 (runtime)\n' });
    expect(JSON.parse(json.stdout)).toMatchObject({ batchWaitMs: { value: 250, source: 'runtime' } });
    expect(outOfRange.code).toBe(1);
    expect(lines(outOfRange.stderr)).toEqual([
      expect.stringMatching(/^error: BAD_REQUEST: .*\(maxTicketsPerRequest: .*200/),
    ]);
  });

  test('when dead letters are listed and retried, then the dead ticket is shown and retry counts it', async () => {
    const [human, json] = await Promise.all([
      cli(['dead-letters', 'cherwell'], env),
      cli(['dead-letters', 'cherwell', '--json'], env),
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^\\S+\\s+${bad}\\s+create\\s+1\\s+1\\s+\\S+\\s+FIELD_INVALID: `, 'm'),
    );
    const page = JSON.parse(json.stdout) as {
      items: { id: string; ticketId: string }[];
      next: string | null;
    };
    const id = page.items.find((item) => item.ticketId === bad)?.id ?? '';
    expect(id).not.toBe('');
    expect(await cli(['retry', 'cherwell', id], env)).toMatchObject({
      code: 0,
      stdout: 'retried 1 dead letter on cherwell\n',
    });
    const all = await cli(['retry', 'cherwell', '--all', '--json'], env);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ retried: expect.any(Number) as number });
    expect((await cli(['dead-letters', 'sfyc'], env)).stdout).toBe('no dead letters on sfyc\n');
  });

  test('when the token is wrong, then exit 1 with the API code, and neither token is printed', async () => {
    const wrong = 'wrong-admin-token-0123456789';
    const result = await cli(['status'], { ...env, ADMIN_TOKEN: wrong });
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^error: UNAUTHORIZED: .*\(check ADMIN_TOKEN\)$/),
    ]);
    expect(result.stdout + result.stderr).not.toContain(wrong);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });
});
