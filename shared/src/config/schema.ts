import { z } from 'zod';
import { boolean, hostPortList, httpUrl, integer, nonEmpty, recordUrl, redisUrl } from './fields.ts';
import { PLATFORMS } from '../platforms.ts';
import { CONCURRENCY_MODES } from './types.ts';

/** Secrets: each may be given as `X_FILE`, a path whose content is the value. */
export const SECRET_VARIABLES = [
  'REDIS_URL',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
  'WM_TOKEN',
  'CHERWELL_CLIENT_ID',
  'CHERWELL_PASSWORD',
  'SFYC_CLIENT_SECRET',
  'ADMIN_TOKEN',
] as const;

/**
 * Every variable Ticketing BE reads, one line each. Which ones a role REQUIRES is decided in
 * load.ts (each role reads only what it needs); here every variable is optional or defaulted.
 */
/** `{PLATFORM}_CONCURRENCY` (operations.md): adaptive unless switched off. */
const concurrencyMode = () =>
  z.enum(CONCURRENCY_MODES, { error: 'expected adaptive or fixed' }).default('adaptive');

export const envSchema = z.object({
  // Redis (standalone); rediss:// for TLS
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379'),
  // Redis Sentinel instead of REDIS_URL: host:port,host:port
  REDIS_SENTINELS: hostPortList().optional(),
  // the master name the sentinels watch
  REDIS_SENTINEL_NAME: nonEmpty().optional(),
  // Redis Cluster seed nodes instead of REDIS_URL: host:port,host:port
  REDIS_CLUSTER_NODES: hostPortList().optional(),
  // ACL user and password for every Redis mode (standalone, Sentinel's data nodes, Cluster)
  REDIS_USERNAME: nonEmpty().optional(),
  REDIS_PASSWORD: nonEmpty().optional(),
  // the sentinels' own password (their `requirepass`)
  REDIS_SENTINEL_PASSWORD: nonEmpty().optional(),
  // TLS to Redis in every mode (standalone may also say rediss://)
  REDIS_TLS: boolean().default(false),
  // a PEM file of the CA(s) to trust for Redis's certificate (read at start)
  REDIS_TLS_CA_FILE: nonEmpty().optional(),
  // key prefix; never contains braces (each queue adds its own Cluster hash tag)
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, { error: 'expected 1 to 32 of A-Z a-z 0-9 _ . -' })
    .default('tbe'),
  // partitions per platform queue, each with its own Cluster hash tag (1: today's keys and queues)
  QUEUE_PARTITIONS: integer(1, 64).default(1),
  // WM base URL: host, port and device address
  WM_URL: httpUrl().optional(),
  // bearer token for WM, when WM wants one
  WM_TOKEN: nonEmpty().optional(),
  // pause between empty polls (when WM cannot hold a poll: wm-feed.md)
  WM_POLL_INTERVAL_MS: integer(10, 3_600_000).default(2000),
  // `wait` asked of WM on an empty feed (0: never wait); must stay below WM_REQUEST_TIMEOUT_MS
  WM_LONG_POLL_S: integer(0, 30).default(20),
  // `limit` of each poll
  WM_PAGE_SIZE: integer(1, 1000).default(500),
  // per WM request (polls and status reports)
  WM_REQUEST_TIMEOUT_MS: integer(100, 600_000).default(30_000),
  // report outcomes back to WM
  WM_STATUS_REPORTING: boolean().default(true),
  CHERWELL_URL: httpUrl().optional(),
  CHERWELL_CLIENT_ID: nonEmpty().optional(),
  CHERWELL_USERNAME: nonEmpty().optional(),
  CHERWELL_PASSWORD: nonEmpty().optional(),
  // how Cherwell authenticates the user
  CHERWELL_AUTH_MODE: z
    .enum(['Internal', 'LDAP', 'SAML', 'Windows', 'Auto'], {
      error: 'expected Internal, LDAP, SAML, Windows or Auto',
    })
    .default('Internal'),
  // business object names (or ids)
  CHERWELL_INCIDENT_BUSOB: nonEmpty().default('Incident'),
  CHERWELL_NOTE_BUSOB: nonEmpty().default('Journal - Note'),
  CHERWELL_WORKORDER_BUSOB: nonEmpty().default('Work Order'),
  // optional JSON file of field ids instead of the template lookup
  CHERWELL_FIELD_MAP: nonEmpty().optional(),
  // retries per operation after the first try
  CHERWELL_MAX_RETRIES: integer(0, 20).optional(),
  // tickets named in one request
  CHERWELL_MAX_TICKETS_PER_REQUEST: integer(1, 1000).optional(),
  // longest wait for a batch to fill before it is sent
  CHERWELL_BATCH_WAIT_MS: integer(0, 60_000).optional(),
  // concurrent requests per worker process to that platform
  CHERWELL_MAX_IN_FLIGHT: integer(1, 64).optional(),
  // adaptive: requests in flight follow the platform's capacity (all replicas); fixed: MAX_IN_FLIGHT
  CHERWELL_CONCURRENCY: concurrencyMode(),
  // per HTTP request to the platform
  CHERWELL_REQUEST_TIMEOUT_MS: integer(100, 600_000).default(30_000),
  SFYC_URL: httpUrl().optional(),
  SFYC_CLIENT_ID: nonEmpty().optional(),
  SFYC_CLIENT_SECRET: nonEmpty().optional(),
  // the same four settings and timeout for SFyC (at most 200 per request: its documented limit)
  // retries per operation after the first try
  SFYC_MAX_RETRIES: integer(0, 20).optional(),
  // tickets named in one request
  SFYC_MAX_TICKETS_PER_REQUEST: integer(1, 200).optional(),
  // longest wait for a batch to fill before it is sent
  SFYC_BATCH_WAIT_MS: integer(0, 60_000).optional(),
  // concurrent requests per worker process to that platform
  SFYC_MAX_IN_FLIGHT: integer(1, 64).optional(),
  // adaptive: requests in flight follow the platform's capacity (all replicas); fixed: MAX_IN_FLIGHT
  SFYC_CONCURRENCY: concurrencyMode(),
  // per HTTP request to the platform
  SFYC_REQUEST_TIMEOUT_MS: integer(100, 600_000).default(30_000),
  // the switch for all platforms until one is set at run time
  TICKET_PROCESSING: z
    .enum(['enabled', 'disabled'], { error: 'expected enabled or disabled' })
    .default('enabled'),
  // the platforms a worker process serves
  WORKER_PLATFORMS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(PLATFORMS, { error: `expected a list of ${PLATFORMS.join(', ')}` })).min(1))
    .default([...PLATFORMS]),
  // link to a platform record on the ticket overview page, `{id}` standing for the platform id
  CHERWELL_RECORD_URL: recordUrl().optional(),
  SFYC_RECORD_URL: recordUrl().optional(),
  // days the ticket overview keeps a ticket after its final state
  TICKET_RETENTION_DAYS: integer(1, 3650).default(7),
  // retry backoff: exponential from the base, jittered, capped at the maximum
  BACKOFF_BASE_MS: integer(1, 3_600_000).default(1000),
  BACKOFF_MAX_MS: integer(1, 86_400_000).default(300_000),
  // the role's HTTP port (health, metrics, dashboard)
  HTTP_PORT: integer(0, 65_535).default(3000),
  // presented as `Authorization: Bearer` to /api, or as the basic-auth password in a browser
  ADMIN_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  // where the CLI finds the dashboard
  TBE_URL: httpUrl().default('http://127.0.0.1:3000'),
  // pino level
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  // graceful shutdown bound
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(30_000),
  // Advanced timings (tests shorten them). BullMQ lock duration of an active job:
  TBE_LOCK_DURATION_MS: integer(1000, 600_000).default(30_000),
  // how often workers look for jobs whose process died
  TBE_STALLED_INTERVAL_MS: integer(500, 600_000).default(30_000),
  // the producer's leader lease; a standby takes over at most this long after the leader dies
  TBE_LEASE_TTL_MS: integer(500, 60_000).default(3000),
  // how often every process reads the run-time settings and the switch
  TBE_SETTINGS_REFRESH_MS: integer(50, 10_000).default(1000),
  // how long a platform in the auth-failed state waits between authentication tries
  TBE_AUTH_RETRY_MS: integer(100, 3_600_000).default(30_000),
});

export type Env = z.infer<typeof envSchema>;
