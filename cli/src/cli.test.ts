import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './cli.ts';
import { freePort } from './demo/redis-probe.ts';
import { captureIo } from './testing.ts';

const TOKEN = 'unit-admin-token-0123456789';
// A port nothing listens on (fetch refuses the "bad" low ports such as 1 and 9 by itself).
let DOWN: Record<string, string>;
let downUrl: string;
beforeAll(async () => {
  downUrl = `http://127.0.0.1:${await freePort()}`;
  DOWN = { ADMIN_TOKEN: TOKEN, TBE_URL: downUrl };
});

async function run(argv: string[], env?: Record<string, string>) {
  const io = captureIo(env ?? DOWN);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('cli usage', () => {
  test.each([
    [['nope'], /unknown command "nope".*help/],
    [['status', 'extra'], /unexpected argument "extra" for status/],
    [['pause'], /pause needs <platform\|all>/],
    [['pause', 'jira'], /unknown platform "jira" \(expected cherwell, sfyc or all\)/],
    [['set', 'cherwell', 'maxRetries'], /set needs <value>/],
    [
      ['set', 'cherwell', 'retries', '3'],
      /unknown setting "retries" \(expected maxRetries, maxTicketsPerRequest/,
    ],
    [['set', 'cherwell', 'maxRetries', 'three'], /<value> must be an integer, got "three"/],
    [['set', 'cherwell', 'maxRetries', '2.5'], /<value> must be an integer/],
    [['set', 'all', 'maxRetries', '2'], /unknown platform "all"/],
    [['ticket'], /ticket needs <id>/],
    [['errors'], /errors needs <platform>/],
    [['quarantine', 'x'], /unexpected argument "x" for quarantine/],
    [['discard', 'cherwell'], /discard needs at least one id/],
    [['dead-letters', 'cherwell', '--limit', 'x'], /--limit must be an integer/],
    [['dead-letters', 'cherwell', '--limit'], /--limit needs a value/],
    [['retry', 'cherwell'], /retry needs --all or at least one id/],
    [['retry', 'cherwell', '--all', 'id-1'], /retry takes --all or ids, not both/],
    [['retry'], /retry needs <platform>/],
    [['status', '--jsonn'], /unknown option --jsonn for status/],
    [['status', '--json=yes'], /--json takes no value/],
    [['run'], /run needs <producer\|worker\|dashboard\|all>/],
    [['run', 'scheduler'], /unknown role "scheduler"/],
    [['simulate', 'jira'], /unknown simulator "jira"/],
    [['simulate', '--trickle', 'fast'], /--trickle must be a number/],
    [['demo', 'now'], /unexpected argument "now" for demo/],
    [['help', 'nope'], /unknown command "nope"/],
  ])(
    'when the command line is %j, then it is bad usage: exit 2 with one line and a hint',
    async (argv, reason) => {
      const { code, stdout, stderr } = await run(argv);
      expect(code).toBe(2);
      expect(stdout).toEqual([]);
      expect(stderr).toHaveLength(1);
      expect(stderr[0]).toMatch(reason);
      expect(stderr[0]).toMatch(/\((usage: tbe |run "tbe help")/);
    },
  );

  test('when a negative number is given as a value, then it reaches the API (which knows the range), not the option parser', async () => {
    const { code, stderr } = await run(['set', 'cherwell', 'maxRetries', '-1']);
    expect(code).toBe(1);
    expect(stderr).toEqual([`error: cannot reach the dashboard at ${downUrl} (ECONNREFUSED)`]);
  });

  test('when no command is given, then the overview goes to stderr and the exit is 2', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr.join('\n')).toContain('Usage: tbe <command>');
  });

  test('when help is asked for, then the commands are listed on stdout and the exit is 0', async () => {
    const overview = await run(['help']);
    expect(overview.code).toBe(0);
    const text = overview.stdout.join('\n');
    for (const command of [
      'run',
      'simulate',
      'demo',
      'status',
      'pause',
      'resume',
      'set',
      'ticket',
      'dead-letters',
      'retry',
      'help',
    ]) {
      expect(text).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    const one = await run(['retry', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout[0]).toBe('Usage: tbe retry <platform> (--all | <id>...) [options]');
    expect(one.stdout.join('\n')).toContain('--json');
  });
});

describe('cli configuration and reachability', () => {
  test('when ADMIN_TOKEN is missing, then exit 1 with one line naming it', async () => {
    const { code, stderr } = await run(['status'], {});
    expect(code).toBe(1);
    expect(stderr).toEqual(['ADMIN_TOKEN: required by the cli role']);
  });

  test('when several variables are bad, then one line each, and the token is not echoed', async () => {
    const { code, stderr } = await run(['status'], {
      ADMIN_TOKEN: 'short-secret',
      TBE_URL: 'localhost:3000',
    });
    expect(code).toBe(1);
    expect(stderr).toHaveLength(2);
    expect(stderr.map((line) => line.split(':')[0]).sort()).toEqual(['ADMIN_TOKEN', 'TBE_URL']);
    expect(stderr.join('\n')).not.toContain('short-secret');
  });

  test('when the dashboard is down, then exit 1 with one line naming TBE_URL and never the token', async () => {
    for (const argv of [['status'], ['pause', 'all'], ['retry', 'sfyc', '--all']]) {
      const { code, stdout, stderr } = await run(argv);
      expect(code).toBe(1);
      expect(stdout).toEqual([]);
      expect(stderr).toEqual([`error: cannot reach the dashboard at ${downUrl} (ECONNREFUSED)`]);
      expect(stderr.join('')).not.toContain(TOKEN);
    }
  });

  test('when --json is given and the command fails, then stderr is one JSON error in the shape of the API errors', async () => {
    const down = await run(['pause', 'all', '--json']);
    expect(down.code).toBe(1);
    expect(down.stderr.map((line) => JSON.parse(line) as unknown)).toEqual([
      { error: { code: 'UNREACHABLE', message: `cannot reach the dashboard at ${downUrl} (ECONNREFUSED)` } },
    ]);
    const usage = await run(['errors', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.map((line) => JSON.parse(line) as unknown)).toEqual([
      { error: { code: 'USAGE', message: 'errors needs <platform>' } },
    ]);
  });
});
