import { z } from 'zod';

// SFyC's answers (sfyc.md), as much as Ticketing BE reads of them; unknown keys are ignored.

export const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});

const searchItem = z.object({
  id: z.string().min(1),
  externalId: z.string().nullish(),
  entity: z.string().nullish(),
  alarmType: z.string().nullish(),
  status: z.string().nullish(),
  version: z.number().int().nullish(),
  workOrder: z.string().nullish(),
});
export type SearchItem = z.infer<typeof searchItem>;

export const searchAnswer = z.object({
  items: z.array(searchItem),
  next: z.string().nullish(),
});

const resultError = z.object({
  code: z.string().min(1),
  field: z.string().nullish(),
  message: z.string().nullish(),
  retryable: z.boolean(),
});

const result = z.object({
  success: z.boolean(),
  id: z.string().nullish(),
  created: z.boolean().nullish(),
  stale: z.boolean().nullish(),
  // A note whose noteKey was already applied: not added again, a success (sfyc.md).
  duplicate: z.boolean().nullish(),
  workOrder: z.string().nullish(),
  errors: z.array(resultError).nullish(),
});
export type Result = z.infer<typeof result>;

export const resultsAnswer = z.object({ results: z.array(result) });

/** The writable fields: `priority` and `alarmCount` integers, every other one a string. */
export interface TicketFields {
  summary: string;
  details: string;
  priority: 1 | 2 | 3;
  entity: string;
  entityType: string;
  alarmType: string;
  alarmCount: number;
  region: string;
  branchId: string;
  status?: 'open' | 'resolved';
  workOrder?: string;
}

export type Operation =
  | { op: 'upsert'; externalId: string; version: number; fields: TicketFields }
  | { op: 'note'; id: string; externalId: string; noteKey: string; text: string }
  | { op: 'resolve'; externalId: string; version: number };

export interface SearchQuery {
  externalIds?: string[];
  entities?: string[];
  alarmType?: string;
  openOnly?: boolean;
}

export interface WorkOrderRequest {
  ticketId: string;
  externalId: string;
  title: string;
  details: string;
}
