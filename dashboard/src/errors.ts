/** Stable codes of every error the admin API answers; the HTTP status follows from the code. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  // A browser request from another site (operations.md names 400/401/404/409 for the API's own
  // errors; a cross-site browser request is not an API client, so it gets the honest 403).
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL: 500,
} as const;
export type AdminErrorCode = keyof typeof ERROR_STATUS;

export interface FieldProblem {
  /** Dotted path of the offending field (`maxRetries`, `ids.0`), `body` or `query` for the whole input. */
  path: string;
  message: string;
}

/**
 * Thrown by the admin operations and the API when a request cannot be served as asked. The
 * message is shown to operators: it never carries a secret.
 */
export class AdminError extends Error {
  readonly code: AdminErrorCode;
  readonly fields: FieldProblem[] | undefined;

  constructor(code: AdminErrorCode, message: string, fields?: FieldProblem[]) {
    super(message);
    this.name = 'AdminError';
    this.code = code;
    this.fields = fields;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** The contract's error body: `fields` only on 400. */
  toBody(): { error: { code: AdminErrorCode; message: string; fields?: FieldProblem[] } } {
    const error = { code: this.code, message: this.message };
    return { error: this.code === 'BAD_REQUEST' ? { ...error, fields: this.fields ?? [] } : error };
  }
}

export const badRequest = (message: string, fields: FieldProblem[]): AdminError =>
  new AdminError('BAD_REQUEST', message, fields);
export const notFound = (message: string): AdminError => new AdminError('NOT_FOUND', message);
export const conflict = (message: string): AdminError => new AdminError('CONFLICT', message);
