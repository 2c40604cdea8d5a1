import { isPlatform, PLATFORMS, settingsPatchSchema, TICKET_STATES, type Platform } from '@tbe/shared';
import { isQuarantineCursor } from '@tbe/shared/store/quarantine';
import { z } from 'zod';
import type { QueueCommands } from '../commands.ts';
import type { DashboardContext } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import { listDeadLetters } from '../reads/dead-letters.ts';
import { resolveTicketId } from '../reads/ids.ts';
import { readStatus } from '../reads/status.ts';
import { listTicketRows } from '../reads/ticket-rows.ts';
import { listTickets, readTicket } from '../reads/tickets.ts';
import { parseInput } from '../validation.ts';
import { readJson } from './io.ts';
import type { Route } from './router.ts';

/** Page sizes of every listing. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** Ids named in one retry call. */
const MAX_RETRY_IDS = 1000;

const limitField = z.coerce
  .number({ error: `expected an integer from 1 to ${MAX_LIMIT}` })
  .int({ error: `expected an integer from 1 to ${MAX_LIMIT}` })
  .min(1, { error: `expected an integer from 1 to ${MAX_LIMIT}` })
  .max(MAX_LIMIT, { error: `expected an integer from 1 to ${MAX_LIMIT}` })
  .default(DEFAULT_LIMIT);
const pageQuery = z.object({ limit: limitField, cursor: z.string().optional() });
export const ticketsQuery = pageQuery.extend({
  // A bad query value is a bad request (400 with the field); an unknown platform in a path is 404.
  platform: z.enum(PLATFORMS, { error: `expected one of ${PLATFORMS.join(', ')}` }).optional(),
  state: z.enum(TICKET_STATES, { error: `expected one of ${TICKET_STATES.join(', ')}` }).optional(),
  // Added to the contract's parameters: a text filter, and one row per WM ticket.
  q: z.string().trim().max(200, { error: 'expected at most 200 characters' }).optional(),
  group: z.enum(['platform', 'ticket'], { error: 'expected platform or ticket' }).default('platform'),
});
const processingBody = z.strictObject({ enabled: z.boolean({ error: 'expected true or false' }) });
const retryBody = z
  .strictObject({
    ids: z
      .array(z.string().min(1, { error: 'expected a dead-letter id or a WM ticket id' }))
      .min(1)
      .max(MAX_RETRY_IDS)
      .optional(),
    all: z.literal(true, { error: 'expected true' }).optional(),
  })
  .refine((body) => (body.ids === undefined) !== (body.all === undefined), {
    error: 'give either "ids" or "all": true',
  });

/** Every input schema of the API, for the tests that feed them anything. */
export const inputSchemas = { pageQuery, ticketsQuery, processingBody, retryBody } as const;

/** A platform named in a path: 404 when there is none of that name. */
function platformOf(name: string | undefined): Platform {
  if (name !== undefined && isPlatform(name)) return name;
  throw notFound(`no platform named ${name ?? ''}`);
}

/** Query parameters as an object; empty values (`?state=`) count as absent. */
function queryObject(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...query.entries()].filter(([, value]) => value !== ''));
}

/** The admin API (operations.md, "Admin API"), as data. Reads call the readers, changes the commands. */
export function apiRoutes(ctx: DashboardContext, commands: QueueCommands): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/status',
      handle: async () => ({ status: 200, body: await readStatus(ctx) }),
    },
    {
      method: 'PUT',
      pattern: '/api/platforms/:platform/processing',
      async handle({ params, req }) {
        const target = params.platform === 'all' ? 'all' : platformOf(params.platform);
        const { enabled } = parseInput(processingBody, await readJson(req), 'body');
        const states = await commands.setProcessing(target, enabled);
        return { status: 200, body: target === 'all' ? { platforms: states } : states[0] };
      },
    },
    {
      method: 'PATCH',
      pattern: '/api/platforms/:platform/settings',
      async handle({ params, req }) {
        const platform = platformOf(params.platform);
        const patch = parseInput(settingsPatchSchema(platform), await readJson(req), 'body');
        return { status: 200, body: await commands.updateSettings(platform, patch) };
      },
    },
    {
      method: 'GET',
      pattern: '/api/tickets',
      async handle({ query }) {
        const { q, group, ...parsed } = parseInput(ticketsQuery, queryObject(query), 'query');
        const filter = { ...parsed, text: q === '' ? undefined : q };
        const list = group === 'ticket' ? listTicketRows : listTickets;
        return { status: 200, body: await list(ctx, filter) };
      },
    },
    {
      method: 'GET',
      pattern: '/api/tickets/:ticketId',
      async handle({ params }) {
        const ticket = await readTicket(ctx, await resolveTicketId(ctx, params.ticketId ?? ''));
        if (!ticket) throw notFound(`no ticket ${params.ticketId ?? ''} on any platform`);
        return { status: 200, body: ticket };
      },
    },
    {
      method: 'GET',
      pattern: '/api/dead-letters/:platform',
      async handle({ params, query }) {
        const platform = platformOf(params.platform);
        const page = parseInput(pageQuery, queryObject(query), 'query');
        return { status: 200, body: await listDeadLetters(ctx, platform, page) };
      },
    },
    {
      method: 'POST',
      pattern: '/api/dead-letters/:platform/retry',
      async handle({ params, req }) {
        const platform = platformOf(params.platform);
        const body = parseInput(retryBody, await readJson(req), 'body');
        const retried = await commands.retryDeadLetters(
          platform,
          body.ids ? { ids: body.ids } : { all: true },
        );
        return { status: 200, body: { retried } };
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/dead-letters/:platform/:id',
      async handle({ params }) {
        await commands.discardDeadLetter(platformOf(params.platform), params.id ?? '');
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/api/quarantine',
      async handle({ query }) {
        const page = parseInput(pageQuery, queryObject(query), 'query');
        if (page.cursor !== undefined && !isQuarantineCursor(page.cursor)) {
          throw badRequest('invalid cursor', [
            { path: 'cursor', message: 'not a cursor from a previous page' },
          ]);
        }
        return { status: 200, body: await ctx.quarantine.list(page) };
      },
    },
  ];
}
