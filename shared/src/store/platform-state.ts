import { z } from 'zod';
import {
  attemptErrorSchema,
  errorInfoSchema,
  OPERATIONS,
  REPORTED_STATES,
  type AttemptError,
  type ErrorInfo,
  type Operation,
  type ReportedState,
} from '../jobs.ts';
import { TICKET_STATES, type TicketState } from './overview.ts';

/**
 * What Ticketing BE knows of one WM ticket on one platform: the fields of its state hash
 * (`keys.state`). The worker writes it, the admin API and the overview read it.
 */
export interface PlatformState {
  state: TicketState | undefined;
  /** `own`: a platform ticket created (or found) for this WM ticket; `noted`: notes on another's. */
  mode: 'own' | 'noted' | undefined;
  /** The platform ticket's id (for `noted`, the host ticket's). */
  platformId: string | undefined;
  /** Cherwell's busObRecId of that ticket. */
  recId: string | undefined;
  workOrder: string | undefined;
  /** The OT number is written onto the platform ticket. */
  writtenBack: boolean;
  /** Created already resolved (first seen completed): it gets no work order. */
  createdResolved: boolean;
  /** The last WM version applied on the platform (0: none). */
  version: number;
  /** What to report to WM when the operations in progress are done. */
  outcome: ReportedState | undefined;
  /** A work order was requested and its answer lost: look it up before creating one. */
  workOrderUnknown: boolean;
  /** Tries per operation (the latest run of each). */
  attempts: Partial<Record<Operation, number>>;
  /** Every attempt's error of the operation in progress. */
  errors: AttemptError[];
  lastError: ErrorInfo | null;
  /** The operation that ended in the dead letters (state `error`). */
  deadOperation: Operation | undefined;
  /** The WM version it died at: a job for that version or an older one has nothing left to do. */
  deadVersion: number;
  updatedAtMs: number | undefined;
}

export const EMPTY_STATE: PlatformState = {
  state: undefined,
  mode: undefined,
  platformId: undefined,
  recId: undefined,
  workOrder: undefined,
  writtenBack: false,
  createdResolved: false,
  version: 0,
  outcome: undefined,
  workOrderUnknown: false,
  attempts: {},
  errors: [],
  lastError: null,
  deadOperation: undefined,
  deadVersion: 0,
  updatedAtMs: undefined,
};

const json = <T extends z.ZodType>(schema: T, fallback: z.infer<T>) =>
  z
    .string()
    .optional()
    .transform((value): z.infer<T> => {
      if (value === undefined || value === '') return fallback;
      const parsed = schema.safeParse(JSON.parse(value));
      return parsed.success ? parsed.data : fallback;
    });

const flag = z
  .string()
  .optional()
  .transform((value) => value === '1');
const text = z.string().optional();

const hashSchema = z.object({
  state: z.enum(TICKET_STATES).optional(),
  mode: z.enum(['own', 'noted']).optional(),
  platformId: text,
  recId: text,
  workOrder: text,
  writtenBack: flag,
  createdResolved: flag,
  version: z.coerce.number().int().default(0),
  outcome: z.enum(REPORTED_STATES).optional(),
  workOrderUnknown: flag,
  attempts: json(z.partialRecord(z.enum(OPERATIONS), z.number().int()), {}),
  errors: json(z.array(attemptErrorSchema), []),
  lastError: json(errorInfoSchema.nullable(), null),
  deadOperation: z.enum(OPERATIONS).optional(),
  deadVersion: z.coerce.number().int().default(0),
  updatedAt: z.coerce.number().optional(),
});

/** Reads a state hash (HGETALL); an empty hash is the state of a ticket never seen. */
export function parsePlatformState(hash: Record<string, string>): PlatformState {
  if (Object.keys(hash).length === 0) return EMPTY_STATE;
  // An emptied field ('') means unset.
  const present = Object.fromEntries(Object.entries(hash).filter(([, value]) => value !== ''));
  const { updatedAt, ...rest } = hashSchema.parse(present);
  return { ...EMPTY_STATE, ...rest, updatedAtMs: updatedAt };
}

/** The hash fields for a partial state (the `state` field is the transition's, not set here). */
export function stateFields(
  patch: Partial<Omit<PlatformState, 'state' | 'updatedAtMs'>>,
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) fields[name] = '';
    else if (typeof value === 'boolean') fields[name] = value ? '1' : '0';
    else if (typeof value === 'object') fields[name] = JSON.stringify(value);
    else fields[name] = String(value);
  }
  return fields;
}

const parseJson = <T>(value: string | undefined, fallback: T): T => {
  if (value === undefined || value === '') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
};

const STATE_NAMES: ReadonlySet<string> = new Set(TICKET_STATES);
const OPERATION_NAMES: ReadonlySet<string> = new Set(OPERATIONS);

/**
 * The worker's reader of a state hash it wrote itself (every write goes through `stateFields`
 * and the fenced transition script): the same result as `parsePlatformState` without zod's
 * re-validation (issue 8: no re-validation of data the product itself wrote and fenced). The
 * admin API and the dashboard keep the validating reader.
 */
export function readOwnPlatformState(hash: Record<string, string>): PlatformState {
  const f = (name: string): string | undefined => {
    const value = hash[name];
    return value === undefined || value === '' ? undefined : value;
  };
  if (Object.keys(hash).length === 0) return EMPTY_STATE;
  const updatedAt = f('updatedAt');
  const version = Number(f('version') ?? 0);
  const deadVersion = Number(f('deadVersion') ?? 0);
  const state = f('state');
  const mode = f('mode');
  const deadOperation = f('deadOperation');
  // A damaged hash (not one this product wrote) must not read as a state that sends nothing: the
  // validating reader then says what is wrong instead.
  if (
    !Number.isInteger(version) ||
    !Number.isInteger(deadVersion) ||
    (updatedAt !== undefined && !Number.isFinite(Number(updatedAt))) ||
    (state !== undefined && !STATE_NAMES.has(state)) ||
    (mode !== undefined && mode !== 'own' && mode !== 'noted') ||
    (deadOperation !== undefined && !OPERATION_NAMES.has(deadOperation))
  )
    return parsePlatformState(hash);
  return {
    state: state as TicketState | undefined,
    mode,
    platformId: f('platformId'),
    recId: f('recId'),
    workOrder: f('workOrder'),
    writtenBack: f('writtenBack') === '1',
    createdResolved: f('createdResolved') === '1',
    version,
    outcome: f('outcome') as ReportedState | undefined,
    workOrderUnknown: f('workOrderUnknown') === '1',
    attempts: parseJson<Partial<Record<Operation, number>>>(f('attempts'), {}),
    errors: parseJson<AttemptError[]>(f('errors'), []),
    lastError: parseJson<ErrorInfo | null>(f('lastError'), null),
    deadOperation: deadOperation as Operation | undefined,
    deadVersion,
    updatedAtMs: updatedAt === undefined ? undefined : Number(updatedAt),
  };
}
