import type { ItemErrorFault } from '../common/faults.ts';
import type { HandlerContext } from '../common/route.ts';
import { checkFields, notePrefix } from './fields.ts';
import { failure } from './schema.ts';
import type { ItemResult, Operation } from './schema.ts';
import type { SfycStore } from './store.ts';

type Op<K extends Operation['op']> = Extract<Operation, { op: K }>;

export function injectedResult(fault: ItemErrorFault): ItemResult {
  switch (fault.error) {
    case 'lock':
      return failure({ code: 'LOCKED', message: fault.message ?? 'ticket is being edited', retryable: true });
    case 'validation':
      return failure({
        code: 'FIELD_INVALID',
        field: 'summary',
        message: fault.message ?? 'summary is not valid',
        retryable: false,
      });
    case 'not-found':
      return failure({ code: 'NOT_FOUND', message: fault.message ?? 'ticket not found', retryable: false });
  }
}

const notFound = (what: string): ItemResult =>
  failure({ code: 'NOT_FOUND', message: `${what} not found`, retryable: false });

export function upsert(op: Op<'upsert'>, store: SfycStore, ctx: HandlerContext): ItemResult {
  const existing = store.byExternalId(op.externalId);
  const checked = checkFields(op.fields, existing === undefined);
  if (checked.errors.length > 0) return failure(...checked.errors);
  if (existing) {
    // Version fence: a lower version changes nothing and says so.
    if (op.version < existing.version) {
      ctx.violation('version-regression', `upsert ${op.externalId} v${op.version} over v${existing.version}`);
      return { success: true, id: existing.id, created: false, stale: true };
    }
    Object.assign(existing.fields, checked.fields);
    existing.version = op.version;
    store.touch(existing);
    return { success: true, id: existing.id, created: false };
  }
  const notedInto = store.firstNoteOf(op.externalId);
  if (
    notedInto &&
    store.get(notedInto.ticketId) &&
    store.get(notedInto.ticketId)?.externalId !== op.externalId
  ) {
    ctx.violation(
      'duplicate-ticket',
      `ticket for ${op.externalId}, already noted into ${notedInto.ticketId}`,
    );
  }
  const fields = checked.fields;
  if (fields.status !== 'resolved') {
    const open = store.openFor(fields.entity, fields.alarmType);
    if (open) {
      ctx.violation(
        'second-open-ticket',
        `open ticket for ${String(fields.entity)} / ${String(fields.alarmType)} (${op.externalId}) while ${open.id} is open`,
      );
    }
  }
  return { success: true, id: store.create(op.externalId, op.version, fields).id, created: true };
}

export function note(op: Op<'note'>, store: SfycStore, ctx: HandlerContext): ItemResult {
  const ticket = store.get(op.id);
  if (!ticket) return notFound(`ticket ${op.id}`);
  // sfyc.md: a key already applied to this ticket is answered as a success and not added again.
  if (op.noteKey !== undefined && store.hasNoteKey(op.id, op.noteKey))
    return { success: true, id: op.id, duplicate: true };
  const prefix = notePrefix(op.text);
  if (!prefix || prefix.ticketId !== op.externalId) {
    ctx.violation(
      'bad-request',
      `note on ${op.id} for ${op.externalId} whose text does not start with [WM ${op.externalId} v<version>]`,
    );
  } else if (
    store.notes().some((n) => n.ticketId === op.id && notePrefix(n.text)?.prefix === prefix.prefix)
  ) {
    ctx.violation('duplicate-note', `note ${prefix.prefix} twice on ${op.id}`);
  }
  store.addNote({ ticketId: op.id, externalId: op.externalId, noteKey: op.noteKey, text: op.text });
  return { success: true, id: op.id };
}

export function resolve(op: Op<'resolve'>, store: SfycStore, ctx: HandlerContext): ItemResult {
  const ticket = store.byExternalId(op.externalId);
  if (!ticket) return notFound(`ticket for ${op.externalId}`);
  if (op.version < ticket.version) {
    ctx.violation('version-regression', `resolve ${op.externalId} v${op.version} over v${ticket.version}`);
    return { success: true, id: ticket.id, stale: true };
  }
  ticket.fields.status = 'resolved';
  ticket.version = op.version;
  store.touch(ticket);
  return { success: true, id: ticket.id };
}
