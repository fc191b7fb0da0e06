import type { PullJobReply } from '@millrace/contracts';
import type { WorkerJob } from '@millrace/worker-loop';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrokerJobSource } from '../agent/broker-job.source';

/** A request as the fake broker saw it: the route, the job id of a job route, `next=true`. */
export interface Seen {
  route: string;
  id: string;
  next: boolean;
}

export interface FakeBroker {
  url: string;
  seen: Seen[];
  /** Connections the client closed before they were answered, by route. */
  cut: string[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on loopback speaking the agent routes BrokerJobSource uses. `answer`
 * decides when and how each request is answered, so a test can hold exchanges in flight.
 */
export async function fakeBroker(answer: (seen: Seen, respond: (status: number, body?: unknown) => void) => void): Promise<FakeBroker> {
  const seen: Seen[] = [];
  const cut: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const parts = url.pathname.split('/');
      const jobRoute = ['send_result', 'push_logs', 'release_job'].find((r) => parts.includes(r));
      const s: Seen = { route: jobRoute ?? parts.at(-1) ?? '', id: jobRoute ? (parts.at(-1) ?? '') : '', next: url.searchParams.get('next') === 'true' };
      seen.push(s);
      res.on('close', () => {
        if (!res.writableFinished) cut.push(s.route);
      });
      answer(s, (status, body) => {
        if (res.destroyed) return;
        if (body === undefined) return void res.writeHead(status).end();
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    cut,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export function workerJob(id: string): WorkerJob {
  return { id, workspaceId: 'acme', kind: 'script', language: 'bash', content: 'true', args: {}, timeoutS: null, token: `token-${id}`, claimId: '' };
}

export function pullReply(id: string): PullJobReply {
  return {
    job: { id, workspace_id: 'acme', job_kind: 'script', language: 'bash', content: 'true', lock: null, args: {}, tag: 't', timeout_s: null, parent_job: null, flow_step_id: null, created_at: new Date(0).toISOString() },
    job_token: `token-${id}`,
  };
}

/** A source against `url` that retries nothing and logs warnings into `warnings`. */
export function sourceFor(url: string, warnings: string[] = []): BrokerJobSource {
  const logger = { log: () => undefined, warn: (m: string) => void warnings.push(m), error: () => undefined };
  return new BrokerJobSource({ baseUrl: url, agentToken: 'agent', workerSuffix: 't', pullWaitS: 30, logger, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
}
