import type { Logger } from 'pino';
import { waitForRedis, type RedisClient } from './redis.ts';

/**
 * What a role can say of its Redis (operations.md, "Processes": `/healthz` carries it, `/readyz`
 * is ready only on `ready`):
 * - `ready`: a PING was answered;
 * - `unreachable`: no connection (down, refused, failing over, TLS handshake refused);
 * - `auth-failed`: Redis answers but refuses our credentials (NOAUTH, WRONGPASS, NOPERM);
 * - `error`: Redis answers with another error (loading, a read-only replica, ...).
 */
export type RedisState = 'ready' | 'unreachable' | 'auth-failed' | 'error';

const WORST_FIRST: readonly RedisState[] = ['auth-failed', 'unreachable', 'error', 'ready'];

// Redis error replies start with their code (the protocol's convention, not free text).
const AUTH_CODES = new Set(['NOAUTH', 'WRONGPASS', 'NOPERM']);

/**
 * Redis refused who we are (no or a wrong password), as opposed to NOPERM: we are known but may
 * not run that command.
 */
export function isAuthRefusal(error: unknown): boolean {
  const code = redisErrorCode(error);
  return code === 'NOAUTH' || code === 'WRONGPASS';
}

/** The code of a Redis error reply (its first word), or the Node error code of a socket error. */
export function redisErrorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z][A-Z_-]+/.exec(message)?.[0] ?? 'ERROR';
}

const ADVICE: Record<Exclude<RedisState, 'ready'>, string> = {
  'auth-failed':
    'Redis refused our credentials: check REDIS_USERNAME and REDIS_PASSWORD (and the ACL rights)',
  unreachable: 'Redis is unreachable: check REDIS_URL / REDIS_SENTINELS / REDIS_CLUSTER_NODES and REDIS_TLS',
  error: 'Redis answers with an error',
};

// The last error each connection reported, cleared when it is ready: a refused password makes
// ioredis drop and retry the connection, so the status alone would only say "unreachable".
const lastErrorCodes = new WeakMap<RedisClient, string>();
// The trouble a role (its logger) already logged, so that it is said once per role, by whichever
// of its connections or probes sees it first.
const announced = new WeakMap<Logger, RedisState>();

function announce(logger: Logger, state: Exclude<RedisState, 'ready'>): void {
  if (announced.get(logger) === state) return;
  announced.set(logger, state);
  logger.error({ redis: state }, `${ADVICE[state]}; retrying`);
}

/** Asks one connection for a PING, bounded by `timeoutMs` (a worker connection would queue it forever). */
export async function probeRedis(client: RedisClient, timeoutMs = 1000): Promise<RedisState> {
  if (client.status !== 'ready') {
    return AUTH_CODES.has(lastErrorCodes.get(client) ?? '') ? 'auth-failed' : 'unreachable';
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<RedisState>((resolve) => {
    timer = setTimeout(() => resolve('unreachable'), timeoutMs);
  });
  const answered = client.ping().then(
    (): RedisState => 'ready',
    (error: unknown): RedisState => (AUTH_CODES.has(redisErrorCode(error)) ? 'auth-failed' : 'error'),
  );
  try {
    return await Promise.race([answered, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The worst state of several connections (a role is only as usable as its worst one). */
export async function probeAll(clients: readonly RedisClient[], timeoutMs = 1000): Promise<RedisState> {
  const states = await Promise.all(clients.map((client) => probeRedis(client, timeoutMs)));
  return WORST_FIRST.find((state) => states.includes(state)) ?? 'ready';
}

/**
 * Waits until Redis answers a PING, trying every `intervalMs` forever (a role never exits for
 * want of Redis). Logs one line when it cannot use Redis and one when it can again, not one per
 * try. `onState` hears every probe's answer (for `/healthz` meanwhile).
 */
export async function untilRedisUsable(
  client: RedisClient,
  logger: Logger,
  options: { intervalMs?: number; onState?: (state: RedisState) => void } = {},
): Promise<void> {
  const intervalMs = options.intervalMs ?? 1000;
  // A connection made a moment ago is still connecting: give it that moment before judging.
  await waitForRedis(client, intervalMs).catch(() => undefined);
  let said: RedisState = 'ready';
  for (;;) {
    const state = await probeRedis(client);
    options.onState?.(state);
    if (state === 'ready') {
      if (said !== 'ready') logger.info('Redis usable again; starting');
      return;
    }
    announce(logger, state);
    said = state;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Logs a connection's errors without flooding: ioredis reconnects by itself and emits an error
 * per try; one line per new error code is enough, and another after the next success.
 */
export function logRedisErrors(client: RedisClient, logger: Logger): void {
  client.on('error', (error: unknown) => {
    const code = redisErrorCode(error);
    if (code === lastErrorCodes.get(client)) return;
    lastErrorCodes.set(client, code);
    if (AUTH_CODES.has(code)) {
      announce(logger, 'auth-failed');
      return;
    }
    // ioredis and Redis put no secret in their messages (hosts and ports at most).
    logger.warn(
      { code, message: error instanceof Error ? error.message : String(error) },
      'Redis connection error; reconnecting',
    );
  });
  client.on('ready', () => {
    lastErrorCodes.delete(client);
    announced.delete(logger);
  });
}
