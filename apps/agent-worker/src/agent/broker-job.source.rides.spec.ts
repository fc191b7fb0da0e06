import type { PullJobReply } from '@millrace/contracts';
import type { ExecutionResult } from '@millrace/executor';
import type { WorkerJob } from '@millrace/worker-loop';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrokerJobSource } from './broker-job.source';

/** A request as the broker saw it: the route's last segment and whether `next=true` rode on it. */
interface Seen {
  route: string;
  id: string;
  next: boolean;
}

/**
 * A real HTTP server on loopback speaking the agent routes the source uses. Each test decides
 * when a `send_result` is answered (`answer`), so exchanges can be held in flight.
 */
async function fakeBroker(answer: (seen: Seen, respond: (body: unknown) => void) => void): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const parts = url.pathname.split('/');
      const route = parts.includes('send_result') ? 'send_result' : (parts.at(-1) ?? '');
      const s: Seen = { route, id: route === 'send_result' ? (parts.at(-1) ?? '') : '', next: url.searchParams.get('next') === 'true' };
      seen.push(s);
      answer(s, (body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const close = (s: Server) =>
  new Promise<void>((r) => {
    s.close(() => r());
    s.closeAllConnections();
  });
const ok: ExecutionResult = { success: true, result: null, durationMs: 3 };

function job(id: string): WorkerJob {
  return { id, workspaceId: 'acme', kind: 'script', language: 'bash', content: 'true', args: {}, timeoutS: null, token: `token-${id}`, claimId: '' };
}

function reply(id: string): PullJobReply {
  return {
    job: { id, workspace_id: 'acme', job_kind: 'script', language: 'bash', content: 'true', lock: null, args: {}, tag: 't', timeout_s: null, parent_job: null, flow_step_id: null, created_at: new Date(0).toISOString() },
    job_token: `token-${id}`,
  };
}

function source(url: string): BrokerJobSource {
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  return new BrokerJobSource({ baseUrl: url, agentToken: 'agent', workerSuffix: 't', pullWaitS: 1, logger: quiet, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
}

/** Resolves once `check` holds, polling every few ms (fails the test after 5 s). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('BrokerJobSource: a prefetch rides on a result (send_result?next=true)', () => {
  it('holds a result finished while a ride is in flight, so the prefetch asked for when that ride brings a job rides on it: one exchange per job, no pull_job', async () => {
    let holdRide: (() => void) | undefined;
    const broker = await fakeBroker((s, respond) => {
      if (s.route !== 'send_result') return respond(reply('unexpected'));
      const answer = () => respond({ repeated: false, next: s.next ? reply(`after-${s.id}`) : null });
      // The first ride stays in flight until the test lets it go.
      if (s.id === 'j1') holdRide = answer;
      else answer();
    });
    try {
      const src = source(broker.url);
      const signal = new AbortController().signal;
      // j1 finishes; the loop asks for its prefetch in the same turn: it rides on j1's result.
      const reported1 = src.complete(job('j1'), ok);
      const pulled = src.pull(signal, { prefetch: true });
      await until(() => holdRide !== undefined, "j1's result to reach the broker");
      // j2 finishes while that ride is still in flight.
      const reported2 = src.complete(job('j2'), ok);
      await new Promise((r) => setTimeout(r, 30));
      expect(broker.seen.map((s) => s.id)).toEqual(['j1']);
      // The ride comes back with a job; the loop starts it and prefetches in the same turn.
      holdRide!();
      const next = await pulled;
      expect(next?.id).toBe('after-j1');
      const pulledAgain = src.pull(signal, { prefetch: true });
      await Promise.all([reported1, reported2]);
      expect((await pulledAgain)?.id).toBe('after-j2');
      expect(broker.seen).toEqual([
        { route: 'send_result', id: 'j1', next: true },
        { route: 'send_result', id: 'j2', next: true },
      ]);
    } finally {
      await close(broker.server);
    }
  });

  it('sends a held result alone once the ride is answered and no prefetch takes it', async () => {
    let holdRide: (() => void) | undefined;
    const broker = await fakeBroker((s, respond) => {
      const answer = () => respond({ repeated: false, next: s.next ? reply(`after-${s.id}`) : null });
      if (s.id === 'j1') holdRide = answer;
      else answer();
    });
    try {
      const src = source(broker.url);
      const reported1 = src.complete(job('j1'), ok);
      const pulled = src.pull(new AbortController().signal, { prefetch: true });
      await until(() => holdRide !== undefined, "j1's result to reach the broker");
      const reported2 = src.complete(job('j2'), ok);
      holdRide!();
      expect((await pulled)?.id).toBe('after-j1');
      await Promise.all([reported1, reported2]);
      expect(broker.seen).toEqual([
        { route: 'send_result', id: 'j1', next: true },
        { route: 'send_result', id: 'j2', next: false },
      ]);
    } finally {
      await close(broker.server);
    }
  });

  it('does not hold a result behind a ride that stays unanswered: it goes alone after a bounded wait', async () => {
    let holdRide: (() => void) | undefined;
    const broker = await fakeBroker((s, respond) => {
      const answer = () => respond({ repeated: false, next: s.next ? reply(`after-${s.id}`) : null });
      if (s.id === 'j1') holdRide = answer;
      else answer();
    });
    try {
      const src = source(broker.url);
      const reported1 = src.complete(job('j1'), ok);
      const pulled = src.pull(new AbortController().signal, { prefetch: true });
      await until(() => holdRide !== undefined, "j1's result to reach the broker");
      // j2's result reaches the broker while j1's ride is still unanswered.
      await src.complete(job('j2'), ok);
      expect(broker.seen).toEqual([
        { route: 'send_result', id: 'j1', next: true },
        { route: 'send_result', id: 'j2', next: false },
      ]);
      holdRide!();
      expect((await pulled)?.id).toBe('after-j1');
      await reported1;
    } finally {
      await close(broker.server);
    }
  });
});
