import { z } from 'zod';
import { ControlError } from '../common/route.ts';
import type { ControlRoute } from '../common/route.ts';
import { AUTH_MODES } from './auth.ts';
import { INCIDENT, NOTE, STATUSES, WORK_ORDER } from './busobs.ts';
import type { CherwellSimulator } from './server.ts';

const busOb = z.enum([INCIDENT, NOTE, WORK_ORDER]);

/** Cherwell-specific `/_sim/` endpoints: what a human in Cherwell would do, and inspection. */
export function cherwellControlRoutes(sim: () => CherwellSimulator): ControlRoute[] {
  const ok = { status: 204 } as const;
  const incident = (ref: string | undefined) => {
    const found = ref === undefined ? undefined : sim().incident(ref);
    if (!found) throw new ControlError(404, `no incident ${ref}`);
    return found;
  };
  return [
    {
      method: 'GET',
      path: '/busobs',
      handle: () => ({
        status: 200,
        body: {
          busObIds: sim().busObIds(),
          fieldIds: Object.fromEntries(busOb.options.map((name) => [name, sim().fieldIds(name)])),
        },
      }),
    },
    {
      method: 'GET',
      path: '/incidents',
      handle: () => ({ status: 200, body: { incidents: sim().incidents() } }),
    },
    { method: 'GET', path: '/notes', handle: () => ({ status: 200, body: { notes: sim().notes() } }) },
    {
      method: 'GET',
      path: '/work-orders',
      handle: () => ({ status: 200, body: { workOrders: sim().workOrders() } }),
    },
    {
      method: 'POST',
      path: '/incidents',
      handle: (body) => ({
        status: 201,
        body: sim().seedIncident(z.record(z.string(), z.string()).parse(body ?? {})),
      }),
    },
    {
      method: 'POST',
      path: '/incidents/:ref/status',
      handle: (body, params) => {
        const { status } = z.strictObject({ status: z.enum(STATUSES) }).parse(body);
        sim().setIncidentStatus(incident(params.ref).busObRecId, status);
        return ok;
      },
    },
    {
      method: 'DELETE',
      path: '/incidents/:ref',
      handle: (_body, params) => {
        sim().deleteIncident(incident(params.ref).busObRecId);
        return ok;
      },
    },
    {
      method: 'POST',
      path: '/credentials',
      handle: (body) => {
        const input = z
          .strictObject({
            clientId: z.string().optional(),
            username: z.string().optional(),
            password: z.string().optional(),
            authMode: z.enum(AUTH_MODES).optional(),
          })
          .parse(body ?? {});
        sim().setCredentials(input);
        return ok;
      },
    },
    {
      method: 'POST',
      path: '/token-settings',
      handle: (body) => {
        const input = z.strictObject({ tokenTtlSeconds: z.int().min(1) }).parse(body);
        sim().setTokenTtlSeconds(input.tokenTtlSeconds);
        return ok;
      },
    },
    {
      method: 'POST',
      path: '/revoke-tokens',
      handle: (body) => {
        const input = z.strictObject({ refreshTokens: z.boolean().optional() }).parse(body ?? {});
        sim().revokeTokens(input);
        return ok;
      },
    },
    {
      method: 'POST',
      path: '/required-fields',
      handle: (body) => {
        const input = z.strictObject({ busOb, fields: z.array(z.string().min(1)) }).parse(body);
        sim().setRequiredFields(input.busOb, input.fields);
        return ok;
      },
    },
  ];
}
