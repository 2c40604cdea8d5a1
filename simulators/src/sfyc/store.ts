/** Pure state of the SFyC side: tickets keyed by their own id, notes, work orders. */

export type SfycFields = Record<string, string | number> & { status?: 'open' | 'resolved' };

export interface SfycTicket {
  id: string;
  externalId: string;
  version: number;
  fields: SfycFields;
  createdAt: string;
  updatedAt: string;
}

export interface SfycNote {
  ticketId: string;
  externalId: string;
  /** The sender's idempotency key, when it gave one. */
  noteKey?: string | undefined;
  text: string;
  at: string;
}

export interface SfycWorkOrder {
  workOrder: string;
  ticketId: string;
  externalId: string;
  title: string;
  details: string;
  at: string;
}

interface State {
  tickets: Map<string, SfycTicket>;
  notes: SfycNote[];
  workOrders: Map<string, SfycWorkOrder>;
  nextTicket: number;
  nextWorkOrder: number;
}

const empty = (): State => ({
  tickets: new Map(),
  notes: [],
  workOrders: new Map(),
  nextTicket: 771,
  nextWorkOrder: 88_120,
});

export class SfycStore {
  #s: State = empty();
  /** externalId -> ticket id: lookups stay O(1) with tens of thousands of tickets (benchmarks). */
  #byExternal = new Map<string, string>();
  /** `entity|alarmType` -> ticket ids created with them, and externalId -> its first note. */
  #byPair = new Map<string, Set<string>>();
  #firstNote = new Map<string, SfycNote>();
  /** `<ticket id> <noteKey>` of every keyed note: a repeat is found in O(1). */
  #noteKeys = new Set<string>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  nowIso(): string {
    return new Date(this.#now()).toISOString();
  }

  tickets(): SfycTicket[] {
    return [...this.#s.tickets.values()];
  }

  get(id: string): SfycTicket | undefined {
    return this.#s.tickets.get(id);
  }

  byExternalId(externalId: string): SfycTicket | undefined {
    const id = this.#byExternal.get(externalId);
    return id === undefined ? undefined : this.#s.tickets.get(id);
  }

  create(externalId: string, version: number, fields: SfycFields): SfycTicket {
    const now = this.nowIso();
    const ticket: SfycTicket = {
      id: `SF-${String(this.#s.nextTicket++).padStart(6, '0')}`,
      externalId,
      version,
      fields: { status: 'open', ...fields },
      createdAt: now,
      updatedAt: now,
    };
    this.#index(ticket);
    return ticket;
  }

  touch(ticket: SfycTicket): void {
    ticket.updatedAt = this.nowIso();
  }

  delete(id: string): boolean {
    const ticket = this.#s.tickets.get(id);
    if (ticket && this.#byExternal.get(ticket.externalId) === id) this.#byExternal.delete(ticket.externalId);
    return this.#s.tickets.delete(id);
  }

  notes(): SfycNote[] {
    return this.#s.notes;
  }

  addNote(note: Omit<SfycNote, 'at'>): void {
    const added = { ...note, at: this.nowIso() };
    this.#s.notes.push(added);
    if (note.noteKey !== undefined) this.#noteKeys.add(`${note.ticketId}\u0000${note.noteKey}`);
    if (!this.#firstNote.has(note.externalId)) this.#firstNote.set(note.externalId, added);
  }

  workOrderOf(ticketId: string): SfycWorkOrder | undefined {
    return this.#s.workOrders.get(ticketId);
  }

  workOrders(): SfycWorkOrder[] {
    return [...this.#s.workOrders.values()];
  }

  createWorkOrder(order: Omit<SfycWorkOrder, 'workOrder' | 'at'>): SfycWorkOrder {
    const created = { ...order, workOrder: `OT-${this.#s.nextWorkOrder++}`, at: this.nowIso() };
    this.#s.workOrders.set(order.ticketId, created);
    return created;
  }

  /** For allOrNone: a copy to go back to. */
  snapshot(): unknown {
    return structuredClone(this.#s);
  }

  restore(snapshot: unknown): void {
    this.#s = snapshot as State;
    this.#reindex();
  }

  reset(): void {
    this.#s = empty();
    this.#reindex();
  }

  /** A ticket created with this entity and alarm type that still has them and is open. */
  openFor(entity: unknown, alarmType: unknown): SfycTicket | undefined {
    for (const id of this.#byPair.get(`${String(entity)}|${String(alarmType)}`) ?? []) {
      const t = this.#s.tickets.get(id);
      if (
        t &&
        t.fields.status !== 'resolved' &&
        t.fields.entity === entity &&
        t.fields.alarmType === alarmType
      )
        return t;
    }
    return undefined;
  }

  /** Whether that ticket already has a note with this key. */
  hasNoteKey(ticketId: string, noteKey: string): boolean {
    return this.#noteKeys.has(`${ticketId}\u0000${noteKey}`);
  }

  /** The first note that names this WM ticket, if any. */
  firstNoteOf(externalId: string): SfycNote | undefined {
    return this.#firstNote.get(externalId);
  }

  #index(ticket: SfycTicket): void {
    this.#s.tickets.set(ticket.id, ticket);
    this.#byExternal.set(ticket.externalId, ticket.id);
    const pair = `${String(ticket.fields.entity)}|${String(ticket.fields.alarmType)}`;
    this.#byPair.set(pair, (this.#byPair.get(pair) ?? new Set()).add(ticket.id));
  }

  #reindex(): void {
    this.#byExternal = new Map();
    this.#byPair = new Map();
    this.#firstNote = new Map();
    this.#noteKeys = new Set();
    for (const ticket of [...this.#s.tickets.values()]) this.#index(ticket);
    for (const note of this.#s.notes) {
      if (!this.#firstNote.has(note.externalId)) this.#firstNote.set(note.externalId, note);
      if (note.noteKey !== undefined) this.#noteKeys.add(`${note.ticketId}\u0000${note.noteKey}`);
    }
  }
}
