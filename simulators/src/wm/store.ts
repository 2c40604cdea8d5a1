import { TicketGenerator } from './generator.ts';
import type { GeneratorOptions } from './generator.ts';
import { ChangeFeed } from './feed.ts';
import type { StatusReport } from './status.ts';
import { isoSeconds } from './ticket.ts';
import type { WmChange, WmPlatform, WmTicket } from './ticket.ts';

export interface ChangeOptions {
  /** Versions to leave out before this one (WM may skip intermediate versions). */
  skipVersions?: number;
  /** Platforms of this change; default those of the ticket's previous change. */
  platforms?: WmPlatform[];
}

/** Pure state of the WM side: current tickets, the change feed, the status reports received. */
export class WmStore {
  readonly feed: ChangeFeed;
  readonly generator: TicketGenerator;
  readonly #now: () => number;
  readonly #defaultPlatforms: WmPlatform[];
  #tickets = new Map<string, { ticket: WmTicket; platforms: WmPlatform[] }>();
  #reports: StatusReport[] = [];

  constructor(options: GeneratorOptions & { maxRetainedChanges: number; defaultPlatforms: WmPlatform[] }) {
    this.feed = new ChangeFeed(options.maxRetainedChanges);
    this.generator = new TicketGenerator(options);
    this.#now = options.now;
    this.#defaultPlatforms = options.defaultPlatforms;
  }

  /** A realistic new ticket, overridden by `partial`, appended to the feed. */
  create(partial: Partial<WmTicket> = {}, platforms?: WmPlatform[]): WmTicket {
    const ticket = { ...this.generator.generate(this.openTickets()), ...partial };
    return this.#append(ticket, platforms ?? this.#defaultPlatforms);
  }

  /** The next version of a ticket with `patch` applied (`patch.version` wins if given). */
  update(id: string, patch: Partial<WmTicket>, options: ChangeOptions = {}): WmTicket {
    const current = this.#get(id);
    const version = current.ticket.version + 1 + (options.skipVersions ?? 0);
    const ticket = { ...current.ticket, version, updatedAt: isoSeconds(this.#now()), ...patch, id };
    return this.#append(ticket, options.platforms ?? current.platforms);
  }

  complete(id: string, options: ChangeOptions = {}): WmTicket {
    const now = isoSeconds(this.#now());
    return this.update(id, { state: 'completed', completedAt: now }, options);
  }

  /** Any JSON as a change; objects without a `seq` get the feed's. Answers the feed seq. */
  pushRaw(change: unknown): number {
    return this.feed.append((seq) => {
      if (typeof change === 'object' && change !== null && !Array.isArray(change) && !('seq' in change)) {
        return { seq, ...change };
      }
      return change;
    });
  }

  tickets(): WmTicket[] {
    return [...this.#tickets.values()].map((t) => structuredClone(t.ticket));
  }

  ticket(id: string): WmTicket | undefined {
    const found = this.#tickets.get(id);
    return found ? structuredClone(found.ticket) : undefined;
  }

  openTickets(): WmTicket[] {
    return [...this.#tickets.values()].filter((t) => t.ticket.state === 'open').map((t) => t.ticket);
  }

  addReports(reports: StatusReport[]): void {
    this.#reports.push(...reports);
  }

  statusReports(): StatusReport[] {
    return this.#reports.map((r) => structuredClone(r));
  }

  reset(): void {
    this.feed.reset();
    this.#tickets.clear();
    this.#reports = [];
  }

  #get(id: string): { ticket: WmTicket; platforms: WmPlatform[] } {
    const found = this.#tickets.get(id);
    if (!found) throw new Error(`WM simulator: no ticket ${id}`);
    return found;
  }

  #append(ticket: WmTicket, platforms: WmPlatform[]): WmTicket {
    this.#tickets.set(ticket.id, { ticket, platforms });
    // A snapshot: later versions must not change what was already served.
    const snapshot = structuredClone(ticket);
    this.feed.append((seq): WmChange => ({ seq, platforms: [...platforms], ticket: snapshot }));
    return structuredClone(ticket);
  }
}
