import { once } from 'node:events';
import { createServer } from 'node:net';
import { freePort } from '../index.ts';

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  server.on('error', () => undefined);
  try {
    server.listen(port, '0.0.0.0');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

/** The first of `count` consecutive ports that are all free now (for `run all`, `simulate --port`). */
export async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + count - 1 > 65_535) continue;
    const checks = await Promise.all(Array.from({ length: count }, (_, i) => canListen(base + i)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports`);
}
