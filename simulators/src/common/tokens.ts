import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Why a token is not good. `revoked` is the simulator's own early expiry (or a reset): the client
 * could not have known, so it is no violation; every other reason is the client's mistake.
 */
export type TokenVerdict = 'ok' | 'missing' | 'unknown' | 'expired' | 'revoked' | 'replaced';

/**
 * An access token used this soon after a refresh retired it was most likely sent before the
 * client had the new one (requests race on separate sockets): 401, but not the client's fault.
 * Refresh tokens get no grace: a second refresh racing the first is the single-flight bug.
 */
export const REFRESH_RACE_GRACE_MS = 1000;

interface Issued {
  kind: 'access' | 'refresh';
  /** When a refresh retired it (epoch ms). */
  replacedAtMs: number | null;
  /** Epoch ms; null = does not expire. */
  expiresAtMs: number | null;
  state: 'valid' | 'revoked' | 'replaced';
  /** The other token of a Cherwell access/refresh pair. */
  partner: string | null;
}

export class TokenRegistry {
  readonly #tokens = new Map<string, Issued>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  issue(kind: 'access' | 'refresh', ttlSeconds: number | null): string {
    const token = randomBytes(24).toString('base64url');
    const expiresAtMs = ttlSeconds === null ? null : this.#now() + ttlSeconds * 1000;
    this.#tokens.set(token, { kind, expiresAtMs, state: 'valid', partner: null, replacedAtMs: null });
    return token;
  }

  /** Ties an access token and its refresh token, so that a refresh retires both. */
  pair(access: string, refresh: string): void {
    const a = this.#tokens.get(access);
    const r = this.#tokens.get(refresh);
    if (a) a.partner = refresh;
    if (r) r.partner = access;
  }

  partnerOf(token: string): string | null {
    return this.#tokens.get(token)?.partner ?? null;
  }

  check(token: string | null, kind: 'access' | 'refresh'): TokenVerdict {
    if (token === null || token === '') return 'missing';
    const issued = this.#tokens.get(token);
    if (!issued || issued.kind !== kind) return 'unknown';
    if (
      issued.state === 'replaced' &&
      kind === 'access' &&
      this.#now() - (issued.replacedAtMs ?? 0) < REFRESH_RACE_GRACE_MS
    ) {
      return 'revoked';
    }
    if (issued.state !== 'valid') return issued.state;
    if (issued.expiresAtMs !== null && this.#now() >= issued.expiresAtMs) return 'expired';
    return 'ok';
  }

  /** Retires a token and its partner (a Cherwell refresh). */
  replace(token: string): void {
    for (const t of [token, this.partnerOf(token)]) {
      const issued = t === null ? undefined : this.#tokens.get(t);
      if (issued && issued.state === 'valid') {
        issued.state = 'replaced';
        issued.replacedAtMs = this.#now();
      }
    }
  }

  /** Early expiry of every current token of these kinds: the next call gets 401. */
  revokeAll(kinds: ReadonlyArray<'access' | 'refresh'> = ['access']): void {
    for (const issued of this.#tokens.values()) {
      if (kinds.includes(issued.kind) && issued.state === 'valid') issued.state = 'revoked';
    }
  }
}

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** Verdicts that are the client's fault (worth an `invalid-token` violation). */
export function isClientFault(verdict: TokenVerdict): boolean {
  return verdict !== 'ok' && verdict !== 'revoked';
}
