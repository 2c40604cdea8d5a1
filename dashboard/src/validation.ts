import type { z } from 'zod';
import { badRequest, type FieldProblem } from './errors.ts';

/** Parses input with a zod schema or throws a 400 naming every bad field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  root: 'body' | 'query',
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = fieldProblems(parsed.error, root);
  throw badRequest(`invalid ${root}: ${fields.map((field) => field.path).join(', ')}`, fields);
}

/** A path segment as shown: names and indexes as they are, any other key (empty, spaces, dots) quoted. */
const segment = (key: PropertyKey): string => {
  const text = String(key);
  return /^[A-Za-z0-9_$-]+$/.test(text) ? text : JSON.stringify(text);
};

export function fieldProblems(error: z.ZodError, root: string): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const base = issue.path.map(segment);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, segment(key)].join('.'), message: 'unknown field' }));
    }
    return [{ path: base.length > 0 ? base.join('.') : root, message: issue.message }];
  });
}
