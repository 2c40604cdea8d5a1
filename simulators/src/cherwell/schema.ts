import { z } from 'zod';

// Request shapes as Cherwell's REST API takes them. Unknown keys are tolerated, as .NET's
// model binder does; wrong types are a 400.

export const saveFieldSchema = z.looseObject({
  fieldId: z.string().min(1),
  name: z.string().optional(),
  // cherwell.md: every value is sent as a string.
  value: z.string(),
  dirty: z.boolean().optional(),
});

export const saveRequestSchema = z.looseObject({
  busObId: z.string().min(1),
  busObRecId: z.string().nullable().optional(),
  busObPublicId: z.string().nullable().optional(),
  persist: z.boolean().optional(),
  fields: z.array(saveFieldSchema),
});
export type SaveRequest = z.infer<typeof saveRequestSchema>;

export const saveBatchSchema = z.looseObject({
  saveRequests: z.array(saveRequestSchema),
  stopOnError: z.boolean().optional(),
});

export const OPERATORS = ['eq', 'gt', 'lt', 'contains', 'startswith'] as const;

export const searchSchema = z.looseObject({
  busObId: z.string().min(1),
  filters: z
    .array(z.looseObject({ fieldId: z.string().min(1), operator: z.string(), value: z.string() }))
    .optional(),
  fields: z.array(z.string()).optional(),
  includeAllFields: z.boolean().optional(),
  pageNumber: z.int().min(1).optional(),
  pageSize: z.int().min(1).optional(),
});
export type SearchRequest = z.infer<typeof searchSchema>;

export const templateSchema = z.looseObject({
  busObId: z.string().min(1),
  fieldNames: z.array(z.string()).optional(),
  fieldIds: z.array(z.string()).optional(),
  includeAll: z.boolean().optional(),
  includeRequired: z.boolean().optional(),
});

/** Cherwell's error shape on API calls (the ReadResponseBase fields). */
export function cherwellError(message: string, errorCode: string): Record<string, unknown> {
  return { errorCode, errorMessage: message, hasError: true };
}

export function errorCodeFor(status: number): string {
  switch (status) {
    case 400:
      return 'BADREQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 402:
      return 'REQUESTFAILED';
    case 404:
      return 'NOTFOUND';
    case 429:
      return 'TOOMANYREQUESTS';
    case 503:
      return 'SERVICEUNAVAILABLE';
    default:
      return status >= 500 ? 'GENERALFAILURE' : `HTTP${status}`;
  }
}
