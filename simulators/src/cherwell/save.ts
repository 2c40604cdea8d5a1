import { randomUUID } from 'node:crypto';
import type { SimCore } from '../common/core.ts';
import type { ItemErrorFault } from '../common/faults.ts';
import type { HandlerContext, SimRequest } from '../common/route.ts';
import type { SimReply } from '../common/types.ts';
import { INCIDENT, NOTE, WORK_ORDER, fieldByName, findField } from './busobs.ts';
import type { BusObDef } from './busobs.ts';
import { checkChild, checkIncidentCreate, checkIncidentUpdate, validateRecord } from './checks.ts';
import type { FieldValidationError } from './checks.ts';
import { cherwellError } from './schema.ts';
import { saveBatchSchema } from './schema.ts';
import type { SaveRequest } from './schema.ts';
import type { CherwellRecord, CherwellStore } from './store.ts';
import { saveEntryTicketIds } from './touches.ts';

interface SaveResponse {
  busObPublicId: string | null;
  busObRecId: string | null;
  cacheKey: string | null;
  fieldValidationErrors: FieldValidationError[];
  notificationTriggers: unknown[];
  errorCode: string | null;
  errorMessage: string | null;
  hasError: boolean;
}

const ok = (record: CherwellRecord): SaveResponse => ({
  busObPublicId: record.busObPublicId,
  busObRecId: record.busObRecId,
  cacheKey: null,
  fieldValidationErrors: [],
  notificationTriggers: [],
  errorCode: null,
  errorMessage: null,
  hasError: false,
});

const failed = (
  errorCode: string,
  errorMessage: string,
  fieldValidationErrors: FieldValidationError[] = [],
): SaveResponse => ({
  busObPublicId: null,
  busObRecId: null,
  cacheKey: null,
  fieldValidationErrors,
  notificationTriggers: [],
  errorCode,
  errorMessage,
  hasError: true,
});

/** `POST /api/V1/savebusinessobjectbatch`: one response per save request, in order; failures inside the 200. */
export function saveBatch(
  req: SimRequest,
  ctx: HandlerContext,
  store: CherwellStore,
  core: SimCore,
): SimReply {
  const parsed = saveBatchSchema.safeParse(req.body);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    ctx.violation('bad-request', `savebusinessobjectbatch: ${message}`);
    return { status: 400, body: cherwellError(message, 'BADREQUEST') };
  }
  const { saveRequests, stopOnError } = parsed.data;
  core.checkBatchSize(saveRequests.length, 'savebusinessobjectbatch', ctx.requestId);
  const responses: SaveResponse[] = [];
  for (const entry of saveRequests) {
    const response = saveOne(entry, ctx, store);
    responses.push(response);
    // With stopOnError the server stops at the first failure; entries before it stay saved.
    if (response.hasError && stopOnError === true) break;
  }
  return { status: 200, body: { responses, errorCode: null, errorMessage: null, hasError: false } };
}

function saveOne(entry: SaveRequest, ctx: HandlerContext, store: CherwellStore): SaveResponse {
  const def = store.defById(entry.busObId);
  if (!def) {
    ctx.violation('bad-request', `save for unknown busObId ${entry.busObId}`);
    return failed('BUSOBNOTFOUND', `Business object ${entry.busObId} not found`);
  }
  const values: Record<string, string> = {};
  const unknown: FieldValidationError[] = [];
  for (const field of entry.fields) {
    const found = findField(def, field.fieldId);
    if (!found)
      unknown.push({
        error: `Field ${field.fieldId} not found`,
        errorCode: 'FIELDNOTFOUND',
        fieldId: field.fieldId,
      });
    // Cherwell saves only fields marked dirty; system fields are its own.
    else if (field.dirty === true && !found.system) values[found.name] = field.value;
  }
  if (unknown.length > 0) ctx.violation('bad-request', `save on ${def.name} with unknown field ids`);

  const injected = ctx.itemError(saveEntryTicketIds(entry, store));
  if (injected) return injectedFailure(injected, def);
  const recId = entry.busObRecId ?? '';
  const publicId = entry.busObPublicId ?? '';
  const existing =
    recId === '' && publicId === '' ? null : (store.find(def.name, recId, publicId) ?? 'missing');
  if (existing === 'missing') return failed('RECORDNOTFOUND', `Record not found: ${recId || publicId}`);

  const errors = [...unknown, ...validateRecord(def, { ...existing?.fields, ...values }, store)];
  if (errors.length > 0)
    return failed('FIELDVALIDATIONERROR', 'One or more fields failed validation', errors);
  if (entry.persist === false) {
    ctx.violation('bad-request', `save on ${def.name} with persist: false (nothing is saved)`);
    return {
      ...failed('', ''),
      hasError: false,
      errorCode: null,
      errorMessage: null,
      cacheKey: randomUUID(),
    };
  }
  if (existing) {
    if (def.name === INCIDENT) checkIncidentUpdate(existing, values, ctx);
    store.update(existing, values);
    return ok(existing);
  }
  if (def.name === INCIDENT) {
    checkIncidentCreate(values, store, ctx);
  } else {
    const parent = store.find(INCIDENT, values.ParentRecID ?? '', '');
    if (!parent)
      return failed('RECORDNOTFOUND', `Parent record not found: ${values.ParentRecID ?? '(none)'}`);
    checkChild(def.name === NOTE ? 'note' : 'workOrder', values, parent, store, ctx);
  }
  return ok(store.create(def.name, values));
}

function injectedFailure(fault: ItemErrorFault, def: BusObDef): SaveResponse {
  switch (fault.error) {
    case 'lock':
      return failed('LOCKED', fault.message ?? 'The record is locked by another user');
    case 'validation': {
      const field = fieldByName(
        def,
        def.name === WORK_ORDER ? 'Title' : def.name === NOTE ? 'Details' : 'ShortDescription',
      );
      const error = fault.message ?? 'Value is not valid for this field';
      return failed('FIELDVALIDATIONERROR', 'One or more fields failed validation', [
        { error, errorCode: 'INVALIDVALUE', fieldId: field?.shortId ?? '' },
      ]);
    }
    case 'not-found':
      return failed('RECORDNOTFOUND', fault.message ?? 'Record not found');
  }
}
