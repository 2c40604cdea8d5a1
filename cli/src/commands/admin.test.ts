import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../cli.ts';
import { captureIo } from '../testing.ts';

// The admin API's answers as operations.md shows them; the real dashboard is exercised in
// test/src/cli. Here: what the CLI sends, and how it prints what comes back.
const STATUS = {
  platforms: {
    cherwell: {
      processing: 'enabled',
      auth: 'ok',
      rateLimitedUntil: null,
      concurrency: { mode: 'adaptive', limit: 8, processes: 2, updatedAt: '2026-11-26T09:40:02Z' },
      settings: {
        maxRetries: { value: 3, source: 'env' },
        maxTicketsPerRequest: { value: 50, source: 'runtime' },
        batchWaitMs: { value: 100, source: 'default' },
        maxInFlight: { value: 4, source: 'default' },
      },
      counts: { waiting: 7, active: 1, delayed: 2, failed: 0, dead: 3 },
    },
  },
  producer: { cursor: '1042', lastPollAt: '2026-11-26T09:40:02Z', lastError: null },
};
const TICKET = {
  ticketId: 'WM/1',
  platforms: {
    cherwell: {
      state: 'created',
      platformId: '102938',
      workOrder: 'OT-5512',
      version: 3,
      attempts: { create: 1, workOrder: 2 },
      lastError: null,
      history: [{ at: '2026-11-26T09:40:05Z', event: 'created', version: 3, detail: null }],
    },
  },
};
const DEAD = {
  items: [
    {
      id: 'dl-1',
      ticketId: 'WM-1',
      platform: 'cherwell',
      operation: 'create',
      version: 3,
      attempts: 4,
      lastError: { code: 'HTTP_503', message: 'Service Unavailable' },
      errors: [],
      deadAt: '2026-11-26T09:41:00Z',
    },
  ],
  next: 'c-2',
};

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}
let server: Server;
let env: Record<string, string>;
let seen: Seen[] = [];
let reply: (seen: Seen) => { status: number; body?: unknown; raw?: string };

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      seen.push(request);
      const { status, body, raw } = reply(request);
      res.writeHead(status, { 'content-type': raw === undefined ? 'application/json' : 'text/html' });
      res.end(raw ?? (body === undefined ? '' : JSON.stringify(body)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  env = {
    TBE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    ADMIN_TOKEN: 'unit-admin-token-0123456789',
  };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  reply = () => ({ status: 500, body: { error: { code: 'INTERNAL', message: 'unexpected call' } } });
});

