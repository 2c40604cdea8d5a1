/** One line of the preflight checklist. A failure says how to fix it. */
export interface CheckResult {
  /** What was checked, e.g. `Redis maxmemory-policy`. */
  readonly name: string;
  readonly ok: boolean;
  /** What was found (a version, an id, how a business object resolved, the problem). */
  readonly detail: string;
  /** For a failure: what to do about it. */
  readonly fix?: string;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, detail });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  ok: false,
  detail,
  fix,
});

/** An error's message in one line, whatever was thrown. */
export function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ');
}
