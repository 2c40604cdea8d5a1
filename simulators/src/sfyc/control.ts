import { z } from 'zod';
import { ControlError } from '../common/route.ts';
import type { ControlRoute } from '../common/route.ts';
import type { SfycSimulator } from './server.ts';

/** SFyC-specific `/_sim/` endpoints: what a human in SFyC would do, and inspection. */
export function sfycControlRoutes(sim: () => SfycSimulator): ControlRoute[] {
  const known = (ref: string | undefined): string => {
    if (ref === undefined || !sim().ticket(ref)) throw new ControlError(404, `no ticket ${ref}`);
    return ref;
  };
  return [
    { method: 'GET', path: '/tickets', handle: () => ({ status: 200, body: { tickets: sim().tickets() } }) },
    { method: 'GET', path: '/notes', handle: () => ({ status: 200, body: { notes: sim().notes() } }) },
    {
      method: 'GET',
      path: '/work-orders',
      handle: () => ({ status: 200, body: { workOrders: sim().workOrders() } }),
    },
    {
      method: 'POST',
      path: '/tickets',
      handle: (body) => {
        const input = z
          .strictObject({
            externalId: z.string().min(1),
            version: z.int().min(1).optional(),
            fields: z.record(z.string(), z.union([z.string(), z.number()])),
          })
          .parse(body);
        return { status: 201, body: sim().seedTicket(input.externalId, input.fields, input.version) };
      },
    },
    {
      method: 'POST',
      path: '/tickets/:ref/status',
      handle: (body, params) => {
        const { status } = z.strictObject({ status: z.enum(['open', 'resolved']) }).parse(body);
        sim().setTicketStatus(known(params.ref), status);
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      path: '/tickets/:ref',
      handle: (_body, params) => {
        sim().deleteTicket(known(params.ref));
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/credentials',
      handle: (body) => {
        sim().setCredentials(
          z
            .strictObject({ clientId: z.string().optional(), clientSecret: z.string().optional() })
            .parse(body ?? {}),
        );
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/token-settings',
      handle: (body) => {
        sim().setTokenTtlSeconds(
          z.strictObject({ tokenTtlSeconds: z.int().min(1) }).parse(body).tokenTtlSeconds,
        );
        return { status: 204 };
      },
    },
  ];
}
