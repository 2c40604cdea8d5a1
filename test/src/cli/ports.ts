import { readFileSync } from 'node:fs';
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

/**
 * The local addresses sockets listen on at `port`, as the kernel lists them (/proc/net/tcp and
 * tcp6, Linux): `127.0.0.1`, `0.0.0.0`, `::` ... Tells loopback-only from every interface
 * without needing a second interface to connect from.
 */
export function listenAddresses(port: number): string[] {
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local = '', , state] = line.trim().split(/\s+/);
      const [hex = '', portHex = ''] = local.split(':');
      if (state !== '0A' || parseInt(portHex, 16) !== port) continue;
      found.push(hex.length === 8 ? ipv4(hex) : hex === '0'.repeat(32) ? '::' : hex);
    }
  }
  return found;
}

/** /proc/net/tcp writes an IPv4 address as one little-endian hex word. */
const ipv4 = (hex: string): string => [6, 4, 2, 0].map((at) => parseInt(hex.slice(at, at + 2), 16)).join('.');
