import { InvalidResponseError, ItemError, type CherwellConfig } from '@tbe/shared';
import type { ItemResult, NoteItem, PlatformAdapter, TicketRef } from '../platform/adapter.ts';
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
  let resolving: Promise<CherwellIds> | undefined;

  /** The ids, resolved once; a failed resolution (auth, network) is tried again by the next call. */
  function ids(): Promise<CherwellIds> {
    resolving ??= resolveIds(client, config).catch((error: unknown) => {
      resolving = undefined;
      throw error;
    });
    return resolving;
  }

  /** Sends the items that could be prepared in one save; the others fail alone. */
  async function save<I, V>(
    call: string,
    items: readonly I[],
    prepare: (item: I, ids: CherwellIds) => Prepared,
    value: (entry: SaveEntry, item: I) => V,
  ): Promise<ItemResult<V>[]> {
    if (items.length === 0) return [];
    const known = await ids();
    const prepared = items.map((item) => prepare(item, known));
    const requests = prepared.filter((p): p is SaveRequest => !(p instanceof ItemError));
    const entries =
      requests.length === 0 ? [] : saveEntries(await client.save(call, requests), requests.length);
    let next = 0;
    return prepared.map((p, index): ItemResult<V> => {
      if (p instanceof ItemError) return { ok: false, error: p };
      const entry = entries[next++] as SaveEntry;
      const error = entryError(entry, (fieldId) => fieldName(known, fieldId));
      return error ? { ok: false, error } : { ok: true, value: value(entry, items[index] as I) };
    });
  }

  const nothing = (): void => undefined;

  return {
    platform: 'cherwell',
    init: async () => {
      await ids();
    },
    authState: () => client.authState(),
    findByWmIds: async (wmTicketIds) => searches.findByWmIds(client, await ids(), wmTicketIds),
    findOpen: async (queries) => searches.findOpen(client, await ids(), queries),
    findWorkOrders: async (refs) => searches.findWorkOrders(client, await ids(), refs),
    create: (items) =>
      save(
        'create',
        items,
        (item, known) => map.saveRequest(known.incident, map.createValues(item.ticket, item.resolved)),
        (entry) => ({
          id: required(entry.busObPublicId, 'busObPublicId'),
          recId: required(entry.busObRecId, 'busObRecId'),
        }),
      ),
    addNotes: async (items) => {
      // A repeat whose earlier save landed is found, not saved again: one note per version.
      const repeats = items.flatMap((item, index) => (item.repeat ? [index] : []));
      const present =
        repeats.length === 0
          ? new Set<number>()
          : new Set(
              [
                ...(await searches.findNotes(
                  client,
                  await ids(),
                  repeats.map((i) => items[i] as NoteItem),
                )),
              ].map((found) => repeats[found] as number),
            );
      const toSave = items.filter((_, index) => !present.has(index));
      const saved = await save(
        'note',
        toSave,
        (item, known) =>
          withRecId(item.host, (recId) =>
            map.saveRequest(known.note, map.noteValues(known, recId, item.text)),
          ),
        nothing,
      );
      let next = 0;
      return items.map((_, index): ItemResult<void> =>
        present.has(index) ? { ok: true, value: undefined } : (saved[next++] as ItemResult<void>),
      );
    },
    createWorkOrders: (items) =>
      save(
        'workOrder',
        items,
        (item, known) =>
          withRecId(item.ref, (recId) =>
            map.saveRequest(known.workOrder, map.workOrderValues(known, recId, item.ticket)),
          ),
        (entry) => required(entry.busObPublicId, 'busObPublicId'),
      ),
    writeWorkOrder: (items) =>
      save(
        'writeBack',
        items,
        (item, known) =>
          map.saveRequest(known.incident, map.writeBackValues(item.ticket, item.workOrder), target(item.ref)),
        nothing,
      ),
    update: (items) =>
      save(
        'update',
        items,
        (item, known) => map.saveRequest(known.incident, map.updateValues(item.ticket), target(item.ref)),
        nothing,
      ),
    resolve: (items) =>
      save(
        'resolve',
        items,
        (item, known) => map.saveRequest(known.incident, map.resolveValues(item.ticket), target(item.ref)),
        nothing,
      ),
    close: () => client.close(),
  };
}

/** `Incident.ShortDescription` for a field id, to name refused fields in an error. */
function fieldName(ids: CherwellIds, fieldId: string): string {
  for (const busOb of [ids.incident, ids.note, ids.workOrder] as Array<BusOb<string>>) {
    const entry = Object.entries(busOb.fieldIds).find(([, id]) => map.sameFieldId(id, fieldId));
    if (entry) return `${busOb.name}.${entry[0]}`;
  }
  return fieldId;
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
