import type { FoundTicket, NoteItem, OpenTicket, PlatformAdapter, TicketRef } from '../platform/adapter.ts';
import { correlationOf, type Claim, type CreateClaims } from './claims.ts';
import { clearedNoteText, noteText } from './texts.ts';
import { failedAll, mayHaveBeenSent, type OpItem, type TryResult, type StillOwned } from './types.ts';

export interface CreateDeps {
  adapter: PlatformAdapter;
  claims: CreateClaims;
  /** How long a ticket waits when another ticket of its entity is being created. */
  claimWaitMs: number;
}

const noteFor = (host: TicketRef, item: OpItem): NoteItem => ({
  host,
  ticket: item.ticket,
  text: item.ticket.state === 'completed' ? clearedNoteText(item.ticket) : noteText(item.ticket),
  repeat: mayHaveBeenSent(item),
});

function adopted(found: FoundTicket): TryResult {
  // Created by an earlier run whose answer was lost: take it over. Its work order may exist
  // too (written back or not): look it up before creating one.
  return {
    kind: 'ok',
    patch: {
      mode: 'own',
      platformId: found.id,
      recId: found.recId,
      version: found.version ?? 0,
      workOrder: found.workOrder,
      writtenBack: found.workOrder !== undefined,
      createdResolved: !found.open && found.workOrder === undefined,
      workOrderUnknown: found.workOrder === undefined,
    },
    outcome: found.open ? 'created' : 'resolved',
  };
}

/**
 * The first operation of a WM ticket on a platform (operations.md, step 2 and the settled
 * cases). Per batch: one search by WM id (a previous run may have created it); then, through the
 * create gate per entity and alarm type (claims.ts): one search for open platform tickets of all the
 * claimed groups; the oldest ticket (lowest seq) of a group with none creates it; every other
 * ticket of the group, and every ticket whose group has one, is noted into it. Requests: the
 * lookup, the open-ticket search, one save of the creates, one of the notes.
 */
export async function runCreate(
  deps: CreateDeps,
  items: readonly OpItem[],
  stillOwned: StillOwned,
): Promise<TryResult[]> {
  const { adapter } = deps;
  let found: Map<string, FoundTicket>;
  try {
    found = await adapter.findByWmIds(items.map((item) => item.ticketId));
  } catch (error) {
    return failedAll(items, error);
  }
  const tried = new Map<string, TryResult>();
  for (const item of items) {
    const match = found.get(item.ticketId);
    if (match) tried.set(item.ticketId, adopted(match));
  }

  const groups = groupByCorrelation(items.filter((item) => !tried.has(item.ticketId)));
  const claims: Claim[] = [...groups].map(([correlation, members]) => ({
    correlation,
    owner: members[0]!.ticketId,
    members: members.map((item) => item.ticketId),
  }));
  const gates = await deps.claims.gate(claims);
  const passed: OpItem[][] = [];
  const noteOnly = new Set<OpItem[]>();
  for (const [index, claim] of claims.entries()) {
    const group = groups.get(claim.correlation) ?? [];
    const gate = gates[index];
    if (gate?.kind === 'wait' || gate === undefined) {
      for (const member of group) {
        tried.set(member.ticketId, {
          kind: 'wait',
          delayMs: deps.claimWaitMs,
          reason: 'another ticket of this entity is being created',
        });
      }
      continue;
    }
    passed.push(group);
    if (gate.kind === 'note') noteOnly.add(group);
  }
  const claimed = claims.filter((_, index) => {
    const gate = gates[index];
    return gate?.kind === 'create' && gate.claimed;
  });
  try {
    await createOrNote(deps, passed, noteOnly, tried, stillOwned);
  } finally {
    // A claim whose ticket was handed to another run meanwhile is that run's now: not ours to free.
    await deps.claims.release(claimed.filter((claim) => tried.get(claim.owner)?.kind !== 'lost'));
  }
  return items.map((item) => tried.get(item.ticketId) ?? { kind: 'failed', error: new Error('no result') });
}

