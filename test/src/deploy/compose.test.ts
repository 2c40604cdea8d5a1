import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { envSchema, SECRET_VARIABLES } from '@tbe/shared';
import { ROOT } from '../cli/child.ts';
import { commandShape, ticketingBe, type CommandShape } from './cli-help.ts';

// docker compose is not installed here: the file is parsed as compose would read it (YAML with
// merge keys) and every reference in it is checked against the repository and the CLI.
interface Service {
  image?: string;
  user?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  mem_limit?: string;
  pids_limit?: number;
  entrypoint?: string[];
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | null>;
  profiles?: string[];
  deploy?: { replicas?: number };
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  secrets?: string[];
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
  volumes?: Record<string, unknown>;
}

const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(text, { merge: true }) as Compose;
/** The simulators' override file, as `-f docker-compose.yml -f docker-compose.simulators.yml` adds it. */
const simText = readFileSync(join(ROOT, 'docker-compose.simulators.yml'), 'utf8');
const simCompose = parse(simText, { merge: true }) as Compose;
/** Services of both files (the override's producer and worker only add environment). */
const services: Record<string, Service> = { ...simCompose.services, ...compose.services };
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
/** A service as compose runs it with the override: environment maps merged key by key. */
const withSimulators = (name: string): Service => {
  const base = compose.services[name] ?? {};
  const extra = simCompose.services[name] ?? {};
  return { ...base, ...extra, environment: { ...base.environment, ...extra.environment } };
};
const SIMULATORS = ['wm-sim', 'cherwell-sim', 'sfyc-sim'];
const ROLES = ['producer', 'worker', 'dashboard'];

/** Variables compose itself reads (not the app): documented in the file's header. */
const COMPOSE_ONLY = ['TBE_IMAGE', 'DASHBOARD_PORT', 'PROMETHEUS_PORT', 'GRAFANA_PORT'];
const KNOWN = new Set([...Object.keys(envSchema.shape), ...SECRET_VARIABLES.map((name) => `${name}_FILE`)]);

/** `${NAME:-default}` -> [NAME, default]. */
const interpolation = (value: string): [string, string | undefined] | undefined => {
  const m = /^\$\{(\w+)(?::?[-+?](.*))?\}$/.exec(value);
  return m ? [m[1] ?? '', m[2]] : undefined;
};

