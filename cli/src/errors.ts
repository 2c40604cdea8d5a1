/**
 * Bad usage: an unknown command or option, a missing or malformed argument. The CLI prints the
 * one-line reason and a hint, and exits 2 (operations.md, "CLI"). Thrown before anything is sent.
 */
export class UsageError extends Error {
  /** The command whose help the hint points at; undefined for the general help. */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/**
 * A command that was understood but failed: the API refused it, the dashboard is unreachable,
 * the answer was not what the contract says. The CLI prints the one-line message and exits 1.
 */
export class CommandError extends Error {
  /** A stable code for `--json` (the API's error code when the API refused). */
  readonly code: string;
  /** What `--json` adds beside the code and message (the API's `fields`, what was done before). */
  readonly details: Readonly<Record<string, unknown>>;
  constructor(message: string, details: Record<string, unknown> = {}, code = 'FAILED') {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.details = details;
  }
}
