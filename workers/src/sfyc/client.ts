import { HttpStatusError, InvalidResponseError, type SfycConfig } from '@tbe/shared';
import type { z } from 'zod';
import type { AuthState } from '../platform/adapter.ts';
import { createHttpClient } from '../http/client.ts';
import { DEFAULT_MAX_IN_FLIGHT, type AdapterOptions } from '../http/options.ts';
import { tokenEndpointError } from '../http/token-errors.ts';
import { createTokenManager } from '../http/token-manager.ts';
import {
  resultsAnswer,
  searchAnswer,
  tokenAnswer,
  type Operation,
  type Result,
  type SearchItem,
  type SearchQuery,
  type WorkOrderRequest,
} from './schema.ts';

/** Rows per search page. */
const PAGE_LIMIT = 500;
const MAX_PAGES = 1000;

export interface SfycClient {
  authState(): AuthState;
  authenticate(): Promise<void>;
  /** Every item of a search, page by page; `items`: the ids or entities it names. */
  search(items: number, query: SearchQuery): Promise<SearchItem[]>;
  /** One result per operation, in order (`allOrNone: false`); a 413 is answered by splitting. */
  batch(call: string, operations: Operation[]): Promise<Result[]>;
  workOrders(orders: WorkOrderRequest[]): Promise<Result[]>;
  close(): Promise<void>;
}

export function createSfycClient(config: SfycConfig, options: AdapterOptions): SfycClient {
  const http = createHttpClient({
    platform: 'sfyc',
    baseUrl: config.url,
    requestTimeoutMs: config.requestTimeoutMs,
    maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    maxResponseBytes: options.maxResponseBytes,
    observer: options.observer,
    secrets: [config.clientSecret],
  });
  const tokens = createTokenManager({
    platform: 'sfyc',
    authRetryMs: options.authRetryMs,
    nowMs: options.nowMs,
    fetchGrant: async () => {
      const form = {
        grant_type: 'client_credentials',
        client_id: config.clientId,
        client_secret: config.clientSecret,
      };
      try {
        const answer = await http.request({
          call: 'token',
          items: 0,
          method: 'POST',
          path: '/oauth/token',
          form,
          schema: tokenAnswer,
        });
        return { accessToken: answer.access_token, lifetimeMs: answer.expires_in * 1000 };
      } catch (error) {
        throw tokenEndpointError('sfyc', error);
      }
    },
  });

  function api<T>(
    call: string,
    items: number,
    path: string,
    json: unknown,
    schema: z.ZodType<T>,
  ): Promise<T> {
    return tokens.withToken((token) =>
      http.request({ call, items, method: 'POST', path, json, schema, bearer: token, secrets: [token] }),
    );
  }

  /** Sends `parts`; on a 413 sends each half, down to single items refused for good. */
  async function splitting<P>(parts: P[], send: (part: P[]) => Promise<Result[]>): Promise<Result[]> {
    if (parts.length === 0) return [];
    try {
      const results = await send(parts);
      if (results.length !== parts.length) {
        throw new InvalidResponseError(
          `SFyC answered ${results.length} results for ${parts.length} operations`,
        );
      }
      return results;
    } catch (error) {
      if (!(error instanceof HttpStatusError && error.status === 413)) throw error;
      if (parts.length === 1) return [tooLarge()];
      const half = Math.ceil(parts.length / 2);
      return [
        ...(await splitting(parts.slice(0, half), send)),
        ...(await splitting(parts.slice(half), send)),
      ];
    }
  }

  async function search(items: number, query: SearchQuery): Promise<SearchItem[]> {
    const found: SearchItem[] = [];
    let page: string | undefined;
    for (let n = 0; n < MAX_PAGES; n += 1) {
      const body = { ...query, limit: PAGE_LIMIT, ...(page === undefined ? {} : { page }) };
      const answer = await api('search', items, '/v1/tickets/search', body, searchAnswer);
      found.push(...answer.items);
      if (!answer.next) return found;
      page = answer.next;
    }
    throw new InvalidResponseError(`SFyC search still had items after ${MAX_PAGES} pages`);
  }

  return {
    authState: () => tokens.authState(),
    authenticate: () => tokens.authenticate(),
    search,
    batch: (call, operations) =>
      splitting(operations, async (part) => {
        const body = { allOrNone: false, operations: part };
        return (await api(call, part.length, '/v1/tickets/batch', body, resultsAnswer)).results;
      }),
    workOrders: (orders) =>
      splitting(
        orders,
        async (part) =>
          (await api('workOrder', part.length, '/v1/work-orders/batch', { orders: part }, resultsAnswer))
            .results,
      ),
    close: () => http.close(),
  };
}

/** A single operation SFyC still finds too large: no split can help it. */
function tooLarge(): Result {
  return {
    success: false,
    errors: [
      { code: 'TOO_LARGE', message: 'SFyC refused the operation as too large (413)', retryable: false },
    ],
  };
}
