/**
 * A small fault-injecting HTTP proxy on 127.0.0.1, in front of a real target: each request is either
 * forwarded, answered with a fault (status, headers, body), or has its connection reset. Used to test
 * retries and error handling against real HTTP instead of mocks of our own code.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * `reset`: the connection is dropped before the request reaches the target; `lost-response`: the target
 * processes the request, then the connection is dropped before the answer (the client cannot know).
 */
export type Fault = { status: number; headers?: Record<string, string>; body?: string } | 'reset' | 'lost-response';

export interface FaultContext {
  method: string;
  /** Path and query as received. */
  url: string;
  /** 1-based count of requests with this method so far. */
  nth: number;
}

export interface FaultProxy {
  /** The proxied base URL (the target's path kept). */
  url: string;
  /** Requests that got a fault instead of being forwarded. */
  injected: Array<{ method: string; url: string; fault: Fault }>;
  close(): Promise<void>;
}

export async function startFaultProxy(targetUrl: string, decide: (ctx: FaultContext) => Fault | null): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const counts = new Map<string, number>();
  const injected: FaultProxy['injected'] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const method = req.method ?? 'GET';
    const nth = (counts.get(method) ?? 0) + 1;
    counts.set(method, nth);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fault = decide({ method, url: req.url ?? '/', nth });
      if (fault === 'reset') {
        injected.push({ method, url: req.url ?? '/', fault });
        req.socket.destroy();
        return;
      }
      if (fault && fault !== 'lost-response') {
        injected.push({ method, url: req.url ?? '/', fault });
        res.writeHead(fault.status, { 'content-type': 'application/scim+json', ...fault.headers });
        res.end(fault.body ?? '');
        return;
      }
      if (fault === 'lost-response') injected.push({ method, url: req.url ?? '/', fault });
      const upstream = request({ host: target.hostname, port: target.port, method, path: req.url, headers: req.headers }, (up) => {
        if (fault === 'lost-response') {
          up.resume();
          up.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    injected,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
