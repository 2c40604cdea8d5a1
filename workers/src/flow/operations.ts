import type { Operation, ReportedState } from '@tbe/shared';
import type { ItemResult, PlatformAdapter, TicketRef } from '../platform/adapter.ts';
import { runCreate, type CreateDeps } from './create.ts';
import { clearedNoteText, noteText } from './texts.ts';
import {
  failedAll,
  mayHaveBeenSent,
  type OperationRunner,
  type OpItem,
  type TryResult,
  type StatePatch,
} from './types.ts';

export interface OperationDeps extends CreateDeps {
  adapter: PlatformAdapter;
  /** Records, before a work order is requested, that its answer may be lost (kill -9, timeout). */
  markWorkOrderUnknown(ticketIds: readonly string[]): Promise<void>;
}

const refOf = (item: OpItem): TicketRef => ({ id: item.state.platformId ?? '', recId: item.state.recId });

/** Maps per-item results to results; a thrown request error fails every item of the batch. */
async function perItem<T>(
  items: readonly OpItem[],
  call: () => Promise<ItemResult<T>[]>,
  onOk: (item: OpItem, value: T) => TryResult,
): Promise<TryResult[]> {
  let results: ItemResult<T>[];
  try {
    results = await call();
  } catch (error) {
    return failedAll(items, error);
  }
  return items.map((item, index) => {
    const result = results[index];
    if (!result) return { kind: 'failed', error: new Error('no result for this item') };
    return result.ok ? onOk(item, result.value) : { kind: 'failed', error: result.error };
  });
}

const ok = (patch: StatePatch, outcome?: ReportedState): TryResult => ({
  kind: 'ok',
  patch,
  outcome,
});

/** The runner of each operation; `create` has its own file (lookups, correlation, claims). */
export function operationRunners(deps: OperationDeps): Record<Operation, OperationRunner> {
  const { adapter } = deps;
  return {
    create: (items, stillOwned) => runCreate(deps, items, stillOwned),

    note: (items) =>
      perItem(
        items,
        () =>
          adapter.addNotes(
            items.map((item) => ({
              host: refOf(item),
              ticket: item.ticket,
              text: item.ticket.state === 'completed' ? clearedNoteText(item.ticket) : noteText(item.ticket),
              repeat: mayHaveBeenSent(item),
            })),
          ),
        (item) => ok({ version: item.ticket.version }, 'noted'),
      ),

    workOrder: async (items) => {
      // A work order whose answer was lost may exist: look those up first, create the rest.
      const unknown = items.filter((item) => item.state.workOrderUnknown);
      let existing = new Map<string, string>();
      if (unknown.length > 0) {
        try {
          existing = await adapter.findWorkOrders(unknown.map(refOf));
        } catch (error) {
          return failedAll(items, error);
        }
      }
      const toCreate = items.filter((item) => !existing.has(refOf(item).id));
      if (toCreate.length > 0) await deps.markWorkOrderUnknown(toCreate.map((item) => item.ticketId));
      const created = await perItem(
        toCreate,
        () => adapter.createWorkOrders(toCreate.map((item) => ({ ref: refOf(item), ticket: item.ticket }))),
        (_item, workOrder) => ok({ workOrder, workOrderUnknown: false }),
      );
      const byTicket = new Map(toCreate.map((item, index) => [item.ticketId, created[index]]));
      return items.map((item) => {
        const found = existing.get(refOf(item).id);
        if (found !== undefined) return ok({ workOrder: found, workOrderUnknown: false });
        return byTicket.get(item.ticketId) ?? { kind: 'failed', error: new Error('no result for this item') };
      });
    },

    // The write-back carries the latest version's fields too, so a newer open version that came
    // in meanwhile costs no separate update. A completed version is resolved after it.
    writeBack: (items) =>
      perItem(
        items,
        () =>
          adapter.writeWorkOrder(
            items.map((item) => ({
              ref: refOf(item),
              ticket: item.ticket,
              workOrder: item.state.workOrder ?? '',
            })),
          ),
        (item) =>
          ok({
            writtenBack: true,
            version:
              item.ticket.state === 'open'
                ? Math.max(item.state.version, item.ticket.version)
                : item.state.version,
          }),
      ),

    update: (items) =>
      perItem(
        items,
        () => adapter.update(items.map((item) => ({ ref: refOf(item), ticket: item.ticket }))),
        // Within a chain that began with a create, WM is told `created` (with the OT) at its end.
        (item) =>
          ok({ version: item.ticket.version }, item.state.outcome === 'created' ? 'created' : 'updated'),
      ),

    resolve: (items) =>
      perItem(
        items,
        () => adapter.resolve(items.map((item) => ({ ref: refOf(item), ticket: item.ticket }))),
        (item) => ok({ version: item.ticket.version }, 'resolved'),
      ),
  };
}
