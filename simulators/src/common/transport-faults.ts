import type { IncomingMessage } from 'node:http';
import type { TransportFault } from './faults.ts';
import type { PlatformBehaviour } from './route.ts';
import type { RecordedRequest, SimReply } from './types.ts';

/** What a gateway or the network does instead of the platform answering. */
export function applyTransportFault(
  fault: Exclude<TransportFault, { action: 'oversized' }>,
  record: RecordedRequest,
  req: IncomingMessage,
  answer: (reply: SimReply) => void,
  platform: PlatformBehaviour,
): void {
  switch (fault.action) {
    case 'status': {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      const body =
        fault.body !== undefined
          ? fault.body
          : platform.errorBody(fault.status, 'injected fault', record.path);
      answer({ status: fault.status, body, headers });
      return;
    }
    case 'hang':
      return; // the request stays in flight until the client gives up and closes the socket
    case 'reset':
      resetSocket(record, req);
      return;
    case 'invalid-json':
      answer({
        status: 200,
        body: '{"changes":[{"seq":1,"platforms":["cherw',
        headers: { 'content-type': 'application/json' },
      });
      return;
    case 'invalid-envelope':
      answer({ status: 200, body: platform.invalidEnvelope });
      return;
  }
}

export function resetSocket(record: RecordedRequest, req: IncomingMessage): void {
  record.outcome = 'reset';
  req.socket.destroy();
}
