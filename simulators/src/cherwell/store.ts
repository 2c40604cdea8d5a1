import { randomBytes } from 'node:crypto';
import { INCIDENT, NOTE, WORK_ORDER, buildBusObs, ensureField } from './busobs.ts';
import type { BusObDef, BusObName } from './busobs.ts';

export interface CherwellRecord {
  busObId: string;
  busObRecId: string;
  busObPublicId: string;
  /** Values by field name; every value is a string, as Cherwell keeps them. */
  fields: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** Pure state of the Cherwell side: records of the three business objects. */
export class CherwellStore {
  readonly defs: BusObDef[];
  readonly required = new Map<BusObName, Set<string>>();
  /** Group members (Journal - Note) answer a summary by their own name too (real sites: `[]`). */
  membersByOwnName = false;
  /** Templates add `fullFieldId` beside the short `fieldId`, as newer Cherwell versions do. */
  fullFieldIds = true;
  readonly #records = new Map<BusObName, Map<string, CherwellRecord>>();
  readonly #now: () => number;
  #nextIncident = 102_900;
  #nextWorkOrder = 5_500;

  constructor(now: () => number, requiredFields: Partial<Record<BusObName, string[]>> = {}) {
    this.#now = now;
    this.defs = buildBusObs();
    for (const def of this.defs) {
      this.#records.set(def.name, new Map());
      this.setRequired(def.name, requiredFields[def.name] ?? []);
    }
  }

  def(name: BusObName): BusObDef {
    const def = this.defs.find((d) => d.name === name);
    if (!def) throw new Error(`no business object ${name}`);
    return def;
  }

  defById(busObId: string): BusObDef | undefined {
    return this.defs.find((d) => d.busObId.toLowerCase() === busObId.toLowerCase());
  }

  /** Fields a site requires; each becomes part of the business object's template. */
  setRequired(name: BusObName, fields: string[]): void {
    for (const field of fields) ensureField(this.def(name), field);
    this.required.set(name, new Set(fields));
  }

  records(name: BusObName): CherwellRecord[] {
    return [...(this.#records.get(name)?.values() ?? [])];
  }

  /** By busObRecId (preferred) else busObPublicId; public ids may repeat, the first wins. */
  find(name: BusObName, recId: string, publicId: string): CherwellRecord | undefined {
    const map = this.#records.get(name);
    if (recId !== '') return map?.get(recId.toLowerCase());
    return this.records(name).find((r) => r.busObPublicId.toLowerCase() === publicId.toLowerCase());
  }

  /** An incident by recId, publicId or WMTicketID (for test scripting). */
  findIncident(ref: string): CherwellRecord | undefined {
    return (
      this.find(INCIDENT, ref, '') ??
      this.find(INCIDENT, '', ref) ??
      this.records(INCIDENT).find((r) => r.fields.WMTicketID === ref)
    );
  }

  create(name: BusObName, fields: Record<string, string>): CherwellRecord {
    const def = this.def(name);
    const recId = randomBytes(16).toString('hex');
    const publicId =
      name === INCIDENT
        ? String(this.#nextIncident++)
        : name === WORK_ORDER
          ? `OT-${this.#nextWorkOrder++}`
          : recId;
    const now = new Date(this.#now()).toISOString();
    const defaults: Record<string, string> = name === NOTE ? {} : { Status: 'New' };
    const record: CherwellRecord = {
      busObId: def.busObId,
      busObRecId: recId,
      busObPublicId: publicId,
      fields: {
        ...defaults,
        ...fields,
        RecID: recId,
        [def.publicIdField]: publicId,
        CreatedDateTime: now,
        LastModifiedDateTime: now,
      },
      createdAt: now,
      updatedAt: now,
    };
    this.#records.get(name)?.set(recId, record);
    return record;
  }

  update(record: CherwellRecord, fields: Record<string, string>): void {
    const now = new Date(this.#now()).toISOString();
    Object.assign(record.fields, fields, { LastModifiedDateTime: now });
    record.updatedAt = now;
  }

  delete(name: BusObName, recId: string): boolean {
    return this.#records.get(name)?.delete(recId) ?? false;
  }

  reset(): void {
    for (const map of this.#records.values()) map.clear();
  }
}
