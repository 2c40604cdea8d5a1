import { InvalidResponseError, type CherwellConfig } from '@tbe/shared';
import type { z } from 'zod';
import type { AuthState } from '../platform/adapter.ts';
import { createHttpClient } from '../http/client.ts';
import { DEFAULT_MAX_IN_FLIGHT, type AdapterOptions } from '../http/options.ts';
import { createTokenManager } from '../http/token-manager.ts';
import {
  saveAnswer,
  searchAnswer,
  summaryAnswer,
  templateAnswer,
  type SaveAnswer,
  type SaveRequest,
  type SearchFilter,
  type SearchRow,
} from './schema.ts';
import { fetchGrant } from './token.ts';

/** Cherwell's largest page (cherwell.md). */
export const PAGE_SIZE = 200;
/** A bound on paging, against a server that keeps answering full pages. */
const MAX_PAGES = 1000;

export interface SearchSpec {
  busObId: string;
  filters: SearchFilter[];
  fields: string[];
}

/** The Cherwell calls Ticketing BE makes, authenticated, with JSON in and out. */
export interface CherwellClient {
  authState(): AuthState;
  busObSummary(name: string): Promise<z.infer<typeof summaryAnswer>>;
  template(busObId: string, fieldNames: readonly string[]): Promise<z.infer<typeof templateAnswer>>;
  /** One savebusinessobjectbatch; `call` names the operation for the records. */
  save(call: string, saveRequests: SaveRequest[]): Promise<SaveAnswer>;
  /** Every row of a search, page by page; `items`: the ids or entities it names. */
  search(call: string, items: number, spec: SearchSpec): Promise<SearchRow[]>;
  close(): Promise<void>;
}

export function createCherwellClient(config: CherwellConfig, options: AdapterOptions): CherwellClient {
  const http = createHttpClient({
    platform: 'cherwell',
    baseUrl: config.url,
    requestTimeoutMs: config.requestTimeoutMs,
    maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    maxResponseBytes: options.maxResponseBytes,
    observer: options.observer,
    secrets: [config.clientId, config.password],
  });
  const tokens = createTokenManager({
    platform: 'cherwell',
    authRetryMs: options.authRetryMs,
    nowMs: options.nowMs,
    fetchGrant: (held) => fetchGrant(http, config, held),
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

  async function search(call: string, items: number, spec: SearchSpec): Promise<SearchRow[]> {
    const rows: SearchRow[] = [];
    for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
      const body = { ...spec, includeAllFields: false, pageNumber, pageSize: PAGE_SIZE };
      const page = await api(call, items, '/api/V1/getsearchresults', body, searchAnswer);
      if (page.hasError) {
        throw new InvalidResponseError(
          `Cherwell search failed: ${page.errorCode ?? ''} ${page.errorMessage ?? ''}`.trim(),
        );
      }
      const found = page.businessObjects ?? [];
      rows.push(...found);
      if (found.length === 0 || rows.length >= page.totalRows) return rows;
    }
    throw new InvalidResponseError(`Cherwell search still had rows after ${MAX_PAGES} pages`);
  }

  return {
    authState: () => tokens.authState(),
    busObSummary: (name) =>
      tokens.withToken((token) =>
        http.request({
          call: 'summary',
          items: 0,
          method: 'GET',
          path: `/api/V1/getbusinessobjectsummary/busobname/${encodeURIComponent(name)}`,
          schema: summaryAnswer,
          bearer: token,
          secrets: [token],
        }),
      ),
    template: (busObId, fieldNames) =>
      api(
        'template',
        0,
        '/api/V1/getbusinessobjecttemplate',
        { busObId, fieldNames, includeRequired: true },
        templateAnswer,
      ),
    save: (call, saveRequests) =>
      api(
        call,
        saveRequests.length,
        '/api/V1/savebusinessobjectbatch',
        { saveRequests, stopOnError: false },
        saveAnswer,
      ),
    search,
    close: () => http.close(),
  };
}
