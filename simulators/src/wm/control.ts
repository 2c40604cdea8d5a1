import { z } from 'zod';
import { ControlError } from '../common/route.ts';
import type { ControlRoute } from '../common/route.ts';
import { LONG_POLL_MODES, type LongPollMode } from './routes.ts';
import type { WmStore } from './store.ts';
import { WM_PLATFORMS } from './ticket.ts';
import type { TrickleOptions } from './trickle.ts';

const platforms = z.array(z.enum(WM_PLATFORMS)).min(1).optional();
const createSchema = z.strictObject({ ticket: z.record(z.string(), z.unknown()).optional(), platforms });
const changeOptions = { skipVersions: z.int().min(0).optional(), platforms };
const completeSchema = z.strictObject(changeOptions);
const trickleSchema = z.strictObject({
  ticketsPerSecond: z.number().positive(),
  updateShare: z.number().min(0).max(1).optional(),
  completeShare: z.number().min(0).max(1).optional(),
  platforms,
});

export interface WmControlHooks {
  store: WmStore;
  startTrickle: (options: TrickleOptions) => void;
  stopTrickle: () => void;
  longPoll: () => LongPollMode;
  setLongPoll: (mode: LongPollMode) => void;
}

/** WM-specific `/_sim/` endpoints: script tickets and raw changes, read what WM received. */
export function wmControlRoutes(hooks: WmControlHooks): ControlRoute[] {
  const { store, startTrickle, stopTrickle } = hooks;
  return [
    { method: 'GET', path: '/long-poll', handle: () => ({ status: 200, body: { mode: hooks.longPoll() } }) },
    {
      method: 'POST',
      path: '/long-poll',
      handle: (body) => {
        hooks.setLongPoll(z.strictObject({ mode: z.enum(LONG_POLL_MODES) }).parse(body).mode);
        return { status: 200, body: { mode: hooks.longPoll() } };
      },
    },
    { method: 'GET', path: '/tickets', handle: () => ({ status: 200, body: { tickets: store.tickets() } }) },
    {
      method: 'POST',
      path: '/tickets',
      handle: (body) => {
        const input = createSchema.parse(body ?? {});
        const ticket = store.create(input.ticket, input.platforms);
        return { status: 201, body: { seq: store.feed.lastSeq, ticket } };
      },
    },
    {
      // The body is the patch; `skipVersions` and `platforms` are options, not ticket fields.
      method: 'PATCH',
      path: '/tickets/:id',
      handle: (body, params) => {
        const {
          skipVersions,
          platforms: chosen,
          ...patch
        } = z.record(z.string(), z.unknown()).parse(body ?? {});
        const options = completeSchema.parse({ skipVersions, platforms: chosen });
        const ticket = store.update(known(store, params.id), patch, options);
        return { status: 200, body: { seq: store.feed.lastSeq, ticket } };
      },
    },
    {
      method: 'POST',
      path: '/tickets/:id/complete',
      handle: (body, params) => {
        const ticket = store.complete(known(store, params.id), completeSchema.parse(body ?? {}));
        return { status: 200, body: { seq: store.feed.lastSeq, ticket } };
      },
    },
    {
      method: 'GET',
      path: '/changes',
      handle: () => ({ status: 200, body: { changes: store.feed.entries() } }),
    },
    {
      method: 'POST',
      path: '/changes',
      handle: (body) => ({ status: 201, body: { seq: store.pushRaw(body) } }),
    },
    {
      method: 'POST',
      path: '/replay',
      handle: (body) => {
        store.feed.replayFrom(z.strictObject({ fromSeq: z.int().min(0) }).parse(body).fromSeq);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/retention',
      handle: (body) => {
        const input = z
          .strictObject({
            maxRetainedChanges: z.int().min(1).optional(),
            dropThroughSeq: z.int().min(0).optional(),
          })
          .parse(body ?? {});
        if (input.dropThroughSeq !== undefined) store.feed.dropThrough(input.dropThroughSeq);
        if (input.maxRetainedChanges !== undefined) store.feed.setMaxRetained(input.maxRetainedChanges);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/status-reports',
      handle: () => ({ status: 200, body: { reports: store.statusReports() } }),
    },
    {
      method: 'POST',
      path: '/trickle',
      handle: (body) => {
        startTrickle(trickleSchema.parse(body));
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      path: '/trickle',
      handle: () => {
        stopTrickle();
        return { status: 204 };
      },
    },
  ];
}

function known(store: WmStore, id: string | undefined): string {
  if (id === undefined || !store.ticket(id)) throw new ControlError(404, `no ticket ${id}`);
  return id;
}
