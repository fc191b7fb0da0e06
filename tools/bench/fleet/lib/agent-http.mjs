// What a simulated agent needs to speak the Agent API (docs/API.md) with nothing but
// node:http and node:crypto: tokens as create_agent_token mints them, and a small POST
// helper over a keep-alive connection pool.
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import http from 'node:http';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/**
 * Mints `jwt_agent_<ES256 JWT>` with the claims the broker checks (worker_group, tags, jti,
 * iat, exp, aud 'agent'). Written out by hand so the client processes load no Nest code:
 * 10,000 agents' tokens cost ~1 s of signing spread over the client processes.
 */
export function agentTokenMinter(privateKeyPem) {
  const key = createPrivateKey(privateKeyPem);
  const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT' }));
  return ({ workerGroup, tags, ttlS = 3 * 3600 }) => {
    const iat = Math.floor(Date.now() / 1000);
    const payload = b64url(JSON.stringify({ worker_group: workerGroup, tags, jti: randomUUID(), iat, exp: iat + ttlS, aud: 'agent' }));
    // JWS wants the raw r||s signature, not DER.
    const sig = sign('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' });
    return `jwt_agent_${header}.${payload}.${b64url(sig)}`;
  };
}

/** Errors worth retrying: the broker never saw the request, or the connection broke. */
const TRANSIENT = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'EADDRNOTAVAIL']);
export const isTransient = (err) => TRANSIENT.has(err?.code);

/**
 * POST client for one client process. Long polls hold their socket for up to wait_s; the
 * others (pings, results) reuse whatever sockets are free, so the pool stays near one
 * socket per agent plus a handful.
 */
export function httpClient(baseUrl) {
  const base = new URL(baseUrl);
  // lifo: hot sockets are reused and the rest idle out, instead of every socket being
  // touched just often enough to stay open.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, scheduling: 'lifo' });
  const active = new Set();
  const counters = { requests: 0, newSockets: 0, reusedRetries: 0 };
  let closed = false;

  /**
   * Resolves {status, body} for any HTTP status; rejects on a transport error. A request
   * sent on a reused keep-alive socket that the server closed in the same instant fails with
   * ECONNRESET before the server read it: that one is retried at once (Node's documented
   * pattern), which is safe for every Agent API call.
   */
  function post(path, body, headers, { retryReused = true } = {}) {
    counters.requests++;
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? '' : JSON.stringify(body);
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            active.delete(req);
            resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (e) => {
            active.delete(req);
            reject(e);
          });
        },
      );
      // A new TCP connection (not a keep-alive reuse): each one goes through the broker's accept queue.
      req.on('socket', () => {
        if (!req.reusedSocket) counters.newSockets++;
      });
      req.on('error', (e) => {
        active.delete(req);
        // Not after close(): that reset is our own doing.
        if (retryReused && !closed && req.reusedSocket && e.code === 'ECONNRESET') {
          counters.reusedRetries++;
          post(path, body, headers, { retryReused: false }).then(resolve, reject);
        } else {
          reject(e);
        }
      });
      active.add(req);
      req.end(payload);
    });
  }

  return {
    post,
    counters,
    /** Ends every request in flight (the broker sees the client leave) and the pool. */
    close() {
      closed = true;
      for (const req of active) req.destroy();
      active.clear();
      agent.destroy();
    },
  };
}
