import type { HandlerContext, SimRequest } from '../common/route.ts';
import type { SimReply } from '../common/types.ts';
import { fieldByName, findField } from './busobs.ts';
import type { BusObDef, FieldDef } from './busobs.ts';
import { cherwellError, templateSchema } from './schema.ts';
import type { CherwellStore } from './store.ts';

/** `GET /api/V1/getbusinessobjectsummary/busobname/{name}`: an array of summaries. */
export function summary(req: SimRequest, store: CherwellStore): SimReply {
  const name = (req.params.name ?? '').toLowerCase();
  const def = store.defs.find((d) => d.name.toLowerCase() === name);
  if (!def)
    return {
      status: 404,
      body: cherwellError(`Business object ${req.params.name} not found`, 'BUSOBNOTFOUND'),
    };
  const status = fieldByName(def, 'Status');
  return {
    status: 200,
    body: [
      {
        busObId: def.busObId,
        name: def.name,
        displayName: def.displayName,
        firstRecIdField: fieldByName(def, 'RecID')?.fieldId ?? null,
        recIdFields: fieldByName(def, 'RecID')?.fieldId ?? null,
        stateFieldId: status?.fieldId ?? null,
        states: status ? 'New|Assigned|In Progress|Resolved' : null,
        lookup: false,
        major: def.name === 'Incident' || def.name === 'Work Order',
        supporting: def.name === 'Journal - Note',
        group: false,
        groupSummaries: [],
      },
    ],
  };
}

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
      fields: fields.map((f) => templateField(def, f, store)),
      hasError: false,
      errorCode: null,
      errorMessage: null,
    },
  };
}

function addIf(set: Set<FieldDef>, field: FieldDef | undefined): void {
  if (field) set.add(field);
}

function templateField(def: BusObDef, f: FieldDef, store: CherwellStore): Record<string, unknown> {
  return {
    fieldId: f.fieldId,
    name: f.name,
    displayName: f.displayName,
    value: '',
    html: null,
    dirty: false,
    required: store.required.get(def.name)?.has(f.name) ?? false,
  };
}
