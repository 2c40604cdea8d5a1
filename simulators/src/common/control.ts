import { z } from 'zod';
import type { SimCore } from './core.ts';
import { parseFaultRule } from './fault-rule.ts';
import { ControlError } from './route.ts';
import type { ControlRoute } from './route.ts';

export interface CommonControlHooks {
  reset: () => void;
  /** Store contents, for `GET /_sim/state`. */
  state: () => unknown;
  revokeTokens?: () => void;
}

const settingsSchema = z.strictObject({
  maxTicketsPerRequest: z.int().min(1).optional(),
  latencyMs: z.number().min(0).optional(),
  capacity: z.int().min(1).nullable().optional(),
  hardLimit: z.int().min(1).nullable().optional(),
  retryAfterS: z.int().min(0).optional(),
});

/** The control endpoints every simulator has. */
export function commonControlRoutes(core: SimCore, hooks: CommonControlHooks): ControlRoute[] {
  const settings = () => ({
    maxTicketsPerRequest: core.maxTicketsPerRequest,
    latencyMs: core.latencyMs,
    ...core.capacity.settings,
  });
  const routes: ControlRoute[] = [
    {
      method: 'GET',
      path: '/requests',
      handle: (_body, _params, query) => {
        const since = Number(query.since ?? 0);
        const items = core.requests.filter(
          (r) => r.id > since && (query.path === undefined || r.path.endsWith(query.path)),
        );
        return { status: 200, body: { requests: items } };
      },
    },
    {
      method: 'GET',
      path: '/violations',
      handle: () => ({ status: 200, body: { violations: core.violations.list() } }),
    },
    {
      method: 'DELETE',
      path: '/violations',
      handle: () => {
        core.violations.clear();
        return { status: 204 };
      },
    },
    { method: 'GET', path: '/faults', handle: () => ({ status: 200, body: { faults: core.faults.list() } }) },
    {
      method: 'POST',
      path: '/faults',
      handle: (body) => ({ status: 201, body: { id: core.faults.add(parseFaultRule(body)) } }),
    },
    {
      method: 'DELETE',
      path: '/faults',
      handle: () => {
        core.faults.clear();
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      path: '/faults/:id',
      handle: (_body, params) => {
        if (!core.faults.remove(params.id ?? '')) throw new ControlError(404, `no fault ${params.id}`);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/reset',
      handle: () => {
        hooks.reset();
        return { status: 204 };
      },
    },
    { method: 'GET', path: '/settings', handle: () => ({ status: 200, body: settings() }) },
    {
      method: 'POST',
      path: '/settings',
      handle: (body) => {
        const { capacity, hardLimit, retryAfterS, ...rest } = settingsSchema.parse(body ?? {});
        core.setSettings(rest);
        core.capacity.set({
          ...(capacity === undefined ? {} : { capacity }),
          ...(hardLimit === undefined ? {} : { hardLimit }),
          ...(retryAfterS === undefined ? {} : { retryAfterS }),
        });
        return { status: 200, body: settings() };
      },
    },
    { method: 'GET', path: '/load', handle: () => ({ status: 200, body: core.capacity.figures() }) },
    {
      method: 'DELETE',
      path: '/load',
      handle: () => {
        core.capacity.resetFigures();
        return { status: 204 };
      },
    },
    { method: 'GET', path: '/state', handle: () => ({ status: 200, body: hooks.state() }) },
  ];
  const revoke = hooks.revokeTokens;
  if (revoke) {
    routes.push({
      method: 'POST',
      path: '/revoke-tokens',
      handle: () => {
        revoke();
        return { status: 204 };
      },
    });
  }
  return routes;
}
