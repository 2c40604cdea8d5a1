import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBody, readBody } from './body.ts';
import type { SimCore } from './core.ts';
import { itemErrorFor } from './faults.ts';
import type { AuthOutcome, PlatformBehaviour, SimRequest, SimRoute } from './route.ts';
import { compileRoutes, findRoute, stripBase, touchesOf } from './route-match.ts';
import { applyTransportFault, resetSocket } from './transport-faults.ts';
import { sendReply, sleep } from './reply.ts';
import { isClientFault } from './tokens.ts';
import type { SimReply } from './types.ts';

export interface DeviceDeps {
  core: SimCore;
  platform: PlatformBehaviour;
  routes: readonly SimRoute[];
}

/**
 * The pipeline of every request to the device path, in the order a real deployment would act:
 * record, detect overlap and bad tokens (observations only), gateway faults and latency, then
 * authentication, then the handler with its commit and per-item faults.
 */
export function deviceHandler(deps: DeviceDeps) {
  const { core, platform } = deps;
  const ci = platform.caseInsensitivePaths ?? false;
  const routes = compileRoutes(deps.routes, ci);

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    if (raw === 'too-large') {
      sendReply(res, { status: 413, body: platform.errorBody(413, 'request body too large', url.pathname) });
      return;
    }
    const parsed = parseBody(raw, req.headers['content-type']);
    const fullPath = url.pathname;
    const path = stripBase(fullPath, platform.basePath, ci);
    const sreq: SimRequest = {
      method,
      path: path ?? fullPath,
      fullPath,
      params: {},
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      bodyKind: parsed.kind,
      body: parsed.value,
    };
    const found = path === null ? undefined : findRoute(routes, method, path, sreq);
    const ticketIds = found ? touchesOf(found, sreq) : [];
    const record = core.record({ method, path: sreq.path, query: sreq.query, body: parsed.value, ticketIds });
    res.on('close', () => {
      record.endedAt = core.now();
      if (record.outcome === 'pending') record.outcome = res.writableFinished ? 'answered' : 'abandoned';
      core.inFlight.end(record.id);
    });
    const violation = (kind: Parameters<SimCore['violation']>[0], detail: string): void =>
      core.violation(kind, detail, record.id);
    const answer = (reply: SimReply, padToBytes = 0): void => {
      record.status = reply.status;
      if (sendReply(res, reply, padToBytes)) record.outcome = 'answered';
    };

    if (!found) {
      violation('bad-request', `${method} ${fullPath}: no such endpoint under ${platform.basePath}`);
      answer({ status: 404, body: platform.errorBody(404, `no endpoint ${method} ${fullPath}`, sreq.path) });
      return;
    }
    if (found.exclusive !== false) {
      const shared = core.inFlight.begin(record.id, ticketIds);
      if (shared.length > 0) {
        violation(
          'overlapping-requests',
          `${method} ${sreq.path} while another request touching ${shared.join(', ')} was in flight`,
        );
      }
    }
    const auth: AuthOutcome = found.auth ? platform.authenticate(sreq) : { ok: true };
    if (!auth.ok && isClientFault(auth.verdict)) {
      violation('invalid-token', `${method} ${sreq.path} with a ${auth.verdict} token`);
    }

    // Capacity: only API calls load the platform (tokens come from another service).
    let latencyFactor = 1;
    if (found.auth) {
      const load = core.capacity.begin();
      if (load.reject) {
        record.faults.push('overload');
        const retryAfterS = core.capacity.settings.retryAfterS;
        answer({
          status: 429,
          headers: { 'retry-after': String(retryAfterS) },
          body: platform.errorBody(429, 'too many requests in flight', sreq.path),
        });
        return;
      }
      latencyFactor = load.latencyFactor;
      res.on('close', load.end);
    }

    const target = { method, path: sreq.path, fullPath, ticketIds };
    const transport = core.faults.pickTransport(target);
    record.faults.push(...transport.applied);
    const delayMs = core.latencyMs * latencyFactor + transport.latencyMs;
    if (delayMs > 0) {
      await sleep(delayMs);
      if (record.endedAt !== null) return;
    }
    const fault = transport.fault;
    if (fault && fault.action !== 'oversized') {
      applyTransportFault(fault, record, req, answer, platform);
      return;
    }
    if (!auth.ok) {
      answer(auth.reply);
      return;
    }
    if (parsed.kind === 'invalid' && found.anyBody !== true) {
      violation('bad-request', `${method} ${sreq.path}: body is not valid JSON`);
      answer({ status: 400, body: platform.errorBody(400, 'request body is not valid JSON', sreq.path) });
      return;
    }

    const handling = core.faults.pickHandling(target);
    record.faults.push(...handling.applied);
    const reply = await found.handle(sreq, {
      requestId: record.id,
      violation,
      itemError: (ids) => itemErrorFor(handling.itemErrors, ids),
    });
    const commit = handling.commit;
    if (commit) {
      // The store has changed; the client just never learns it.
      if (commit.then === 'reset') resetSocket(record, req);
      else
        answer({
          status: commit.status ?? 500,
          body: platform.errorBody(commit.status ?? 500, 'injected failure after commit', sreq.path),
        });
      return;
    }
    answer(reply, fault?.action === 'oversized' ? (fault.bytes ?? 20 * 1024 * 1024) : 0);
  };
}
