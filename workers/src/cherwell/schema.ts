import { z } from 'zod';

// Cherwell's answers (cherwell.md), as much as Ticketing BE reads of them. Unknown keys are
// ignored; nullable keys are written as Cherwell sends them (`null` rather than absent).

export const tokenAnswer = z.object({
  access_token: z.string().min(1),
  // Seconds; some gateways send it as a string.
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).nullish(),
});

/** A business object summary; a group (Journal) lists its members in `groupSummaries`. */
export interface Summary {
  busObId: string;
  name: string;
  displayName?: string | null | undefined;
  group?: boolean | null | undefined;
  groupSummaries?: Summary[] | null | undefined;
}

const summary: z.ZodType<Summary> = z.object({
  busObId: z.string().min(1),
  name: z.string(),
  displayName: z.string().nullish(),
  group: z.boolean().nullish(),
  get groupSummaries() {
    return z.array(summary).nullish();
  },
});

export const summaryAnswer = z.array(summary);

// `fieldId` is sent exactly as the template gives it (the short id; newer versions also answer
// `fullFieldId`, which is read only to recognise the field in answers that use the full form).
export const templateAnswer = z.object({
  fields: z.array(
    z.object({ fieldId: z.string().min(1), fullFieldId: z.string().nullish(), name: z.string() }),
  ),
});

const fieldValidationError = z.object({
  fieldId: z.string().nullish(),
  error: z.string().nullish(),
  errorCode: z.string().nullish(),
});

export const saveEntry = z.object({
  busObPublicId: z.string().nullish(),
  busObRecId: z.string().nullish(),
  fieldValidationErrors: z.array(fieldValidationError).nullish(),
  errorCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
  hasError: z.boolean(),
});
export type SaveEntry = z.infer<typeof saveEntry>;

export const saveAnswer = z.object({
  responses: z.array(saveEntry).nullish(),
  errorCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
  hasError: z.boolean().nullish(),
});
export type SaveAnswer = z.infer<typeof saveAnswer>;

const searchRow = z.object({
  busObId: z.string().nullish(),
  busObPublicId: z.string(),
  busObRecId: z.string(),
  fields: z.array(
    z.object({ fieldId: z.string().nullish(), name: z.string().nullish(), value: z.string().nullish() }),
  ),
});
export type SearchRow = z.infer<typeof searchRow>;

export const searchAnswer = z.object({
  businessObjects: z.array(searchRow).nullish(),
  totalRows: z.number().int().min(0),
  hasError: z.boolean().nullish(),
  errorCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
});

/** One entry of `saveRequests`. */
export interface SaveRequest {
  busObId: string;
  busObRecId: string;
  busObPublicId: string;
  persist: true;
  fields: Array<{ dirty: true; fieldId: string; name: string; value: string }>;
}

export interface SearchFilter {
  fieldId: string;
  operator: 'eq' | 'startswith';
  value: string;
}
