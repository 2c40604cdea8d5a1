import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpStatusError, InvalidResponseError, NetworkError } from '@tbe/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { RequestRecord } from '../platform/adapter.ts';
import { createHttpClient, type HttpClient } from './client.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end('{}');
let server: Server;
let client: HttpClient;
const records: RequestRecord[] = [];
const TIMEOUT_MS = 300;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = createHttpClient({
    platform: 'sfyc',
    baseUrl: `http://127.0.0.1:${port}/api/`,
    requestTimeoutMs: TIMEOUT_MS,
    maxInFlight: 2,
    maxResponseBytes: 1024,
    observer: (record) => records.push(record),
    secrets: ['s3cret'],
  });
});

afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const schema = z.object({ ok: z.boolean() });
const post = (extra: { bearer?: string; form?: Record<string, string> } = {}) =>
  client.request({
    call: 'test',
    items: 2,
    method: 'POST',
    path: '/v1/x',
    json: extra.form ? undefined : { a: 1 },
    schema,
    ...extra,
  });
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('createHttpClient', () => {
  test('when the answer is a valid 2xx, then it is parsed and one record is made', async () => {
    let seen: { url?: string; auth?: string; type?: string; body?: string } = {};
    handler = (req, res, body) => {
      seen = { url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body };
      res.end('{"ok":true,"extra":1}');
    };
    records.length = 0;
    await expect(post({ bearer: 'tok' })).resolves.toEqual({ ok: true });
    expect(seen).toEqual({ url: '/api/v1/x', auth: 'Bearer tok', type: 'application/json', body: '{"a":1}' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ platform: 'sfyc', call: 'test', items: 2, status: 200 });
  });

  test('when a form is sent, then it is form-encoded', async () => {
    let seen = '';
    handler = (req, res, body) => {
      seen = `${req.headers['content-type']} ${body}`;
      res.end('{"ok":true}');
    };
    await post({ form: { grant_type: 'client_credentials', client_id: 'a b' } });
    expect(seen).toBe('application/x-www-form-urlencoded grant_type=client_credentials&client_id=a+b');
  });

  test('when the answer is 503 with Retry-After, then HttpStatusError carries it and no secret', async () => {
    handler = (_req, res) => {
      res
        .writeHead(503, { 'retry-after': '7' })
        .end('{"errorCode":"Busy","errorMessage":"token s3cret tok-9 refused"}');
    };
    const error = await failureOf(
      client.request({ call: 't', items: 0, method: 'GET', path: '/x', schema, secrets: ['tok-9'] }),
    );
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 7000 });
    expect((error as Error).message).not.toMatch(/s3cret|tok-9/);
    expect((error as Error).message).toContain('Busy');
  });

  test('when the answer is 429 with an HTTP date, then the wait is until that date', async () => {
    handler = (_req, res) =>
      res.writeHead(429, { 'retry-after': new Date(Date.now() + 20_000).toUTCString() }).end();
    const error = (await failureOf(post())) as HttpStatusError;
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBeGreaterThan(18_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(20_000);
  });

  test('when a 2xx is not JSON, has the wrong shape, or is too large, then InvalidResponseError', async () => {
    handler = (_req, res) => res.end('<html>');
    await expect(post()).rejects.toBeInstanceOf(InvalidResponseError);
    handler = (_req, res) => res.end('{"ok":"yes"}');
    await expect(post()).rejects.toBeInstanceOf(InvalidResponseError);
    handler = (_req, res) => res.end(JSON.stringify({ ok: true, pad: 'x'.repeat(2000) }));
    await expect(post()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  test('when no answer comes in time, then NetworkError TIMEOUT within the timeout', async () => {
    handler = () => undefined;
    records.length = 0;
    const startedMs = Date.now();
    const error = await failureOf(post());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - startedMs).toBeLessThan(TIMEOUT_MS + 200);
    expect(records[0]?.status).toBe('TIMEOUT');
  });

  test('when the body stalls after the headers, then it is a TIMEOUT too', async () => {
    handler = (_req, res) => res.writeHead(200).write('{"ok":');
    await expect(post()).rejects.toMatchObject({ name: 'NetworkError', code: 'TIMEOUT' });
  });

  test('when the connection is reset, then NetworkError CONNECTION_RESET', async () => {
    handler = (req) => req.socket.resetAndDestroy();
    await expect(post()).rejects.toMatchObject({ name: 'NetworkError', code: 'CONNECTION_RESET' });
    handler = (req) => req.socket.destroy();
    await expect(post()).rejects.toMatchObject({ name: 'NetworkError', code: 'CONNECTION_RESET' });
  });

  test('when nothing listens, then NetworkError CONNECTION_REFUSED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const orphan = createHttpClient({
      platform: 'sfyc',
      baseUrl: `http://127.0.0.1:${port}`,
      requestTimeoutMs: 500,
      maxInFlight: 1,
    });
    const request = orphan.request({ call: 't', items: 0, method: 'GET', path: '/', schema });
    await expect(request).rejects.toMatchObject({ name: 'NetworkError', code: 'CONNECTION_REFUSED' });
    await orphan.close();
  });
});
