import type { SimCore } from '../common/core.ts';
import type { HandlerContext, SimRequest } from '../common/route.ts';
import type { SimReply } from '../common/types.ts';
import { findField } from './busobs.ts';
import type { BusObDef, FieldDef } from './busobs.ts';
import { OPERATORS, cherwellError, searchSchema } from './schema.ts';
import type { CherwellRecord, CherwellStore } from './store.ts';

const MAX_PAGE_SIZE = 200;
/** Filters naming tickets: their values count toward maxTicketsPerRequest. */
const TICKET_FIELDS = ['WMTicketID', 'NetworkEntity', 'ParentRecID'];

type Operator = (typeof OPERATORS)[number];
interface Filter {
  field: FieldDef;
  operator: Operator;
  value: string;
}

/**
 * SQL Server's default collation: case-insensitive, trailing spaces ignored in equality.
 * Numbers compare as numbers when both sides are numbers.
 */
export function matches(actual: string, operator: Operator, wanted: string): boolean {
  const a = actual.toLowerCase();
  const w = wanted.toLowerCase();
  const numeric = a.trim() !== '' && w.trim() !== '' && !Number.isNaN(Number(a)) && !Number.isNaN(Number(w));
  switch (operator) {
    case 'eq':
      return numeric ? Number(a) === Number(w) : a.trimEnd() === w.trimEnd();
    case 'gt':
      return numeric ? Number(a) > Number(w) : a > w;
    case 'lt':
      return numeric ? Number(a) < Number(w) : a < w;
    case 'contains':
      return a.includes(w);
    case 'startswith':
      return a.startsWith(w);
  }
}

/** Filters on the same field are OR-ed, filters on different fields AND-ed. */
function select(records: CherwellRecord[], filters: Filter[]): CherwellRecord[] {
  const byField = new Map<string, Filter[]>();
  for (const f of filters) byField.set(f.field.name, [...(byField.get(f.field.name) ?? []), f]);
  return records.filter((record) =>
    [...byField.values()].every((group) =>
      group.some((f) => matches(record.fields[f.field.name] ?? '', f.operator, f.value)),
    ),
  );
}

/** `POST /api/V1/getsearchresults`. */
export function searchResults(
  req: SimRequest,
  ctx: HandlerContext,
  store: CherwellStore,
  core: SimCore,
): SimReply {
  const bad = (message: string, status = 400): SimReply => {
    if (status === 400) ctx.violation('bad-request', `getsearchresults: ${message}`);
    return { status, body: cherwellError(message, status === 404 ? 'BUSOBNOTFOUND' : 'BADREQUEST') };
  };
  const parsed = searchSchema.safeParse(req.body);
  if (!parsed.success)
    return bad(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const request = parsed.data;
  const def = store.defById(request.busObId);
  if (!def) return bad(`business object ${request.busObId} not found`, 404);
  const pageSize = request.pageSize ?? MAX_PAGE_SIZE;
  if (pageSize > MAX_PAGE_SIZE) return bad(`pageSize ${pageSize} above ${MAX_PAGE_SIZE}`);

  const filters: Filter[] = [];
  for (const raw of request.filters ?? []) {
    const field = findField(def, raw.fieldId);
    const operator = OPERATORS.find((o) => o === raw.operator.toLowerCase());
    if (!field) return bad(`unknown fieldId ${raw.fieldId} on ${def.name}`);
    if (!operator) return bad(`unknown operator ${raw.operator}`);
    filters.push({ field, operator, value: raw.value });
  }
  for (const name of TICKET_FIELDS) {
    const count = filters.filter((f) => f.field.name === name).length;
    core.checkBatchSize(count, `getsearchresults (${name} filters)`, ctx.requestId);
  }

  const found = select(store.records(def.name), filters);
  const pageNumber = request.pageNumber ?? 1;
  const page = found.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  const wanted = request.includeAllFields === true ? def.fields : fieldsWanted(def, request.fields ?? []);
  return {
    status: 200,
    body: {
      businessObjects: page.map((record) => ({
        busObId: def.busObId,
        busObPublicId: record.busObPublicId,
        busObRecId: record.busObRecId,
        fields: wanted.map((f) => ({
          dirty: false,
          displayName: f.displayName,
          fieldId: f.fieldId,
          html: null,
          name: f.name,
          value: record.fields[f.name] ?? '',
        })),
        links: [],
        errorCode: null,
        errorMessage: null,
        hasError: false,
      })),
      totalRows: found.length,
      hasError: false,
      errorCode: null,
      errorMessage: null,
    },
  };
}

function fieldsWanted(def: BusObDef, ids: string[]): FieldDef[] {
  return ids.flatMap((id) => findField(def, id) ?? []);
}
