import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClientError, HttpClientErrorCode } from './http-client.errors';
import { RetryingHttpClient } from './retrying-http.client';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real HTTP server on loopback whose behaviour each test scripts. */
async function serve(handler: Handler): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hits++;
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));
const fast = { retries: 5, baseDelayMs: 5, maxDelayMs: 20 };

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function failure(p: Promise<unknown>): Promise<HttpClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HttpClientError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('RetryingHttpClient', () => {
  it.each([503, 500, 429])('retries a %i until the server recovers, resending the same body', async (status) => {
    const bodies: string[] = [];
    const s = await serve((_req, res, body) => {
      bodies.push(body);
      if (bodies.length < 3) json(res, status, { error: { code: 'x', message: 'busy' } });
      else json(res, 200, { ok: true });
    });
    try {
      const client = new RetryingHttpClient({ baseURL: s.url, retry: fast });
      const res = await client.post<{ ok: boolean }>('/send', { offset: 7, logs: 'abc' });
      expect(res).toEqual({ status: 200, data: { ok: true } });
      expect(bodies).toEqual(Array(3).fill(JSON.stringify({ offset: 7, logs: 'abc' })));
    } finally {
      await close(s.server);
    }
  });

  it('sends its headers on every attempt', async () => {
    const seen: Array<string | undefined> = [];
    const s = await serve((req, res) => {
      seen.push(req.headers.authorization);
      json(res, seen.length < 2 ? 502 : 200, {});
    });
    try {
      await new RetryingHttpClient({ baseURL: s.url, retry: fast, headers: { authorization: 'Bearer t' } }).post('/x', {});
      expect(seen).toEqual(['Bearer t', 'Bearer t']);
    } finally {
      await close(s.server);
    }
  });

  it.each([401, 403])('stops at once on %i with an auth error carrying the server message', async (status) => {
    const s = await serve((_req, res) => json(res, status, { error: { code: 'unauthorized', message: 'token revoked' } }));
    try {
      const err = await failure(new RetryingHttpClient({ baseURL: s.url, retry: fast }).post('/x', {}));
      expect(err.code).toBe(HttpClientErrorCode.AuthRejected);
      expect(err.status).toBe(status);
      expect(err.message).toMatch(/token revoked/);
      expect(s.hits()).toBe(1);
    } finally {
      await close(s.server);
    }
  });

  it('does not retry a 409 and hands back the body', async () => {
    const s = await serve((_req, res) => json(res, 409, { error: { code: 'log_offset_gap', message: 'gap', offset: 12 } }));
    try {
      const err = await failure(new RetryingHttpClient({ baseURL: s.url, retry: fast }).post('/x', {}));
      expect(err.code).toBe(HttpClientErrorCode.Rejected);
      expect(err.body).toEqual({ error: { code: 'log_offset_gap', message: 'gap', offset: 12 } });
      expect(s.hits()).toBe(1);
    } finally {
      await close(s.server);
    }
  });

  it('gives up after its retry budget', async () => {
    const s = await serve((_req, res) => json(res, 503, {}));
    try {
      const err = await failure(new RetryingHttpClient({ baseURL: s.url, retry: { ...fast, retries: 2 } }).get('/x'));
      expect(err.code).toBe(HttpClientErrorCode.GaveUp);
      expect(s.hits()).toBe(3);
    } finally {
      await close(s.server);
    }
  });

  it('keeps trying through connection refusals until the server comes up', async () => {
    // Reserve a port, free it, and only start the server after the client has started failing.
    const probe = await serve(() => undefined);
    const port = (probe.server.address() as AddressInfo).port;
    await close(probe.server);
    const retries: string[] = [];
    const client = new RetryingHttpClient({
      baseURL: `http://127.0.0.1:${port}`,
      retry: { retries: 50, baseDelayMs: 5, maxDelayMs: 20 },
      onRetry: (i) => retries.push(i.reason),
    });
    const call = client.post<{ ok: boolean }>('/x', { n: 1 });
    while (retries.length < 2) await new Promise((r) => setTimeout(r, 5));
    const server = createServer((_req, res) => json(res, 200, { ok: true }));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      await expect(call).resolves.toEqual({ status: 200, data: { ok: true } });
      expect(retries[0]).toBe('ECONNREFUSED');
    } finally {
      await close(server);
    }
  });

  it('can be aborted while it waits', async () => {
    const s = await serve((_req, res) => json(res, 503, {}));
    try {
      const ctl = new AbortController();
      const call = new RetryingHttpClient({ baseURL: s.url, retry: { retries: Infinity, baseDelayMs: 5, maxDelayMs: 10 } }).post('/x', {}, { signal: ctl.signal });
      while (s.hits() < 2) await new Promise((r) => setTimeout(r, 5));
      ctl.abort();
      const err = await failure(call);
      expect([HttpClientErrorCode.Aborted, HttpClientErrorCode.GaveUp]).toContain(err.code);
    } finally {
      await close(s.server);
    }
  });
});
