import { InvalidResponseError, ItemError, type CherwellConfig } from '@tbe/shared';
import type { ItemResult, PlatformAdapter, TicketRef } from '../platform/adapter.ts';
import type { AdapterOptions } from '../http/options.ts';
import { createCherwellClient } from './client.ts';
import { resolveIds, type BusOb, type CherwellIds } from './fields.ts';
import * as map from './mapper.ts';
import { entryError, saveEntries } from './results.ts';
import type { SaveEntry, SaveRequest } from './schema.ts';
import * as searches from './searches.ts';

/** A save request for an item, or why the item cannot be sent at all. */
type Prepared = SaveRequest | ItemError;

/**
 * Cherwell behind the PlatformAdapter seam. Every adapter method is one request (the flow
 * passes at most `maxTicketsPerRequest` items); every save entry is read on its own.
 */
export function createCherwellAdapter(config: CherwellConfig, options: AdapterOptions): PlatformAdapter {
  const client = createCherwellClient(config, options);
  let resolved: CherwellIds | undefined;

  function ids(): CherwellIds {
    if (!resolved) throw new Error('the Cherwell adapter is used before init()');
    return resolved;
  }

  function fieldName(fieldId: string): string {
    const { incident, note, workOrder } = ids();
    for (const busOb of [incident, note, workOrder] as Array<BusOb<string>>) {
      const entry = Object.entries(busOb.fieldIds).find(([, id]) => id === fieldId);
      if (entry) return `${busOb.name}.${entry[0]}`;
    }
    return fieldId;
  }

  /** Sends the items that could be prepared in one save; the others fail alone. */
  async function save<I, V>(
    call: string,
    items: readonly I[],
    prepare: (item: I) => Prepared,
    value: (entry: SaveEntry, item: I) => V,
  ): Promise<ItemResult<V>[]> {
    const prepared = items.map(prepare);
    const requests = prepared.filter((p): p is SaveRequest => !(p instanceof ItemError));
    const entries =
      requests.length === 0 ? [] : saveEntries(await client.save(call, requests), requests.length);
    let next = 0;
    return prepared.map((p, index): ItemResult<V> => {
      if (p instanceof ItemError) return { ok: false, error: p };
      const entry = entries[next++] as SaveEntry;
      const error = entryError(entry, fieldName);
      return error ? { ok: false, error } : { ok: true, value: value(entry, items[index] as I) };
    });
  }

  return {
    platform: 'cherwell',
    init: async () => {
      resolved ??= await resolveIds(client, config);
    },
    authState: () => client.authState(),
    findByWmIds: (wmTicketIds) => searches.findByWmIds(client, ids(), wmTicketIds),
    findOpen: (queries) => searches.findOpen(client, ids(), queries),
    findWorkOrders: (refs) => searches.findWorkOrders(client, ids(), refs),
    create: (items) =>
      save(
        'create',
        items,
        (item) => map.saveRequest(ids().incident, map.createValues(item.ticket, item.resolved)),
        (entry) => ({
          id: required(entry.busObPublicId, 'busObPublicId'),
          recId: required(entry.busObRecId, 'busObRecId'),
        }),
      ),
    addNotes: (items) =>
      save(
        'note',
        items,
        (item) =>
          withRecId(item.host, (recId) =>
            map.saveRequest(ids().note, map.noteValues(ids(), recId, item.text)),
          ),
        () => undefined,
      ),
    createWorkOrders: (items) =>
      save(
        'workOrder',
        items,
        (item) =>
          withRecId(item.ref, (recId) =>
            map.saveRequest(ids().workOrder, map.workOrderValues(ids(), recId, item.ticket)),
          ),
        (entry) => required(entry.busObPublicId, 'busObPublicId'),
      ),
    writeWorkOrder: (items) =>
      save(
        'writeBack',
        items,
        (item) =>
          map.saveRequest(ids().incident, map.writeBackValues(item.ticket, item.workOrder), target(item.ref)),
        () => undefined,
      ),
    update: (items) =>
      save(
        'update',
        items,
        (item) => map.saveRequest(ids().incident, map.updateValues(item.ticket), target(item.ref)),
        () => undefined,
      ),
    resolve: (items) =>
      save(
        'resolve',
        items,
        (item) => map.saveRequest(ids().incident, map.resolveValues(item.ticket), target(item.ref)),
        () => undefined,
      ),
    close: () => client.close(),
  };
}

function target(ref: TicketRef): { recId: string | undefined; publicId: string } {
  return { recId: ref.recId || undefined, publicId: ref.id };
}

/** Notes and work orders hang off the incident's record id; without it they cannot be sent. */
function withRecId(ref: TicketRef, build: (recId: string) => SaveRequest): Prepared {
  if (!ref.recId)
    return new ItemError('MISSING_REC_ID', `no Cherwell record id for incident ${ref.id}`, false);
  return build(ref.recId);
}

/** A saved entry without its ids cannot be used; the save may have happened (search before retrying). */
function required(value: string | null | undefined, what: string): string {
  if (!value) throw new InvalidResponseError(`Cherwell saved an entry but answered no ${what}`);
  return value;
}
