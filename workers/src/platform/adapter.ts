import type { Platform, Ticket } from '@tbe/shared';

/**
 * The seam between the generic ticket flow and one platform's API. Each platform folder
 * (`cherwell/`, `sfyc/`) implements it; adding a platform is writing one more.
 *
 * Batch rules every implementation keeps:
 * - the flow never passes more items than `maxTicketsPerRequest`; a call that names tickets
 *   (saves, notes, work orders, the ids or entities of a search) sends at most that many per
 *   request, and splits a request only when the platform demands it (SFyC 413);
 * - per-item results come back in the order of the items, one each, read from the platform's
 *   own per-entry answer (never the request's status when the API answers per item);
 * - a failure of the whole request throws (shared/src/errors: HttpStatusError, NetworkError,
 *   InvalidResponseError, AuthFailedError, TokenUnavailableError); the flow classifies it;
 * - a 401 is answered by one new token and one repeat, inside the adapter, at no cost.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  /** One-time preparation (Cherwell: business object and field ids). Retried by the caller on failure. */
  init(): Promise<void>;
  /** `ok` after a token was obtained, `failed` while credentials are refused, `unknown` before. */
  authState(): AuthState;
  /** Platform tickets created for these WM ids (exact, case-sensitive match on the WM id). */
  findByWmIds(wmTicketIds: readonly string[]): Promise<Map<string, FoundTicket>>;
  /** OPEN platform tickets for any of these entity and alarm type pairs. */
  findOpen(queries: readonly OpenQuery[]): Promise<OpenTicket[]>;
  /** Creates tickets (`resolved`: first seen already completed: created resolved, no work order). */
  create(items: readonly CreateItem[]): Promise<ItemResult<TicketRef>[]>;
  /**
   * Adds notes to existing platform tickets (`host` may belong to another WM ticket). A version
   * of a WM ticket is never noted twice on one platform ticket: a note already there is a success.
   */
  addNotes(items: readonly NoteItem[]): Promise<ItemResult<void>[]>;
  /** Work orders that already exist for these tickets (to find one whose creation answer was lost). */
  findWorkOrders(refs: readonly TicketRef[]): Promise<Map<string, string>>;
  /** Creates one work order (OT) per ticket; the value is the OT number. */
  createWorkOrders(items: readonly TicketItem[]): Promise<ItemResult<string>[]>;
  /** Writes the OT number onto the platform ticket. */
  writeWorkOrder(items: readonly WriteBackItem[]): Promise<ItemResult<void>[]>;
  /** Brings the platform ticket to this WM version (never changes its status). */
  update(items: readonly TicketItem[]): Promise<ItemResult<void>[]>;
  /** Resolves the platform ticket at this WM version. */
  resolve(items: readonly TicketItem[]): Promise<ItemResult<void>[]>;
  close(): Promise<void>;
}

export type AuthState = 'ok' | 'failed' | 'unknown';

/** A platform ticket: `id` is what operators and WM see (Cherwell busObPublicId, SFyC id). */
export interface TicketRef {
  id: string;
  /** Cherwell's busObRecId (updates prefer it); undefined on SFyC. */
  recId?: string | undefined;
}

export interface FoundTicket extends TicketRef {
  wmTicketId: string;
  /** The WM version stored on the platform ticket, when it has one. */
  version: number | undefined;
  workOrder: string | undefined;
  open: boolean;
}

export interface OpenQuery {
  entity: string;
  alarmType: Ticket['alarmType'];
}

export interface OpenTicket extends TicketRef {
  entity: string;
  alarmType: string;
  /** The WM ticket the platform ticket was created for, when it was created by us. */
  wmTicketId: string | undefined;
}

export interface CreateItem {
  ticket: Ticket;
  resolved: boolean;
}

export interface NoteItem {
  host: TicketRef;
  ticket: Ticket;
  text: string;
  /**
   * An earlier try of this note may have been saved with its answer lost (a timeout, a reset,
   * a 5xx, a crash): the adapter makes sure the platform does not get it twice (Cherwell looks
   * the note up first; SFyC's noteKey makes every repeat safe anyway).
   */
  repeat: boolean;
}

export interface TicketItem {
  ref: TicketRef;
  ticket: Ticket;
}

export interface WriteBackItem extends TicketItem {
  workOrder: string;
}

export type ItemResult<T> = { ok: true; value: T } | { ok: false; error: Error };

/** One line per request for logs and metrics; never per ticket. */
export interface RequestRecord {
  platform: Platform;
  /** What the request was for: `token`, `search`, `save`, `note`, `workOrder`, ... */
  call: string;
  items: number;
  /** HTTP status, or the NetworkError code when no answer came. */
  status: number | string;
  durationMs: number;
}

export type RequestObserver = (record: RequestRecord) => void;
