import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTROL_PREFIX, controlHandler } from './control-server.ts';
import type { SimCore } from './core.ts';
import { deviceHandler } from './device.ts';
import { sendReply } from './reply.ts';
import type { ControlRoute, PlatformBehaviour, SimRoute } from './route.ts';

export interface ListenOptions {
  /** Default 127.0.0.1: the simulators are for loopback. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
}

export interface RunningServer {
  /** `http://host:port`, where `/_sim/` lives. */
  origin: string;
  /** The origin plus the device address: what clients are configured with. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startSimServer(
  listen: ListenOptions,
  deps: { core: SimCore; platform: PlatformBehaviour; routes: SimRoute[]; control: ControlRoute[] },
): Promise<RunningServer> {
  const device = deviceHandler(deps);
  const control = controlHandler(deps.control);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const isControl = url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`);
    const handler = isControl ? control : device;
    handler(req, res, url).catch((error: unknown) => {
      // A simulator bug, not a platform answer: say so loudly and answer 500.
      console.error(`[${deps.platform.name} simulator]`, error);
      if (!res.headersSent) {
        sendReply(res, {
          status: 500,
          body: deps.platform.errorBody(500, 'simulator internal error', url.pathname),
        });
      }
    });
  });
  const host = listen.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    origin,
    url: `${origin}${deps.platform.basePath}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung requests and idle keep-alive sockets would hold close() forever.
        server.closeAllConnections();
      }),
  };
}