describe('docker-compose.yml', () => {
  test('when compose reads it, then Redis 7 keeps an AOF, never evicts, and has a health check', () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7(\.|-|$)/);
    const command = redis.command?.join(' ') ?? '';
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.healthcheck?.test.join(' ')).toMatch(/redis-cli ping/);
    expect(redis.volumes?.some((volume) => volume.endsWith(':/data'))).toBe(true);
  });

  test('when Redis runs, then it wants a password read from a secret, and the roles get theirs from a secret too', () => {
    const redis = service('redis');
    const command = redis.command?.join(' ') ?? '';
    expect(redis.secrets).toEqual(['redis_password']);
    expect(command).toContain('requirepass');
    expect(command).toContain('/run/secrets/redis_password');
    // Never in argv (visible to `ps`) nor written anywhere but the tmpfs.
    expect(command).not.toMatch(/--requirepass/);
    expect(command).toMatch(/> \/tmp\/auth\.conf/);
    expect(redis.healthcheck?.test.join(' ')).toContain(
      'REDISCLI_AUTH="$$(cat /run/secrets/redis_password)"',
    );
    for (const name of ROLES) {
      const s = service(name);
      expect(s.secrets, name).toContain('redis_url');
      expect(s.environment?.REDIS_URL_FILE, name).toBe('/run/secrets/redis_url');
      expect(s.environment?.REDIS_URL, name).toBeUndefined();
    }
    expect(compose.secrets?.redis_password?.file).toBe('./secrets/redis-password');
    expect(compose.secrets?.redis_url?.file).toBe('./secrets/redis-url');
    const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8');
    expect(ignored.split('\n')).toContain('/secrets/');
    expect(readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n')).toContain('secrets');
  });

  test('when any container runs, then its root file system is read-only (tmpfs /tmp), it has no capabilities, cannot gain privileges and has memory and process limits', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.image && !s.build) continue;
      expect(s.read_only, name).toBe(true);
      expect(s.tmpfs, name).toEqual([expect.stringMatching(/^\/tmp(:|$)/)]);
      expect(s.cap_drop, name).toEqual(['ALL']);
      expect(s.security_opt, name).toContain('no-new-privileges:true');
      expect(s.mem_limit, name).toMatch(/^\d+[mg]$/);
      expect(s.pids_limit, name).toBeGreaterThan(0);
    }
    // Redis starts as its own user: its image's entrypoint would need capabilities to switch.
    expect(service('redis').user).toBe('redis');
  });

  test('when images are named, then each is pinned to an exact version', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build) continue;
      // Prometheus tags its versions with a `v`.
      expect(s.image, name).toMatch(/^[a-z0-9./-]+:v?\d+\.\d+\.\d+(-[a-z0-9.]+)?(@sha256:[a-f0-9]{64})?$/);
    }
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=\d+\.\d+\.\d+$/m);
    expect(dockerfile).toMatch(/^ARG PNPM_VERSION=\d+\.\d+\.\d+$/m);
  });

  test('when the dashboard is published, then only on the host loopback', () => {
    expect(service('dashboard').ports).toEqual(['127.0.0.1:${DASHBOARD_PORT:-3000}:3000']);
    // The monitoring profile's Prometheus and Grafana are published on the loopback too.
    expect(service('prometheus').ports).toEqual(['127.0.0.1:${PROMETHEUS_PORT:-9090}:9090']);
    expect(service('grafana').ports).toEqual(['127.0.0.1:${GRAFANA_PORT:-3001}:3000']);
    for (const [name, s] of Object.entries(services))
      if (!['dashboard', 'prometheus', 'grafana'].includes(name)) expect(s.ports, name).toBeUndefined();
  });

  test('when the base file runs without the override, then no role falls back to a simulator or its credentials', () => {
    expect(text).not.toMatch(/-sim\b|tbe-sim/);
    for (const name of ROLES) {
      for (const [variable, value] of Object.entries(compose.services[name]?.environment ?? {})) {
        if (!/^(WM_|CHERWELL_|SFYC_)/.test(variable) || variable === 'CHERWELL_AUTH_MODE') continue;
        if (
          /_(MAX_RETRIES|MAX_TICKETS_PER_REQUEST|BATCH_WAIT_MS|MAX_IN_FLIGHT)$|^WM_STATUS_REPORTING$/.test(
            variable,
          )
        )
          continue;
        expect(interpolation(value ?? '')?.[1], `${name}: ${variable}`).toBe('');
      }
    }
    for (const name of SIMULATORS) expect(compose.services[name], name).toBeUndefined();
  });

  test('when the roles start, then from the repository Dockerfile, after a healthy Redis, with the documented replicas and port', () => {
    for (const name of [...ROLES, ...SIMULATORS]) {
      const s = service(name);
      expect(
        existsSync(join(ROOT, s.build?.context ?? '-', s.build?.dockerfile ?? '-')),
        `${name} build`,
      ).toBe(true);
      expect(s.depends_on?.redis?.condition).toBe('service_healthy');
    }
    expect(service('producer').deploy?.replicas).toBe(2);
    expect(service('worker').deploy?.replicas).toBe(2);
    expect(service('dashboard').ports).toEqual([expect.stringMatching(/:3000$/)]);
    for (const name of [...ROLES, ...SIMULATORS]) expect(service(name).profiles, name).toBeUndefined();
  });

  test('when a variable is given to a container, then the configuration knows it; the rest are compose-only and documented', () => {
    // Only the services that run the image; Prometheus and Grafana have their own variables.
    for (const [name, s] of Object.entries(services).filter(([, s]) => s.build)) {
      for (const variable of Object.keys(s.environment ?? {}))
        expect(KNOWN, `${name}: ${variable}`).toContain(variable);
    }
    const interpolated = new Set([...(text + simText).matchAll(/\$\{(\w+)/g)].map((m) => m[1] ?? ''));
    const header = text.slice(0, text.indexOf('\nname:'));
    for (const variable of interpolated) {
      if (KNOWN.has(variable)) continue;
      expect(COMPOSE_ONLY).toContain(variable);
      expect(header, `${variable} documented in the header`).toContain(variable);
    }
  });

  test('when the simulators override is added, then WM_URL, CHERWELL_URL and SFYC_URL name a simulator service on its port', () => {
    const env = withSimulators('worker').environment ?? {};
    expect(withSimulators('producer').environment?.WM_URL).toBe(env.WM_URL);
    for (const [variable, simulator, devicePath] of [
      ['WM_URL', 'wm-sim', '/ticketing-wm'],
      ['CHERWELL_URL', 'cherwell-sim', '/CherwellAPI'],
      ['SFYC_URL', 'sfyc-sim', '/api'],
    ] as const) {
      const fallback = new URL(env[variable] ?? 'http://none');
      expect(fallback.hostname).toBe(simulator);
      expect(fallback.pathname).toBe(devicePath);
      const command = service(simulator).command ?? [];
      expect(command[command.indexOf('--port') + 1]).toBe(fallback.port);
      expect(command[command.indexOf('--advertise') + 1]).toBe(simulator);
      expect(service(simulator).healthcheck?.test.join(' ')).toContain(`:${fallback.port}/`);
    }
    // The simulators accept the credentials the roles are given, and bring their own Redis password.
    expect(simCompose.secrets?.redis_password?.file).toBe('./docker/simulators/redis-password');
    const password = readFileSync(join(ROOT, 'docker/simulators/redis-password'), 'utf8').trim();
    expect(readFileSync(join(ROOT, 'docker/simulators/redis-url'), 'utf8').trim()).toBe(
      `redis://:${password}@redis:6379`,
    );
    for (const variable of [
      'CHERWELL_CLIENT_ID',
      'CHERWELL_USERNAME',
      'CHERWELL_PASSWORD',
      'SFYC_CLIENT_ID',
      'SFYC_CLIENT_SECRET',
    ]) {
      expect(service('cherwell-sim').environment?.[variable]).toBe(
        withSimulators('worker').environment?.[variable],
      );
      expect(withSimulators('worker').environment?.[variable], variable).toMatch(/\S/);
    }
  });

  test('when the admin token is wired, then the dashboard takes ADMIN_TOKEN or the ADMIN_TOKEN_FILE secret', () => {
    const env = service('dashboard').environment ?? {};
    expect(interpolation(env.ADMIN_TOKEN ?? '')?.[0]).toBe('ADMIN_TOKEN');
    expect(env.ADMIN_TOKEN_FILE).toBe('${ADMIN_TOKEN_FILE:+/run/secrets/admin_token}');
    expect(service('dashboard').secrets).toEqual(['redis_url', 'admin_token']);
    expect(interpolation(compose.secrets?.admin_token?.file ?? '')?.[0]).toBe('ADMIN_TOKEN_FILE');
    for (const name of ['producer', 'worker', ...SIMULATORS])
      expect(service(name).environment?.ADMIN_TOKEN).toBeUndefined();
  });

  describe('commands', () => {
    const shapes = new Map<string, CommandShape>();
    beforeAll(async () => {
      const names = [
        ...new Set(Object.values(services).flatMap((s) => (s.build ? [s.command?.[0] ?? 'help'] : []))),
      ];
      for (const [name, shape] of await Promise.all(
        names.map(async (n) => [n, await commandShape(n)] as const),
      )) {
        shapes.set(name, shape);
      }
    });

    test('when a service runs the image, then its command is a real CLI command with valid arguments and options', async () => {
      for (const [name, s] of Object.entries(services)) {
        if (!s.build) continue;
        const [command = '', ...args] = s.command ?? [];
        const shape = shapes.get(command);
        expect(shape, `${name}: ${command}`).toBeDefined();
        const positionals: string[] = [];
        for (let i = 0; i < args.length; i++) {
          const arg = args[i] ?? '';
          if (!arg.startsWith('--')) {
            positionals.push(arg);
            continue;
          }
          const takesValue = shape?.options.get(arg.slice(2));
          expect(takesValue, `${name}: option ${arg}`).toBeDefined();
          if (takesValue) i++;
        }
        positionals.forEach((value, index) => {
          // `[a] [b] [c]`: any of them in any position; `<a|b>`: this position's choices.
          const allowed = shape?.positionals.length === 1 ? shape.positionals[0] : shape?.positionals.flat();
          expect(allowed, `${name}: ${value} at ${index}`).toContain(value);
        });
      }
      // And the CLI itself accepts each command line (bad usage would exit 2 before --help).
      const results = await Promise.all(
        Object.values(services)
          .filter((s) => s.build)
          .map((s) => ticketingBe([...(s.command ?? []), '--help'])),
      );
      for (const result of results) expect(result.code, result.stderr).toBe(0);
    });
  });
});
