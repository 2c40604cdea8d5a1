import type { HandlerContext, SimRequest } from '../common/route.ts';
import type { SimReply } from '../common/types.ts';
import { fieldByName, findField } from './busobs.ts';
import type { FieldDef } from './busobs.ts';
import { cherwellError, templateSchema } from './schema.ts';
import type { CherwellStore } from './store.ts';

/** `POST /api/V1/getbusinessobjecttemplate`: the named fields, plus required ones when asked. */
export function template(req: SimRequest, ctx: HandlerContext, store: CherwellStore): SimReply {
  const parsed = templateSchema.safeParse(req.body);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    ctx.violation('bad-request', `getbusinessobjecttemplate: ${message}`);
    return { status: 400, body: cherwellError(message, 'BADREQUEST') };
  }
  const request = parsed.data;
  const def = store.defById(request.busObId);
  if (!def)
    return {
      status: 404,
      body: cherwellError(`Business object ${request.busObId} not found`, 'BUSOBNOTFOUND'),
    };
  const chosen = new Set<FieldDef>();
  // Unknown names are left out, as Cherwell does: the caller sees what is missing.
  for (const name of request.fieldNames ?? []) addIf(chosen, fieldByName(def, name));
  for (const id of request.fieldIds ?? []) addIf(chosen, findField(def, id));
  if (request.includeRequired === true)
    for (const name of store.required.get(def.name) ?? []) addIf(chosen, fieldByName(def, name));
  const fields = request.includeAll === true ? def.fields : def.fields.filter((f) => chosen.has(f));
  return {
    status: 200,
    body: {
      fields: fields.map((f) => templateField(f, store)),
      hasError: false,
      errorCode: null,
      errorMessage: null,
    },
  };
}

function addIf(set: Set<FieldDef>, field: FieldDef | undefined): void {
  if (field) set.add(field);
}

/**
 * A template field as real sites answer it: the short `fieldId`; newer versions add
 * `fullFieldId` (`BO:<busObId>,FI:<fieldId>`). No `required` flag: real sites send none.
 */
function templateField(f: FieldDef, store: CherwellStore): Record<string, unknown> {
  return {
    dirty: false,
    displayName: f.displayName,
    fieldId: f.shortId,
    ...(store.fullFieldIds ? { fullFieldId: f.fieldId } : {}),
    html: null,
    name: f.name,
    value: '',
  };
}
