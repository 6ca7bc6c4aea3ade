import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from '../faults';
import { internalErrorFault, throttledFault } from './soap-faults';

/** How the endpoint a fault hits speaks: SOAP faults for the web service, JSON for the token endpoint. */
export type Surface = 'soap' | 'oauth';

const BAD_GATEWAY =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';

/**
 * Answers a request with an injected fault. Returns false only for tokenExpiry, which does not answer
 * by itself: the request goes on with its bearer token treated as expired.
 */
export async function injectFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  surface: Surface,
  timeoutMs: number,
): Promise<boolean> {
  switch (fault.type) {
    case 'serverError':
      if (fault.status === 502) send(res, 502, 'text/html', BAD_GATEWAY);
      else if (fault.status === 503) send(res, 503, 'text/html', '');
      else if (surface === 'soap') send(res, 500, 'text/xml;charset=UTF-8', internalErrorFault().toXml(false));
      else send(res, 500, 'application/json', JSON.stringify({ error: 'server_error' }));
      return true;
    case 'throttle':
      // SOAP throttling is an HTTP 500 processing fault; REST endpoints use 429, with no Retry-After.
      if (surface === 'soap') send(res, 500, 'text/xml;charset=UTF-8', throttledFault().toXml(false));
      else send(res, 429, 'application/json', JSON.stringify({ error: 'too_many_requests' }));
      return true;
    case 'drop':
    case 'lostResponse':
      req.socket.destroy();
      return true;
    case 'timeout':
      await holdUntilClientGivesUp(req, res, timeoutMs);
      return true;
    case 'tokenExpiry':
      return false;
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Never answers: waits for the client to close the connection, or destroys it after `timeoutMs`. */
function holdUntilClientGivesUp(req: IncomingMessage, res: ServerResponse, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      req.socket.destroy();
      resolve();
    }, timeoutMs);
    timer.unref();
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
