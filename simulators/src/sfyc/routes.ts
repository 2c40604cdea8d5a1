import type { SimCore } from '../common/core.ts';
import type { SimRequest, SimRoute } from '../common/route.ts';
import type { TokenRegistry } from '../common/tokens.ts';
import { sfycTokenEndpoint } from './auth.ts';
import type { SfycTokenSettings } from './auth.ts';
import { ticketsBatch } from './batch.ts';
import { ticketsSearch } from './search.ts';
import type { SfycStore } from './store.ts';
import { workOrdersBatch } from './work-orders.ts';

/** The `externalId` of every element of `body[key]`, leniently. */
function externalIds(req: SimRequest, key: string): string[] {
  const list = (req.body as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const id = (item as { externalId?: unknown } | null)?.externalId;
    return typeof id === 'string' ? [id] : [];
  });
}

export function sfycRoutes(
  core: SimCore,
  store: SfycStore,
  tokens: TokenRegistry,
  settings: SfycTokenSettings,
): SimRoute[] {
  return [
    {
      method: 'POST',
      path: '/oauth/token',
      auth: false,
      handle: (req, ctx) => sfycTokenEndpoint(req, ctx, tokens, settings),
    },
    {
      method: 'POST',
      path: '/v1/tickets/search',
      auth: true,
      touches: (req) => {
        const ids = (req.body as { externalIds?: unknown } | null)?.externalIds;
        return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
      },
      handle: (req, ctx) => ticketsSearch(req, ctx, store, core),
    },
    {
      method: 'POST',
      path: '/v1/tickets/batch',
      auth: true,
      touches: (req) => externalIds(req, 'operations'),
      handle: (req, ctx) => ticketsBatch(req, ctx, store, core),
    },
    {
      method: 'POST',
      path: '/v1/work-orders/batch',
      auth: true,
      touches: (req) => externalIds(req, 'orders'),
      handle: (req, ctx) => workOrdersBatch(req, ctx, store, core),
    },
  ];
}