async function createOrNote(
  deps: CreateDeps,
  groups: OpItem[][],
  /** Groups with an older ticket elsewhere waiting to be created: they note or wait, never create. */
  waiting: ReadonlySet<OpItem[]>,
  tried: Map<string, TryResult>,
  stillOwned: StillOwned,
): Promise<void> {
  if (groups.length === 0) return;
  const members = groups.flat();
  let open: OpenTicket[];
  try {
    open = await deps.adapter.findOpen(
      groups.map((group) => ({ entity: group[0]!.ticket.entity, alarmType: group[0]!.ticket.alarmType })),
    );
  } catch (error) {
    for (const item of members) tried.set(item.ticketId, { kind: 'failed', error });
    return;
  }
  const hosts = new Map(open.map((ticket) => [correlationOf(ticket), ticket as TicketRef]));
  let notes: { item: OpItem; note: NoteItem }[] = [];
  let leaders: OpItem[] = [];
  for (const group of groups) {
    const host = hosts.get(correlationOf(group[0]!.ticket));
    if (host) notes.push(...group.map((item) => ({ item, note: noteFor(host, item) })));
    else if (waiting.has(group)) {
      for (const item of group) {
        tried.set(item.ticketId, {
          kind: 'wait',
          delayMs: deps.claimWaitMs,
          reason: 'an older ticket of this entity creates it',
        });
      }
    } else leaders.push(group[0]!);
  }

  // Last look before anything is created or noted: a run whose job was handed to another
  // process meanwhile (this one froze past its lock) must not create or note a second time.
  const owned = await stillOwned(members);
  const lost = (item: OpItem): boolean => !owned.has(item.ticketId);
  for (const item of members.filter(lost)) tried.set(item.ticketId, { kind: 'lost' });
  leaders = leaders.filter((item) => !lost(item));
  notes = notes.filter(({ item }) => !lost(item));

  const created = await createLeaders(deps, leaders, tried);
  for (const group of groups) {
    const leader = group[0]!;
    if (hosts.has(correlationOf(leader.ticket)) || waiting.has(group)) continue;
    const host = created.get(leader.ticketId);
    for (const follower of group.slice(1).filter((item) => !lost(item))) {
      // Only an open ticket is a host; without one the follower waits for the next round.
      if (host && leader.ticket.state === 'open')
        notes.push({ item: follower, note: noteFor(host, follower) });
      else
        tried.set(follower.ticketId, {
          kind: 'wait',
          delayMs: deps.claimWaitMs,
          reason: 'the oldest ticket of this entity is not created yet',
        });
    }
  }
  await addNotes(deps, notes, tried);
}

async function createLeaders(
  deps: CreateDeps,
  leaders: OpItem[],
  tried: Map<string, TryResult>,
): Promise<Map<string, TicketRef>> {
  const created = new Map<string, TicketRef>();
  if (leaders.length === 0) return created;
  let results;
  try {
    results = await deps.adapter.create(
      leaders.map((item) => ({ ticket: item.ticket, resolved: item.ticket.state === 'completed' })),
    );
  } catch (error) {
    for (const item of leaders) tried.set(item.ticketId, { kind: 'failed', error });
    return created;
  }
  leaders.forEach((item, index) => {
    const result = results[index];
    if (!result?.ok) {
      tried.set(item.ticketId, {
        kind: 'failed',
        error: result?.error ?? new Error('no result for this item'),
      });
      return;
    }
    const resolved = item.ticket.state === 'completed';
    created.set(item.ticketId, result.value);
    tried.set(item.ticketId, {
      kind: 'ok',
      patch: {
        mode: 'own',
        platformId: result.value.id,
        recId: result.value.recId,
        version: item.ticket.version,
        createdResolved: resolved,
      },
      outcome: resolved ? 'resolved' : 'created',
    });
  });
  return created;
}

async function addNotes(
  deps: CreateDeps,
  notes: { item: OpItem; note: NoteItem }[],
  tried: Map<string, TryResult>,
): Promise<void> {
  if (notes.length === 0) return;
  let results;
  try {
    results = await deps.adapter.addNotes(notes.map(({ note }) => note));
  } catch (error) {
    for (const { item } of notes) tried.set(item.ticketId, { kind: 'failed', error });
    return;
  }
  notes.forEach(({ item, note }, index) => {
    const result = results[index];
    tried.set(
      item.ticketId,
      result?.ok
        ? {
            kind: 'ok',
            patch: {
              mode: 'noted',
              platformId: note.host.id,
              recId: note.host.recId,
              version: item.ticket.version,
            },
            outcome: 'noted',
          }
        : { kind: 'failed', error: result?.error ?? new Error('no result for this item') },
    );
  });
}

/** Groups by entity and alarm type, each group oldest first (lowest seq). */
function groupByCorrelation(items: OpItem[]): Map<string, OpItem[]> {
  const groups = new Map<string, OpItem[]>();
  for (const item of [...items].sort((a, b) => a.seq - b.seq)) {
    const key = correlationOf(item.ticket);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
