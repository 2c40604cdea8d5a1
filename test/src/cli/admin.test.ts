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
  // A change WM sent that does not validate: the producer quarantines it.
  stack.wm.pushRaw({ ticket: { id: 'WM-20261203-009999', severity: 'urgent' } });
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
    expect(human.stdout).toMatch(/^producer: cursor 3, last poll \S+, last error none$/m);
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

  test('when the review list, the quarantine and a ticket by its dead-letter id are asked, then each shows the dead ticket or the refused change', async () => {
    const [errors, errorsJson, dead] = await Promise.all([
      cli(['errors', 'cherwell'], env),
      cli(['errors', 'cherwell', '--json'], env),
      cli(['dead-letters', 'cherwell', '--json'], env),
    ]);
    expect(errors.code).toBe(0);
    expect(errors.stdout).toMatch(/^TICKET\s+VERSION\s+PLATFORM ID\s+UPDATED AT\s+LAST ERROR$/m);
    expect(errors.stdout).toMatch(new RegExp(`^${bad}\\s+\\S+\\s+-\\s+\\S+\\s+FIELD_INVALID: `, 'm'));
    expect(errors.stdout).not.toContain(good);
    expect(
      (JSON.parse(errorsJson.stdout) as { items: { ticketId: string }[] }).items.map((i) => i.ticketId),
    ).toEqual([bad]);
    const deadId = (JSON.parse(dead.stdout) as { items: { id: string }[] }).items[0]?.id ?? '';
    expect(deadId).not.toBe(bad);
    const byDeadId = await cli(['ticket', deadId], env);
    expect(byDeadId.code).toBe(0);
    expect(byDeadId.stdout.split('\n')[0]).toBe(bad);
    expect(byDeadId.stdout).toContain('cherwell: error');
    await waitFor(async () => (await cli(['quarantine'], env)).stdout.includes('WM-20261203-009999'), {
      what: 'the refused change in quarantine',
    });
    const quarantine = await cli(['quarantine'], env);
    expect(quarantine.stdout).toMatch(/^SEQ\s+TICKET\s+AT\s+REASON$/m);
    expect(quarantine.stdout).toMatch(
      /^3\s+WM-20261203-009999\s+\S+\s+platforms: expected an array; ticket\.version/m,
    );
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

  test('when a dead letter is retried by its WM ticket id and discarded by it, then the ticket is sent again, then its dead letter is gone and it stays error; an unknown id fails with one line, or JSON with --json', async () => {
    // The platform still refuses it: retried by its WM id, it dies again.
    const before = stack.cherwell.requests.length;
    expect(await cli(['retry', 'cherwell', bad], env)).toMatchObject({
      code: 0,
      stdout: 'retried 1 dead letter on cherwell\n',
    });
    await waitFor(
      async () =>
        stack.cherwell.requests.length > before &&
        (await deadLetters(stack, 'cherwell')).some((d) => d.ticketId === bad),
      { what: 'the retried ticket dead again' },
    );
    const discarded = await cli(['discard', 'cherwell', bad], env);
    expect(discarded).toMatchObject({ code: 0, stdout: 'discarded 1 dead letter on cherwell\n' });
    expect((await deadLetters(stack, 'cherwell')).map((d) => d.ticketId)).not.toContain(bad);
    expect((await cli(['errors', 'cherwell'], env)).stdout).toContain(bad);
    const unknown = await cli(['discard', 'cherwell', 'WM-20261203-000404'], env);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stderr)).toEqual([
      'error: NOT_FOUND: no cherwell dead letter for WM-20261203-000404 (neither a dead-letter id nor a WM ticket id with one)',
    ]);
    const json = await cli(['discard', 'cherwell', 'WM-20261203-000404', '--json'], env);
    expect(json.code).toBe(1);
    expect(lines(json.stderr).map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        error: {
          code: 'NOT_FOUND',
          message: expect.stringContaining('no cherwell dead letter for WM-20261203-000404') as string,
          status: 404,
          discarded: [],
        },
      },
    ]);
  });

  test('when an update dies on a newer version than the one applied, then errors shows the version that died', async () => {
    const updated = stack.wm.createTicket({ entity: 'GDL-NODO-7003/US-1' }, ['cherwell']).id;
    await waitFor(
      () => stack.wm.statusReports().some((r) => r.ticketId === updated && r.state === 'created'),
      { timeoutMs: 20_000, what: 'the ticket created at version 1' },
    );
    stack.cherwell.faults.add({
      path: 'savebusinessobjectbatch',
      ticketIds: [updated],
      action: 'item-error',
      error: 'validation',
    });
    stack.wm.updateTicket(updated, { alarmCount: 5 });
    await waitFor(async () => (await deadLetters(stack, 'cherwell')).some((d) => d.ticketId === updated), {
      timeoutMs: 20_000,
      what: 'the update dead',
    });
    const [human, json] = await Promise.all([
      cli(['errors', 'cherwell'], env),
      cli(['errors', 'cherwell', '--json'], env),
    ]);
    expect(human.stdout).toMatch(new RegExp(`^${updated}\\s+2\\s+\\S+\\s+\\S+\\s+FIELD_INVALID: `, 'm'));
    const item = (
      JSON.parse(json.stdout) as { items: { ticketId: string; version: number; deadVersion: number }[] }
    ).items.find((i) => i.ticketId === updated);
    expect(item).toMatchObject({ version: 1, deadOperation: 'update', deadVersion: 2 });
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
