import type { Dispatcher } from 'undici';

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError' as const;
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`answer larger than ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/**
 * Reads an answer's body as UTF-8, refusing to hold more than `limitBytes` (a runaway answer
 * must not exhaust the worker's memory). Over the limit the stream is destroyed.
 */
export async function readCapped(body: Dispatcher.ResponseData['body'], limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    sizeBytes += buffer.length;
    if (sizeBytes > limitBytes) {
      body.destroy();
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads at most `limitBytes` of an error answer for its detail; the rest is discarded. */
export async function readHead(body: Dispatcher.ResponseData['body'], limitBytes: number): Promise<string> {
  try {
    return await readCapped(body, limitBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return '';
    throw error;
  }
}

const DETAIL_KEYS = ['error', 'error_description', 'errorCode', 'errorMessage', 'code', 'message'] as const;

/**
 * A short description of an error answer: the well-known keys of a JSON body (OAuth `error`,
 * Cherwell `errorCode`/`errorMessage`, ...) or the start of the text. `secrets` are blanked.
 */
export function describeErrorBody(text: string, secrets: readonly string[]): string | undefined {
  let detail = text.trim().slice(0, 300);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') {
      let record = parsed as Record<string, unknown>;
      // `{ "error": { "code", "message" } }`, as SFyC and many JSON APIs answer.
      if (record.error !== null && typeof record.error === 'object')
        record = record.error as Record<string, unknown>;
      const parts = DETAIL_KEYS.filter((key) => typeof record[key] === 'string' && record[key] !== '').map(
        (key) => `${key}=${String(record[key]).slice(0, 200)}`,
      );
      if (parts.length > 0) detail = parts.join(' ');
    }
  } catch {
    // not JSON: the text itself
  }
  return detail === '' ? undefined : scrub(detail, secrets);
}

/** Blanks every secret (tokens, passwords, client ids) that a platform may echo back. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== '') out = out.split(secret).join('[redacted]');
  }
  return out;
}
