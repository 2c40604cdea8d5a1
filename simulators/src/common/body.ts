import type { IncomingMessage } from 'node:http';

/** Far above anything a client of these APIs sends; guards the simulator's own memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export type BodyKind = 'empty' | 'json' | 'form' | 'invalid';

export interface ParsedBody {
  kind: BodyKind;
  /** JSON value, form fields as an object, the raw text when invalid, null when empty. */
  value: unknown;
}

export async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Form bodies by content type; anything else non-empty must be JSON. */
export function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  const text = raw.toString('utf8');
  if (text.trim() === '') return { kind: 'empty', value: null };
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return { kind: 'form', value: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid', value: text.length > 4096 ? `${text.slice(0, 4096)}...` : text };
  }
}
