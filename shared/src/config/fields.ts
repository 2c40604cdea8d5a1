import { z } from 'zod';

// Small zod builders for environment variables: every value arrives as a string, every message
// names what was expected so that one line per bad variable is enough to fix it.

export const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { error: `expected an integer from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `expected an integer from ${min} to ${max}` })
        .max(max, { error: `expected an integer from ${min} to ${max}` }),
    );

export const boolean = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }))
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const httpUrl = () =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
        } catch {
          return false;
        }
      },
      { error: 'expected an http:// or https:// URL' },
    )
    // The device address is a base path: keep it, without a trailing slash, so paths append.
    .transform((value) => value.replace(/\/+$/, ''));

export const redisUrl = () =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return url.protocol === 'redis:' || url.protocol === 'rediss:';
        } catch {
          return false;
        }
      },
      { error: 'expected a redis:// or rediss:// URL' },
    );

/** `host:port,host:port`, as for REDIS_SENTINELS and REDIS_CLUSTER_NODES. */
export const hostPortList = () =>
  z
    .string()
    .trim()
    .transform((value) => value.split(',').map((item) => item.trim()))
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^[^\s:]+:\d{1,5}$/, { error: 'expected host:port,host:port' })
            .transform((item) => {
              const at = item.lastIndexOf(':');
              return { host: item.slice(0, at), port: Number(item.slice(at + 1)) };
            }),
        )
        .min(1),
    );

export const nonEmpty = () => z.string().trim().min(1, { error: 'must not be empty' });

/**
 * A link template to a platform record: an http(s) URL with `{id}` where the platform id goes
 * (a page's link must never be `javascript:` or lose the id).
 */
export const recordUrl = () =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        if (!value.includes('{id}')) return false;
        try {
          const url = new URL(value.replaceAll('{id}', 'x'));
          return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
        } catch {
          return false;
        }
      },
      { error: 'expected an http:// or https:// URL containing {id}' },
    );
