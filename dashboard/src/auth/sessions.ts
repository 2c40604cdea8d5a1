import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RedisClient } from '@tbe/shared';
import { digest } from './credentials.ts';

export const SESSION_COOKIE = 'tbe_session';
/** A login lasts a working day. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** The cookie is sent only to the admin pages (Bull Board and the login page), never to /api. */
export const SESSION_COOKIE_PATH = '/admin';

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Browser sessions: a random id in an HttpOnly cookie; Redis holds only the id's SHA-256 with an
 * expiry, so that whoever reads Redis cannot take over a session, and every replica knows it.
 * Each session is bound to the admin token it was opened with: its value is a hash of the id and
 * the token, so rotating ADMIN_TOKEN ends every session at once (on every replica that has the
 * new token), and Redis holds nothing from which the token could be guessed offline (the id
 * itself is never stored).
 */
export class SessionStore {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #adminToken: string;

  constructor(redis: RedisClient, queuePrefix: string, adminToken: string) {
    this.#redis = redis;
    // The dashboard's own hash tag: sessions are not a platform's.
    this.#prefix = `${queuePrefix}:{dashboard}:session:`;
    this.#adminToken = adminToken;
  }

  async create(): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.#redis.set(this.#key(id), this.#binding(id), 'PX', SESSION_TTL_MS);
    return id;
  }

  async isValid(id: string | undefined): Promise<boolean> {
    if (id === undefined || !ID_PATTERN.test(id)) return false;
    const stored = await this.#redis.get(this.#key(id));
    if (stored === null) return false;
    const expected = Buffer.from(this.#binding(id));
    const actual = Buffer.from(stored);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  #binding(id: string): string {
    return digest(`${id}\0${this.#adminToken}`).toString('hex');
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id !== undefined && ID_PATTERN.test(id)) await this.#redis.del(this.#key(id));
  }

  #key(id: string): string {
    return this.#prefix + digest(id).toString('hex');
  }
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** `Secure` when the browser reached us over TLS (directly or through a proxy that says so). */
export function sessionCookie(req: IncomingMessage, id: string, maxAgeMs = SESSION_TTL_MS): string {
  const tls = 'encrypted' in req.socket || req.headers['x-forwarded-proto'] === 'https';
  const attributes = [
    `Path=${SESSION_COOKIE_PATH}`,
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
  ];
  if (tls) attributes.push('Secure');
  return [`${SESSION_COOKIE}=${id}`, ...attributes].join('; ');
}
