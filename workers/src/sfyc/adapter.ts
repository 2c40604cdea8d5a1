import { InvalidResponseError, type SfycConfig } from '@tbe/shared';
import type { FoundTicket, ItemResult, OpenTicket, PlatformAdapter } from '../platform/adapter.ts';
import type { AdapterOptions } from '../http/options.ts';
import { createSfycClient } from './client.ts';
import * as map from './mapper.ts';
import type { Result } from './schema.ts';

/**
 * SFyC behind the PlatformAdapter seam. Writes are upserts keyed by the WM id, so a repeat is
 * safe; every result is read on its own, and an upsert answered `stale` is a success (a newer
 * version is already there).
 */
export function createSfycAdapter(config: SfycConfig, options: AdapterOptions): PlatformAdapter {
  const client = createSfycClient(config, options);

  function results<V>(answers: Result[], value: (result: Result) => V): ItemResult<V>[] {
    return answers.map((result) =>
      result.success ? { ok: true, value: value(result) } : { ok: false, error: map.resultError(result) },
    );
  }

  const done = (): void => undefined;

  return {
    platform: 'sfyc',
    // Nothing to resolve; authenticating now makes `authState()` and readiness true early.
    init: () => client.authenticate(),
    authState: () => client.authState(),

    findByWmIds: async (wmTicketIds) => {
      const found = new Map<string, FoundTicket>();
      if (wmTicketIds.length === 0) return found;
      const wanted = new Set(wmTicketIds);
      for (const item of await client.search(wanted.size, { externalIds: [...wanted] })) {
        const wmTicketId = item.externalId;
        if (!wmTicketId || !wanted.has(wmTicketId) || found.has(wmTicketId)) continue;
        found.set(wmTicketId, {
          id: item.id,
          wmTicketId,
          version: item.version ?? undefined,
          workOrder: item.workOrder || undefined,
          open: map.isOpenStatus(item.status),
        });
      }
      return found;
    },

    findOpen: async (queries) => {
      const wanted = new Set(queries.map((query) => `${query.entity}\u0000${query.alarmType}`));
      const entities = new Set(queries.map((query) => query.entity));
      const alarmTypes = new Set(queries.map((query) => query.alarmType));
      // One search for the batch: `alarmType` takes one value, so with several it is left out
      // and the pairs nobody asked for are kept out here.
      const [onlyAlarmType] = alarmTypes.size === 1 ? [...alarmTypes] : [];
      const open: OpenTicket[] = [];
      const items = await client.search(entities.size, {
        entities: [...entities],
        ...(onlyAlarmType === undefined ? {} : { alarmType: onlyAlarmType }),
        openOnly: true,
      });
      for (const item of items) {
        if (!item.entity || !item.alarmType || !map.isOpenStatus(item.status)) continue;
        if (!wanted.has(`${item.entity}\u0000${item.alarmType}`)) continue;
        if (open.some((ticket) => ticket.id === item.id)) continue;
        open.push({
          id: item.id,
          entity: item.entity,
          alarmType: item.alarmType,
          wmTicketId: item.externalId || undefined,
        });
      }
      return open;
    },

    create: async (items) =>
      results(
        await client.batch(
          'create',
          items.map((item) => map.createOp(item.ticket, item.resolved)),
        ),
        (result) => {
          if (!result.id) throw new InvalidResponseError('SFyC created a ticket but answered no id');
          return { id: result.id };
        },
      ),

    addNotes: async (items) =>
      results(
        await client.batch(
          'note',
          items.map((item) => map.noteOp(item.host.id, item.ticket, item.text)),
        ),
        done,
      ),

    // work-orders/batch is idempotent per ticket (an existing OT is answered again), and a
    // ticket search cannot select by SFyC id: nothing to look up, creating again finds it.
    findWorkOrders: () => Promise.resolve(new Map<string, string>()),

    createWorkOrders: async (items) =>
      results(
        await client.workOrders(items.map((item) => map.workOrderRequest(item.ref.id, item.ticket))),
        (result) => {
          if (!result.workOrder)
            throw new InvalidResponseError('SFyC created a work order but answered no number');
          return result.workOrder;
        },
      ),

    writeWorkOrder: async (items) =>
      results(
        await client.batch(
          'writeBack',
          items.map((item) => map.writeBackOp(item.ticket, item.workOrder)),
        ),
        done,
      ),
    update: async (items) =>
      results(
        await client.batch(
          'update',
          items.map((item) => map.updateOp(item.ticket)),
        ),
        done,
      ),
    resolve: async (items) =>
      results(
        await client.batch(
          'resolve',
          items.map((item) => map.resolveOp(item.ticket)),
        ),
        done,
      ),
    close: () => client.close(),
  };
}
