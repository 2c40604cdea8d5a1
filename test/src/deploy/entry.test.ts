import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { runNode } from '../cli/child.ts';
import { freePortRun } from '../cli/ports.ts';
import { ticketingBe } from './cli-help.ts';

describe('the image start path', () => {
  test('when ticketing-be help runs through the bin script, then the commands are listed and the exit is 0', async () => {
    const { code, stdout, stderr } = await ticketingBe(['help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('Ticketing BE: relays WM tickets to Cherwell and SFyC.');
    expect(stdout).toContain('Usage: ticketing-be <command>');
  });

  test('when the health check script asks /healthz, then it exits 0 on 200 and 1 when nothing answers', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      const closed = String(await freePortRun(1));
      const results = await Promise.all([
        runNode(['docker/healthcheck.js'], { HTTP_PORT: String(port) }),
        runNode(['docker/healthcheck.js', `http://127.0.0.1:${port}/other`], {}),
        runNode(['docker/healthcheck.js'], { HTTP_PORT: closed }),
      ]);
      expect(results.map((result) => result.code)).toEqual([0, 1, 1]);
    } finally {
      server.close();
    }
  });
});
