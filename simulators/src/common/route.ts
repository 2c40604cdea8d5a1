import type { IncomingHttpHeaders } from 'node:http';
import type { BodyKind } from './body.ts';
import type { ItemErrorFault } from './faults.ts';
import type { TokenVerdict } from './tokens.ts';
import type { SimReply, ViolationKind } from './types.ts';

export interface SimRequest {
  method: string;
  /** Relative to the device address. */
  path: string;
  fullPath: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  bodyKind: BodyKind;
  body: unknown;
}

export interface HandlerContext {
  requestId: number;
  violation(kind: ViolationKind, detail: string): void;
  /** The injected per-item failure for an item touching these WM ids, if any. */
  itemError(ticketIds: readonly string[]): ItemErrorFault | null;
}

export interface SimRoute {
  method: string;
  path: string;
  /** Requires a valid bearer token (checked by the platform's `authenticate`). */
  auth: boolean;
  /** Counts for `overlapping-requests` (default true). */
  exclusive?: boolean;
  /** The handler takes a body that is neither JSON nor a form itself (default: 400 before it). */
  anyBody?: boolean;
  /** WM ticket ids the request touches; called on the unvalidated body, so it must be lenient. */
  touches?(req: SimRequest): string[];
  handle(req: SimRequest, ctx: HandlerContext): SimReply | Promise<SimReply>;
}

export type AuthOutcome = { ok: true } | { ok: false; verdict: TokenVerdict; reply: SimReply };

/** What differs between platforms in the shared request pipeline. */
export interface PlatformBehaviour {
  name: string;
  basePath: string;
  caseInsensitivePaths?: boolean;
  /** The error body of an answer the handler did not give; `path` is relative to the device address. */
  errorBody(status: number, message: string, path: string): unknown;
  authenticate(req: SimRequest): AuthOutcome;
  /** A 200 body whose envelope does not validate (the `invalid-envelope` fault). */
  invalidEnvelope: unknown;
}

/** A `/_sim/...` control call: JSON in, JSON out. */
export interface ControlRoute {
  method: string;
  path: string;
  handle(body: unknown, params: Record<string, string>, query: Record<string, string>): SimReply;
}

/** Thrown by control handlers for a clean 4xx answer. */
export class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
