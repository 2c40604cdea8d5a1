import { readFileSync } from 'node:fs';
import { redactCredentials } from '../redact-url.ts';
import { ConfigError } from './errors.ts';
import { envSchema, SECRET_VARIABLES, type Env } from './schema.ts';
import { envPrefix, PLATFORMS, type Platform } from '../platforms.ts';
import { SETTING_NAMES, SETTING_SPECS, type SettingsWithSource } from '../settings.ts';
import type { Config, RedisSecurity, RedisTarget, Role } from './types.ts';

export type ReadFile = (path: string) => string;

const SECRETS: ReadonlySet<string> = new Set(SECRET_VARIABLES);

/**
 * Reads the configuration of one role from an environment. Each role requires only what it
 * uses (operations.md, "Configuration"). Throws ConfigError with one line per bad variable;
 * never parses at import time and never echoes a secret.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  role: Role,
  readFile: ReadFile = (path) => readFileSync(path, 'utf8'),
): Config {
  const problems: string[] = [];
  const raw = withSecretFiles(withoutEmpty(env), readFile, problems);
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      const value = raw[name];
      // A URL's user and password are secrets too, whatever the variable: never echoed.
      const shown =
        SECRETS.has(name) || value === undefined ? '' : ` (got ${JSON.stringify(redactCredentials(value))})`;
      problems.push(`${name}: ${issue.message}${shown}`);
    }
    throw new ConfigError(dedupe(problems));
  }
  const values = parsed.data;
  problems.push(...crossFieldProblems(values), ...roleProblems(values, role));
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  const redis = redisTarget(values, readFile, problems);
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  return toConfig(values, raw, redis);
}

function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') out[name] = value;
  return out;
}

function withSecretFiles(env: Record<string, string>, readFile: ReadFile, problems: string[]) {
  const out = { ...env };
  for (const name of SECRET_VARIABLES) {
    const path = env[`${name}_FILE`];
    if (path === undefined) continue;
    if (env[name] !== undefined) {
      problems.push(`${name}_FILE: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      out[name] = readFile(path).replace(/\r?\n$/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${name}_FILE: cannot read ${path} (${code})`);
    }
  }
  return out;
}

function crossFieldProblems(values: Env): string[] {
  const problems: string[] = [];
  if (values.REDIS_SENTINELS && values.REDIS_CLUSTER_NODES) {
    problems.push('REDIS_CLUSTER_NODES: set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both');
  }
  if (values.REDIS_SENTINELS && !values.REDIS_SENTINEL_NAME) {
    problems.push('REDIS_SENTINEL_NAME: required with REDIS_SENTINELS');
  }
  if (values.REDIS_PASSWORD !== undefined && urlHasPassword(values.REDIS_URL)) {
    problems.push('REDIS_PASSWORD: set the password either in REDIS_URL or in REDIS_PASSWORD, not both');
  }
  if (values.REDIS_SENTINEL_PASSWORD !== undefined && !values.REDIS_SENTINELS) {
    problems.push('REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS');
  }
  if (
    values.REDIS_TLS_CA_FILE !== undefined &&
    !values.REDIS_TLS &&
    !values.REDIS_URL.startsWith('rediss:')
  ) {
    problems.push('REDIS_TLS_CA_FILE: only used with REDIS_TLS=true (or a rediss:// REDIS_URL)');
  }
  if (values.WM_LONG_POLL_S * 1000 >= values.WM_REQUEST_TIMEOUT_MS) {
    // A held poll would time out before WM answers it (wm-feed.md).
    problems.push(
      `WM_LONG_POLL_S: must stay below WM_REQUEST_TIMEOUT_MS (${values.WM_LONG_POLL_S} s is not below ${values.WM_REQUEST_TIMEOUT_MS} ms)`,
    );
  }
  if (values.BACKOFF_BASE_MS > values.BACKOFF_MAX_MS) {
    problems.push('BACKOFF_MAX_MS: must not be below BACKOFF_BASE_MS');
  }
  return problems;
}

const PLATFORM_REQUIRED: Record<Platform, readonly (keyof Env)[]> = {
  cherwell: ['CHERWELL_URL', 'CHERWELL_CLIENT_ID', 'CHERWELL_USERNAME', 'CHERWELL_PASSWORD'],
  sfyc: ['SFYC_URL', 'SFYC_CLIENT_ID', 'SFYC_CLIENT_SECRET'],
};

function roleProblems(values: Env, role: Role): string[] {
  const required: string[] = [];
  const needsWm = role === 'producer' || role === 'worker' || role === 'all';
  if (needsWm) required.push('WM_URL');
  if (role === 'worker' || role === 'all') {
    for (const platform of values.WORKER_PLATFORMS) required.push(...PLATFORM_REQUIRED[platform]);
  }
  if (role === 'dashboard' || role === 'all' || role === 'cli') required.push('ADMIN_TOKEN');
  return required
    .filter((name) => values[name as keyof Env] === undefined)
    .map((name) => `${name}: required by the ${role} role`);
}

function urlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

function redisTarget(values: Env, readFile: ReadFile, problems: string[]): RedisTarget {
  const security = redisSecurity(values, readFile, problems);
  if (values.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: values.REDIS_CLUSTER_NODES, ...security };
  if (values.REDIS_SENTINELS) {
    const name = values.REDIS_SENTINEL_NAME ?? '';
    return { kind: 'sentinel', sentinels: values.REDIS_SENTINELS, name, ...security };
  }
  return { kind: 'standalone', url: values.REDIS_URL, ...security };
}

/** Only what is configured, so that a target without security compares equal to a bare one. */
function redisSecurity(values: Env, readFile: ReadFile, problems: string[]): RedisSecurity {
  const security: RedisSecurity = {};
  if (values.REDIS_USERNAME !== undefined) security.username = values.REDIS_USERNAME;
  if (values.REDIS_PASSWORD !== undefined) security.password = values.REDIS_PASSWORD;
  if (values.REDIS_SENTINEL_PASSWORD !== undefined)
    security.sentinelPassword = values.REDIS_SENTINEL_PASSWORD;
  const tls =
    values.REDIS_TLS ||
    (!values.REDIS_SENTINELS && !values.REDIS_CLUSTER_NODES && values.REDIS_URL.startsWith('rediss:'));
  if (tls) {
    security.tls = {};
    const path = values.REDIS_TLS_CA_FILE;
    if (path !== undefined) {
      try {
        security.tls.ca = readFile(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        problems.push(`REDIS_TLS_CA_FILE: cannot read ${path} (${code})`);
      }
    }
  }
  return security;
}

function platformSettings(platform: Platform, raw: Record<string, string>, values: Env): SettingsWithSource {
  const entries = SETTING_NAMES.map((name) => {
    const variable = `${envPrefix(platform)}${SETTING_SPECS[name].env}`;
    const fromEnv = values[variable as keyof Env] as number | undefined;
    return raw[variable] !== undefined && fromEnv !== undefined
      ? [name, { value: fromEnv, source: 'env' as const }]
      : [name, { value: SETTING_SPECS[name].defaultValue, source: 'default' as const }];
  });
  return Object.fromEntries(entries) as SettingsWithSource;
}

function toConfig(values: Env, raw: Record<string, string>, redis: RedisTarget): Config {
  const settings = Object.fromEntries(
    PLATFORMS.map((platform) => [platform, platformSettings(platform, raw, values)]),
  ) as Record<Platform, SettingsWithSource>;
  return {
    redis,
    queuePrefix: values.QUEUE_PREFIX,
    queuePartitions: values.QUEUE_PARTITIONS,
    wm: values.WM_URL
      ? {
          url: values.WM_URL,
          token: values.WM_TOKEN,
          pollIntervalMs: values.WM_POLL_INTERVAL_MS,
          longPollS: values.WM_LONG_POLL_S,
          pageSize: values.WM_PAGE_SIZE,
          requestTimeoutMs: values.WM_REQUEST_TIMEOUT_MS,
          statusReporting: values.WM_STATUS_REPORTING,
        }
      : undefined,
    cherwell:
      values.CHERWELL_URL && values.CHERWELL_CLIENT_ID && values.CHERWELL_USERNAME && values.CHERWELL_PASSWORD
        ? {
            url: values.CHERWELL_URL,
            clientId: values.CHERWELL_CLIENT_ID,
            username: values.CHERWELL_USERNAME,
            password: values.CHERWELL_PASSWORD,
            authMode: values.CHERWELL_AUTH_MODE,
            busObs: {
              incident: values.CHERWELL_INCIDENT_BUSOB,
              note: values.CHERWELL_NOTE_BUSOB,
              workOrder: values.CHERWELL_WORKORDER_BUSOB,
            },
            fieldMapFile: values.CHERWELL_FIELD_MAP,
            requestTimeoutMs: values.CHERWELL_REQUEST_TIMEOUT_MS,
          }
        : undefined,
    sfyc:
      values.SFYC_URL && values.SFYC_CLIENT_ID && values.SFYC_CLIENT_SECRET
        ? {
            url: values.SFYC_URL,
            clientId: values.SFYC_CLIENT_ID,
            clientSecret: values.SFYC_CLIENT_SECRET,
            requestTimeoutMs: values.SFYC_REQUEST_TIMEOUT_MS,
          }
        : undefined,
    processingEnabled: values.TICKET_PROCESSING === 'enabled',
    workerPlatforms: values.WORKER_PLATFORMS,
    concurrency: { cherwell: values.CHERWELL_CONCURRENCY, sfyc: values.SFYC_CONCURRENCY },
    ticketRetentionDays: values.TICKET_RETENTION_DAYS,
    recordUrls: {
      ...(values.CHERWELL_RECORD_URL ? { cherwell: values.CHERWELL_RECORD_URL } : {}),
      ...(values.SFYC_RECORD_URL ? { sfyc: values.SFYC_RECORD_URL } : {}),
    },
    backoff: { baseMs: values.BACKOFF_BASE_MS, maxMs: values.BACKOFF_MAX_MS },
    httpPort: values.HTTP_PORT,
    adminToken: values.ADMIN_TOKEN,
    tbeUrl: values.TBE_URL,
    logLevel: values.LOG_LEVEL,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    settings,
    timings: {
      lockDurationMs: values.TBE_LOCK_DURATION_MS,
      stalledIntervalMs: values.TBE_STALLED_INTERVAL_MS,
      leaseTtlMs: values.TBE_LEASE_TTL_MS,
      settingsRefreshMs: values.TBE_SETTINGS_REFRESH_MS,
      authRetryMs: values.TBE_AUTH_RETRY_MS,
    },
  };
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
