import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Gauge, type Registry } from 'prom-client';
import type { RedisState } from '../redis-health.ts';

/**
 * What `/readyz` answers besides `status`, the same shape on every role so one probe or
 * dashboard reads them all: Redis's state, the platforms' auth states (workers; `{}` elsewhere),
 * whether this process is the polling producer (producers; `null` elsewhere).
 */
export interface ReadyDetail {
  redis: RedisState;
  auth: Record<string, string>;
  leader: boolean | null;
}

export type Readiness = () => Promise<{ ready: boolean; detail: ReadyDetail }>;
export type ExtraHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface RoleServerOptions {
  port: number;
  host?: string;
  readiness: Readiness;
  registry: Registry;
  /** Redis's state as this role sees it, for the body of `/healthz` (which stays 200). */
  redisState?: () => Promise<RedisState>;
  /** Tried before the built-in routes; returns true when it answered (the dashboard mounts here). */
  extra?: ExtraHandler;
}

export interface RoleServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Every role's HTTP surface: `/healthz` (the process answers; its body says Redis's state),
 * `/readyz` (Redis usable with our credentials and, for workers, the platforms authenticated) and `/metrics` (Prometheus text).
 */
export async function startRoleServer(options: RoleServerOptions): Promise<RoleServer> {
  redisConnectedGauge(options);
  const server = createServer((req, res) => {
    void handle(req, res, options).catch(() => {
      // Never the error itself: its text may hold internals (a Redis address, a path, a secret).
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }));
    });
  });
  server.listen(options.port, options.host ?? '0.0.0.0');
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: RoleServerOptions): Promise<void> {
  if (options.extra && (await options.extra(req, res))) return;
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') {
    // Alive is alive: 200 whatever Redis does; the body says what Redis does.
    json(res, 200, { status: 'ok', ...(options.redisState ? { redis: await options.redisState() } : {}) });
  } else if (req.method === 'GET' && path === '/readyz') {
    const { ready, detail } = await options.readiness();
    json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...detail });
  } else if (req.method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': options.registry.contentType });
    res.end(await options.registry.metrics());
  } else {
    json(res, 404, { error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${path}` } });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * `tbe_redis_connected` on every role, from the same readiness `/readyz` answers: Prometheus
 * sees a Redis outage from any role (the alert TbeRedisUnreachable). Registered once per registry.
 */
function redisConnectedGauge(options: RoleServerOptions): void {
  if (options.registry.getSingleMetric('tbe_redis_connected')) return;
  new Gauge({
    name: 'tbe_redis_connected',
    help: '1 while this process reaches Redis and may use it, 0 while it does not',
    registers: [options.registry],
    async collect() {
      const { detail } = await options.readiness();
      this.set(detail.redis === 'ready' ? 1 : 0);
    },
  });
}
