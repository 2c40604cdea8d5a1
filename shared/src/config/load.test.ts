import { describe, expect, test } from 'vitest';
import { ConfigError } from './errors.ts';
import { loadConfig } from './load.ts';

const worker = {
  WM_URL: 'http://127.0.0.1:8080/ticketing-wm',
  CHERWELL_URL: 'http://127.0.0.1:8081/CherwellAPI',
  CHERWELL_CLIENT_ID: 'client-key',
  CHERWELL_USERNAME: 'tbe',
  CHERWELL_PASSWORD: 'hunter2-secret',
  SFYC_URL: 'http://127.0.0.1:8082/api',
  SFYC_CLIENT_ID: 'tbe',
  SFYC_CLIENT_SECRET: 'sfyc-secret-value',
};

function problemsOf(
  env: Record<string, string>,
  role: Parameters<typeof loadConfig>[1] = 'worker',
): string[] {
  try {
    loadConfig(env, role, () => 'from-file');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  test('when nothing optional is set, then the documented defaults apply', () => {
    const config = loadConfig(worker, 'worker');
    expect(config.redis).toEqual({ kind: 'standalone', url: 'redis://127.0.0.1:6379' });
    expect(config.queuePrefix).toBe('tbe');
    expect(config.wm).toMatchObject({ pollIntervalMs: 2000, pageSize: 500, requestTimeoutMs: 30_000 });
    expect(config.workerPlatforms).toEqual(['cherwell', 'sfyc']);
    expect(config.settings.cherwell.maxRetries).toEqual({ value: 3, source: 'default' });
    expect(config.settings.sfyc.maxTicketsPerRequest).toEqual({ value: 50, source: 'default' });
    expect(config.backoff).toEqual({ baseMs: 1000, maxMs: 300_000 });
    expect(config.cherwell?.busObs).toEqual({
      incident: 'Incident',
      note: 'Journal - Note',
      workOrder: 'Work Order',
    });
    expect(config.processingEnabled).toBe(true);
  });

  test('when CHERWELL_AUTH_MODE is Auto, then it is accepted as the other modes are', () => {
    expect(loadConfig({ ...worker, CHERWELL_AUTH_MODE: 'Auto' }, 'worker').cherwell?.authMode).toBe('Auto');
  });

  test('when a setting comes from the environment, then its source says env', () => {
    const config = loadConfig({ ...worker, SFYC_MAX_RETRIES: '5' }, 'worker');
    expect(config.settings.sfyc.maxRetries).toEqual({ value: 5, source: 'env' });
    expect(config.settings.cherwell.maxRetries).toEqual({ value: 3, source: 'default' });
  });

  test('when record link templates are set, then the overview page gets them per platform', () => {
    const config = loadConfig({ ...worker, SFYC_RECORD_URL: 'https://sfyc.example/t/{id}' }, 'worker');
    expect(config.recordUrls).toEqual({ sfyc: 'https://sfyc.example/t/{id}' });
    expect(loadConfig(worker, 'worker').recordUrls).toEqual({});
  });

  // One bad value per variable: each must produce exactly one line, naming that variable.
  const badValues: Record<string, string> = {
    REDIS_URL: 'http://localhost',
    REDIS_SENTINELS: 'nope',
    REDIS_CLUSTER_NODES: 'a:b',
    QUEUE_PREFIX: 'has{brace}',
    QUEUE_PARTITIONS: '65',
    WM_URL: 'ftp://x',
    WM_POLL_INTERVAL_MS: 'soon',
    WM_PAGE_SIZE: '1001',
    WM_REQUEST_TIMEOUT_MS: '-1',
    WM_STATUS_REPORTING: 'maybe',
    CHERWELL_URL: 'not a url',
    CHERWELL_AUTH_MODE: 'Kerberos',
    CHERWELL_MAX_RETRIES: '21',
    CHERWELL_MAX_TICKETS_PER_REQUEST: '1001',
    CHERWELL_BATCH_WAIT_MS: '1.5',
    CHERWELL_MAX_IN_FLIGHT: '0',
    CHERWELL_REQUEST_TIMEOUT_MS: 'x',
    SFYC_URL: 'sfyc',
    SFYC_MAX_RETRIES: '-1',
    SFYC_MAX_TICKETS_PER_REQUEST: '201',
    SFYC_BATCH_WAIT_MS: 'later',
    SFYC_MAX_IN_FLIGHT: '65',
    SFYC_REQUEST_TIMEOUT_MS: '0',
    TICKET_PROCESSING: 'off',
    WORKER_PLATFORMS: 'cherwell,jira',
    TICKET_RETENTION_DAYS: '0',
    CHERWELL_RECORD_URL: 'javascript:alert({id})',
    SFYC_RECORD_URL: 'https://sfyc.example/tickets/',
    BACKOFF_BASE_MS: 'fast',
    BACKOFF_MAX_MS: '0',
    HTTP_PORT: '70000',
    ADMIN_TOKEN: 'short',
    TBE_URL: 'localhost:3000',
    LOG_LEVEL: 'loud',
    SHUTDOWN_TIMEOUT_MS: 'never',
    TBE_LOCK_DURATION_MS: '1',
    TBE_STALLED_INTERVAL_MS: '1',
    TBE_LEASE_TTL_MS: '1',
    TBE_SETTINGS_REFRESH_MS: '1',
    TBE_AUTH_RETRY_MS: '1',
  };
  test.each(Object.entries(badValues))('when %s is %j, then one line names it', (name, value) => {
    const problems = problemsOf({ ...worker, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: \\S`));
  });

  test('when several variables are bad, then each gets its own line', () => {
    const problems = problemsOf({ ...worker, WM_PAGE_SIZE: '0', HTTP_PORT: 'x', LOG_LEVEL: 'loud' });
    expect(problems.map((line) => line.split(':')[0]).sort()).toEqual([
      'HTTP_PORT',
      'LOG_LEVEL',
      'WM_PAGE_SIZE',
    ]);
  });

  test('when a secret is invalid, then its value is not echoed', () => {
    const problems = problemsOf({ ...worker, ADMIN_TOKEN: 'tiny-secret' }, 'dashboard');
    expect(problems.join('\n')).not.toContain('tiny-secret');
  });

  test('when a role misses what it needs, then each missing variable is named', () => {
    expect(problemsOf({}, 'producer')).toEqual(['WM_URL: required by the producer role']);
    expect(problemsOf({}, 'dashboard')).toEqual(['ADMIN_TOKEN: required by the dashboard role']);
    const problems = problemsOf({ WM_URL: worker.WM_URL, WORKER_PLATFORMS: 'sfyc' });
    expect(problems).toEqual([
      'SFYC_URL: required by the worker role',
      'SFYC_CLIENT_ID: required by the worker role',
      'SFYC_CLIENT_SECRET: required by the worker role',
    ]);
  });

  test('when a secret is given as X_FILE, then the file content is the value, without its newline', () => {
    const config = loadConfig(
      {
        ...worker,
        ADMIN_TOKEN_FILE: '/run/secrets/admin',
        CHERWELL_PASSWORD: undefined,
        CHERWELL_PASSWORD_FILE: '/p',
      },
      'all',
      (path) => (path === '/p' ? 'pw-from-file\n' : 'a-token-of-enough-length\n'),
    );
    expect(config.adminToken).toBe('a-token-of-enough-length');
    expect(config.cherwell?.password).toBe('pw-from-file');
  });

  test('when both X and X_FILE are set, or the file cannot be read, then that is one clear line', () => {
    expect(problemsOf({ ...worker, WM_TOKEN: 'a', WM_TOKEN_FILE: '/x' })).toEqual([
      'WM_TOKEN_FILE: set either WM_TOKEN or WM_TOKEN_FILE, not both',
    ]);
    const problems: string[] = [];
    try {
      loadConfig({ ...worker, WM_TOKEN_FILE: '/missing' }, 'worker', () => {
        throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      });
    } catch (error) {
      problems.push(...(error as ConfigError).problems);
    }
    expect(problems).toEqual(['WM_TOKEN_FILE: cannot read /missing (ENOENT)']);
  });

  test('when cross-field rules are broken, then the dependent variable is named', () => {
    expect(problemsOf({ ...worker, REDIS_SENTINELS: 'a:1,b:2' })).toEqual([
      'REDIS_SENTINEL_NAME: required with REDIS_SENTINELS',
    ]);
    expect(problemsOf({ ...worker, BACKOFF_BASE_MS: '5000', BACKOFF_MAX_MS: '1000' })).toEqual([
      'BACKOFF_MAX_MS: must not be below BACKOFF_BASE_MS',
    ]);
  });

  test('when Sentinel or Cluster is configured, then the Redis target says so', () => {
    const sentinel = loadConfig(
      { ...worker, REDIS_SENTINELS: 'a:26379, b:26380', REDIS_SENTINEL_NAME: 'm' },
      'worker',
    );
    expect(sentinel.redis).toEqual({
      kind: 'sentinel',
      name: 'm',
      sentinels: [
        { host: 'a', port: 26379 },
        { host: 'b', port: 26380 },
      ],
    });
    const cluster = loadConfig({ ...worker, REDIS_CLUSTER_NODES: 'n1:7000' }, 'worker');
    expect(cluster.redis).toEqual({ kind: 'cluster', nodes: [{ host: 'n1', port: 7000 }] });
  });

  test('when Redis credentials and TLS are set, then every mode carries them, secrets from files too', () => {
    const files: Record<string, string> = {
      '/run/redis-pass': 'p4ss\n',
      '/run/sentinel-pass': 's3nt',
      '/ca.pem': 'PEM',
    };
    const read = (path: string): string => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error('no'), { code: 'ENOENT' });
      return content;
    };
    const security = {
      REDIS_USERNAME: 'tbe',
      REDIS_PASSWORD_FILE: '/run/redis-pass',
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: '/ca.pem',
    };
    const expected = { username: 'tbe', password: 'p4ss', tls: { ca: 'PEM' } };
    expect(loadConfig({ ...worker, ...security }, 'worker', read).redis).toEqual({
      kind: 'standalone',
      url: 'redis://127.0.0.1:6379',
      ...expected,
    });
    const sentinel = loadConfig(
      {
        ...worker,
        ...security,
        REDIS_SENTINELS: 'a:1',
        REDIS_SENTINEL_NAME: 'm',
        REDIS_SENTINEL_PASSWORD_FILE: '/run/sentinel-pass',
      },
      'worker',
      read,
    );
    expect(sentinel.redis).toMatchObject({ kind: 'sentinel', sentinelPassword: 's3nt', ...expected });
    const cluster = loadConfig({ ...worker, ...security, REDIS_CLUSTER_NODES: 'n:1' }, 'worker', read);
    expect(cluster.redis).toMatchObject({ kind: 'cluster', ...expected });
    expect(loadConfig({ ...worker, REDIS_URL: 'rediss://r:6380' }, 'worker').redis).toEqual({
      kind: 'standalone',
      url: 'rediss://r:6380',
      tls: {},
    });
  });

  test('when Redis security variables contradict each other or a file is missing, then one line each, no secret shown', () => {
    const problems = problemsOf({
      ...worker,
      REDIS_URL: 'redis://:inurl-secret@r:6379',
      REDIS_PASSWORD: 'other-secret',
      REDIS_SENTINEL_PASSWORD: 'lonely-secret',
      REDIS_TLS_CA_FILE: '/ca.pem',
    });
    expect(problems).toEqual([
      'REDIS_PASSWORD: set the password either in REDIS_URL or in REDIS_PASSWORD, not both',
      'REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS',
      'REDIS_TLS_CA_FILE: only used with REDIS_TLS=true (or a rediss:// REDIS_URL)',
    ]);
    expect(JSON.stringify(problems)).not.toMatch(/secret/);
    expect(() =>
      loadConfig({ ...worker, REDIS_TLS: 'true', REDIS_TLS_CA_FILE: '/nope' }, 'worker', () => {
        throw Object.assign(new Error('no'), { code: 'ENOENT' });
      }),
    ).toThrow(/REDIS_TLS_CA_FILE: cannot read \/nope \(ENOENT\)/);
  });

  test('when an empty string is given, then it counts as unset', () => {
    expect(loadConfig({ ...worker, WM_PAGE_SIZE: '' }, 'worker').wm?.pageSize).toBe(500);
  });

  test('when a URL with a user and password in it is invalid, then the error shows it without them', () => {
    const problems = problemsOf({
      ...worker,
      WM_URL: 'ftp://wm-user:wm-pass@wm.example/ticketing-wm',
      CHERWELL_URL: 'cw-user:cw-p@ss@cherwell.example:8080/CherwellAPI',
      SFYC_URL: 'http://:sfyc-pass@',
      TBE_URL: 'tbe:tbe-pass@127.0.0.1',
    });
    const text = problems.join('\n');
    expect(problems.filter((line) => /^(WM|CHERWELL|SFYC|TBE)_URL: /.test(line))).toHaveLength(4);
    for (const secret of ['wm-pass', 'wm-user', 'cw-p', 'ss@', 'sfyc-pass', 'tbe-pass'])
      expect(text).not.toContain(secret);
    expect(text).toContain('ftp://redacted@wm.example/ticketing-wm');
  });
});
