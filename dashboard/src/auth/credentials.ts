import { createHash, timingSafeEqual } from 'node:crypto';

/** What a request presents in its Authorization header. */
export type Presented =
  { scheme: 'bearer'; secret: string } | { scheme: 'basic'; secret: string } | undefined;

/**
 * Reads `Bearer <token>` or `Basic base64(user:password)` (the password is the secret; any user
 * name). Anything else presents nothing.
 */
export function readAuthorization(header: string | undefined): Presented {
  if (header === undefined) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (value === undefined) return undefined;
  const kind = scheme?.toLowerCase();
  if (kind === 'bearer') return { scheme: 'bearer', secret: value };
  if (kind !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { scheme: 'basic', secret: decoded.slice(colon + 1) };
}

/**
 * A constant-time check of the admin token: both sides are hashed first, so the comparison is
 * over equal-length digests and leaks neither the token's content nor its length.
 */
export function tokenChecker(adminToken: string): (presented: string) => boolean {
  const expected = digest(adminToken);
  return (presented) => timingSafeEqual(digest(presented), expected);
}

export function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