async function run(...argv: string[]) {
  const io = captureIo(env);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('admin commands against the admin API', () => {
  test('when status is asked, then a table per platform, the settings with their sources, and the producer are printed', async () => {
    reply = () => ({ status: 200, body: STATUS });
    const { code, stdout } = await run('status');
    expect(code).toBe(0);
    expect(seen).toEqual([
      { method: 'GET', url: '/api/status', authorization: `Bearer ${env.ADMIN_TOKEN}`, body: undefined },
    ]);
    expect(stdout).toEqual([
      'PLATFORM  PROCESSING  AUTH  RATE LIMITED  IN FLIGHT   WAITING  ACTIVE  DELAYED  FAILED  DEAD',
      'cherwell  enabled     ok    no            8 adaptive  7        1       2        0       3',
      '',
      'SETTINGS  maxRetries  maxTicketsPerRequest  batchWaitMs  maxInFlight',
      'cherwell  3 (env)     50 (runtime)          100          4',
      '',
      'producer: cursor 1042, last poll 2026-11-26T09:40:02Z, last error none',
    ]);
  });

  test('when the token is given as ADMIN_TOKEN_FILE, then the file content (without its newline) is the bearer', async () => {
    reply = () => ({ status: 200, body: STATUS });
    const dir = await mkdtemp(join(tmpdir(), 'tbe-cli-'));
    try {
      await writeFile(join(dir, 'token'), 'file-admin-token-0123456789\n');
      const io = captureIo({ TBE_URL: env.TBE_URL, ADMIN_TOKEN_FILE: join(dir, 'token') });
      expect(await runCli(['status'], io)).toBe(0);
      expect(seen[0]?.authorization).toBe('Bearer file-admin-token-0123456789');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('when --json is given, then the answer is printed as the API gave it', async () => {
    reply = () => ({ status: 200, body: STATUS });
    const { code, stdout } = await run('status', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.join('\n'))).toEqual(STATUS);
  });

  test('when pause all is asked, then the switch is sent for all and each platform is printed', async () => {
    reply = () => ({
      status: 200,
      body: {
        platforms: [
          { platform: 'cherwell', processing: 'disabled' },
          { platform: 'sfyc', processing: 'disabled' },
        ],
      },
    });
    const { code, stdout } = await run('pause', 'all');
    expect(code).toBe(0);
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      url: '/api/platforms/all/processing',
      body: { enabled: false },
    });
    expect(stdout).toEqual(['cherwell: processing disabled', 'sfyc: processing disabled']);
  });

  test('when resume names one platform, then its answer is one line', async () => {
    reply = () => ({ status: 200, body: { platform: 'sfyc', processing: 'enabled' } });
    const { stdout } = await run('resume', 'sfyc');
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      url: '/api/platforms/sfyc/processing',
      body: { enabled: true },
    });
    expect(stdout).toEqual(['sfyc: processing enabled']);
  });

  test('when a setting is set, then only that field is patched and its new value and source are printed', async () => {
    reply = () => ({
      status: 200,
      body: { ...STATUS.platforms.cherwell.settings, maxRetries: { value: 5, source: 'runtime' } },
    });
    const { code, stdout } = await run('set', 'cherwell', 'maxRetries', '5');
    expect(code).toBe(0);
    expect(seen[0]).toMatchObject({
      method: 'PATCH',
      url: '/api/platforms/cherwell/settings',
      body: { maxRetries: 5 },
    });
    expect(stdout).toEqual(['cherwell maxRetries = 5 (runtime)']);
  });

  test('when a ticket id holds a slash, then it travels as one path segment and its platforms are printed', async () => {
    reply = () => ({ status: 200, body: TICKET });
    const { code, stdout } = await run('ticket', 'WM/1');
    expect(code).toBe(0);
    expect(seen[0]?.url).toBe('/api/tickets/WM%2F1');
    expect(stdout.join('\n')).toContain('cherwell: created, platform id 102938, OT OT-5512, version 3');
    expect(stdout.join('\n')).toContain('attempts: create 1, workOrder 2');
    expect(stdout.join('\n')).toContain('2026-11-26T09:40:05Z  created  v3');
  });

  test('when a history event has no version, then it is printed without one, not as v-', async () => {
    const event = {
      at: '2026-11-26T09:50:00Z',
      event: 'retried',
      version: null,
      detail: 'create with a fresh budget',
    };
    const cherwell = { ...TICKET.platforms.cherwell, history: [event, ...TICKET.platforms.cherwell.history] };
    reply = () => ({ status: 200, body: { ...TICKET, platforms: { cherwell } } });
    const { code, stdout } = await run('ticket', 'WM/1');
    expect(code).toBe(0);
    expect(stdout).toContain('      2026-11-26T09:50:00Z  retried  create with a fresh budget');
    expect(stdout).toContain('      2026-11-26T09:40:05Z  created  v3');
  });

  test('when dead letters span pages, then limit and cursor are passed and the next page is named', async () => {
    reply = () => ({ status: 200, body: DEAD });
    const { code, stdout } = await run('dead-letters', 'cherwell', '--limit', '1', '--cursor', 'c-1');
    expect(code).toBe(0);
    expect(seen[0]?.url).toBe('/api/dead-letters/cherwell?limit=1&cursor=c-1');
    expect(stdout[0]).toMatch(/^ID\s+TICKET\s+OPERATION\s+VERSION\s+ATTEMPTS\s+DEAD AT\s+LAST ERROR$/);
    expect(stdout[1]).toMatch(
      /^dl-1\s+WM-1\s+create\s+3\s+4\s+2026-11-26T09:41:00Z\s+HTTP_503: Service Unavailable$/,
    );
    expect(stdout[2]).toBe('more: dead-letters cherwell --cursor c-2');
  });

  test('when dead letters are retried by id or all, then the body says which and the count is printed', async () => {
    reply = (request) => ({
      status: 200,
      body: { retried: (request.body as { ids?: string[] }).ids?.length ?? 7 },
    });
    expect((await run('retry', 'sfyc', 'a', 'b')).stdout).toEqual(['retried 2 dead letters on sfyc']);
    expect((await run('retry', 'sfyc', '--all')).stdout).toEqual(['retried 7 dead letters on sfyc']);
    expect(seen.map((s) => s.body)).toEqual([{ ids: ['a', 'b'] }, { all: true }]);
  });

  test('when the API answers an error, then one line with its code, message and fields, exit 1', async () => {
    reply = () => ({
      status: 400,
      body: {
        error: {
          code: 'BAD_REQUEST',
          message: 'invalid\nbody',
          fields: [{ path: 'maxRetries', message: 'expected 0 to 20' }],
        },
      },
    });
    expect(await run('set', 'cherwell', 'maxRetries', '99')).toEqual({
      code: 1,
      stdout: [],
      stderr: ['error: BAD_REQUEST: invalid body (maxRetries: expected 0 to 20)'],
    });
  });

  test('when the token is refused, then the line points at ADMIN_TOKEN without showing it', async () => {
    reply = () => ({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'bearer token required' } },
    });
    const { code, stderr } = await run('status');
    expect(code).toBe(1);
    expect(stderr).toEqual(['error: UNAUTHORIZED: bearer token required (check ADMIN_TOKEN)']);
  });

  test('when something else answers at TBE_URL, then the line says so', async () => {
    reply = () => ({ status: 502, raw: '<html>Bad Gateway</html>' });
    const { code, stderr } = await run('ticket', 'WM-1');
    expect(code).toBe(1);
    expect(stderr).toEqual([
      'error: HTTP 502 from the dashboard, not an admin API error (is TBE_URL the dashboard?)',
    ]);
  });

  test('when a platform or WM text holds terminal escape sequences, then ticket and dead-letters print them inert', async () => {
    const hostile = 'Locked\u001b]0;pwned\u0007\u001b[2J\r\nline two\u009b31m\u202egnp.exe';
    const lastError = { code: 'WEIRD\u001b[5m', message: hostile };
    const ticket = {
      ...TICKET,
      platforms: {
        cherwell: {
          ...TICKET.platforms.cherwell,
          lastError,
          history: [{ ...TICKET.platforms.cherwell.history[0], detail: hostile }],
        },
      },
    };
    for (const [argv, body] of [
      [['ticket', 'WM-1'], ticket],
      [['dead-letters', 'cherwell'], { ...DEAD, items: [{ ...DEAD.items[0], lastError }] }],
    ] as const) {
      reply = () => ({ status: 200, body });
      const { code, stdout } = await run(...argv);
      expect(code, argv.join(' ')).toBe(0);
      const printed = stdout.join('\n');
      // eslint-disable-next-line no-control-regex
      expect(printed, argv.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(printed, argv.join(' ')).toContain('\\x1b');
    }
  });
});
