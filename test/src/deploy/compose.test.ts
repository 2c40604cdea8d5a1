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
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
const SIMULATORS = ['wm-sim', 'cherwell-sim', 'sfyc-sim'];
const ROLES = ['producer', 'worker', 'dashboard'];

/** Variables compose itself reads (not the app): documented in the file's header. */
const COMPOSE_ONLY = ['TBE_IMAGE', 'DASHBOARD_PORT'];
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
    expect(redis.healthcheck?.test).toEqual(expect.arrayContaining(['redis-cli', 'ping']));
    expect(redis.volumes?.some((volume) => volume.endsWith(':/data'))).toBe(true);
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
    for (const name of ROLES) expect(service(name).profiles, name).toBeUndefined();
    for (const name of SIMULATORS) expect(service(name).profiles).toEqual(['simulators']);
  });

  test('when a variable is given to a container, then the configuration knows it; the rest are compose-only and documented', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const variable of Object.keys(s.environment ?? {}))
        expect(KNOWN, `${name}: ${variable}`).toContain(variable);
    }
    const interpolated = new Set([...text.matchAll(/\$\{(\w+)/g)].map((m) => m[1] ?? ''));
    const header = text.slice(0, text.indexOf('\nname:'));
    for (const variable of interpolated) {
      if (KNOWN.has(variable)) continue;
      expect(COMPOSE_ONLY).toContain(variable);
      expect(header, `${variable} documented in the header`).toContain(variable);
    }
  });

  test('when the simulators profile is on, then WM_URL, CHERWELL_URL and SFYC_URL default to a simulator service on its port', () => {
    const env = service('worker').environment ?? {};
    for (const [variable, simulator, devicePath] of [
      ['WM_URL', 'wm-sim', '/ticketing-wm'],
      ['CHERWELL_URL', 'cherwell-sim', '/CherwellAPI'],
      ['SFYC_URL', 'sfyc-sim', '/api'],
    ] as const) {
      const fallback = new URL(interpolation(env[variable] ?? '')?.[1] ?? 'http://none');
      expect(fallback.hostname).toBe(simulator);
      expect(fallback.pathname).toBe(devicePath);
      const command = service(simulator).command ?? [];
      expect(command[command.indexOf('--port') + 1]).toBe(fallback.port);
      expect(command[command.indexOf('--advertise') + 1]).toBe(simulator);
      expect(service(simulator).healthcheck?.test.join(' ')).toContain(`:${fallback.port}/`);
    }
    // The simulators accept the credentials the roles are given.
    for (const variable of [
      'CHERWELL_CLIENT_ID',
      'CHERWELL_USERNAME',
      'CHERWELL_PASSWORD',
      'SFYC_CLIENT_ID',
      'SFYC_CLIENT_SECRET',
    ]) {
      expect(service('cherwell-sim').environment?.[variable]).toBe(service('worker').environment?.[variable]);
    }
  });

  test('when the admin token is wired, then the dashboard takes ADMIN_TOKEN or the ADMIN_TOKEN_FILE secret', () => {
    const env = service('dashboard').environment ?? {};
    expect(interpolation(env.ADMIN_TOKEN ?? '')?.[0]).toBe('ADMIN_TOKEN');
    expect(env.ADMIN_TOKEN_FILE).toBe('${ADMIN_TOKEN_FILE:+/run/secrets/admin_token}');
    expect(service('dashboard').secrets).toEqual(['admin_token']);
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
