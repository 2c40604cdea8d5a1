import type { SimCore } from '../common/core.ts';
import type { SimRoute } from '../common/route.ts';
import type { TokenRegistry } from '../common/tokens.ts';
import { tokenEndpoint } from './auth.ts';
import type { TokenSettings } from './auth.ts';
import { saveBatch } from './save.ts';
import { searchResults } from './search.ts';
import type { CherwellStore } from './store.ts';
import { summary } from './summary.ts';
import { template } from './template.ts';
import { saveBatchTicketIds, searchTicketIds } from './touches.ts';

export function cherwellRoutes(
  core: SimCore,
  store: CherwellStore,
  tokens: TokenRegistry,
  settings: TokenSettings,
): SimRoute[] {
  return [
    {
      method: 'POST',
      path: '/token',
      auth: false,
      // A form sent without its content type gets the OAuth error, not the API's.
      anyBody: true,
      handle: (req, ctx) => tokenEndpoint(req, ctx, tokens, core, settings),
    },
    {
      method: 'GET',
      path: '/api/V1/getbusinessobjectsummary/busobname/:name',
      auth: true,
      handle: (req) => summary(req, store),
    },
    {
      method: 'POST',
      path: '/api/V1/getbusinessobjecttemplate',
      auth: true,
      handle: (req, ctx) => template(req, ctx, store),
    },
    {
      method: 'POST',
      path: '/api/V1/savebusinessobjectbatch',
      auth: true,
      touches: (req) => saveBatchTicketIds(req.body, store),
      handle: (req, ctx) => saveBatch(req, ctx, store, core),
    },
    {
      method: 'POST',
      path: '/api/V1/getsearchresults',
      auth: true,
      touches: (req) => searchTicketIds(req.body, store),
      handle: (req, ctx) => searchResults(req, ctx, store, core),
    },
  ];
}
