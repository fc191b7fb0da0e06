import { JwtService } from '@nestjs/jwt';
import { SERVICE_AUDIENCE, ScriptSchema, validateArgs } from '@millrace/contracts';
import { resolveTag, TagResolutionError } from '@millrace/tags';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeJob {
  id: string;
  workspace_id: string;
  type: 'QueuedJob' | 'CompletedJob';
  job_kind: string;
  path: string | null;
  language: string | null;
  content: string | null;
  tag: string;
  args: Record<string, unknown>;
  priority: number;
  running: boolean;
  success: boolean | null;
  canceled: boolean;
  canceled_by: string | null;
  canceled_reason: string | null;
  result: unknown;
  error: { message: string } | null;
  created_by: string;
  logs: string;
  /** Kept for assertions: the push exactly as received. */
  push: Record<string, unknown>;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  claims: Record<string, unknown>;
}

/** A JobView as job-queue shows it: no push snapshot, no code, logs only on single reads. */
function viewOf(job: FakeJob, withLogs: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = { ...job };
  delete view['push'];
  delete view['content'];
  if (!withLogs) delete view['logs'];
  return view;
}

type Outcome = { success: true; result: unknown } | { success: false; error: string } | { canceled: string };

/**
 * A stand-in for job-queue on a real socket, implementing the routes of
 * docs/job-queue-api.md that the gateway calls. It verifies every service token with the
 * gateway's public key exactly as job-queue must (ES256 only, audience, workspace scope).
 */
export class FakeJobQueue {
  readonly jobs = new Map<string, FakeJob>();
  readonly calls: RecordedCall[] = [];
  /** Called after each push; a test can complete the job at once (a fast worker). */
  onPush: ((job: FakeJob) => Outcome | undefined) | undefined;
  /** The next answer to any request, instead of the normal one (e.g. a 500). */
  nextFailure: { status: number; body: string } | undefined;
  private readonly jwt = new JwtService();
  private server: Server | undefined;

  constructor(private readonly publicKeyPem: () => string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }

  complete(id: string, outcome: Outcome): void {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no fake job ${id}`);
    job.type = 'CompletedJob';
    job.running = false;
    if ('canceled' in outcome) {
      Object.assign(job, { success: false, canceled: true, canceled_reason: outcome.canceled, error: { message: `canceled: ${outcome.canceled}` } });
    } else if (outcome.success) {
      Object.assign(job, { success: true, result: outcome.result });
    } else {
      Object.assign(job, { success: false, error: { message: outcome.error } });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (d: Buffer) => (data += d.toString()));
      req.on('end', () => resolve(data));
    });
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const send = (status: number, payload: unknown, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(type === 'application/json' ? JSON.stringify(payload) : String(payload));
    };
    const error = (status: number, code: string, message: string) => send(status, { error: { code, message } });

    let claims: Record<string, unknown>;
    try {
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      claims = this.jwt.verify<Record<string, unknown>>(token, { publicKey: this.publicKeyPem(), algorithms: ['ES256'], audience: SERVICE_AUDIENCE });
    } catch (e) {
      return error(401, 'unauthorized', `service token refused: ${(e as Error).message}`);
    }
    const m = /^\/internal\/v1\/w\/([a-z0-9][a-z0-9-]{1,49})\/jobs(?:\/([^/]+))?(?:\/(result|logs|cancel|wait))?$/.exec(url.pathname);
    this.calls.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body, claims });
    if (this.nextFailure) {
      const f = this.nextFailure;
      this.nextFailure = undefined;
      res.writeHead(f.status, { 'Content-Type': 'application/json' });
      return void res.end(f.body);
    }
    if (!m) return error(404, 'not_found', `no route ${req.method} ${url.pathname}`);
    const [, ws, id, action] = m;
    if (claims['ws'] !== ws) return error(401, 'unauthorized', 'service token is for another workspace');
    if (req.method === 'POST' && !id) return this.push(ws ?? '', claims, body as Record<string, unknown>, send, error);
    if (req.method === 'GET' && !id) return send(200, [...this.jobs.values()].filter((j) => j.workspace_id === ws).reverse().map((j) => viewOf(j, false)));
    const job = id ? this.jobs.get(id) : undefined;
    if (!job || job.workspace_id !== ws) return error(404, 'not_found', `job ${id} not found`);
    const view = () => viewOf(job, true);
    switch (`${req.method} ${action ?? ''}`) {
      case 'GET ':
        return send(200, view());
      case 'GET result':
        return job.type === 'CompletedJob' ? send(200, job.result) : error(409, 'not_completed', `job ${id} is not completed yet`);
      case 'GET logs':
        return send(200, job.logs, 'text/plain; charset=utf-8');
      case 'POST cancel':
        if (job.type === 'CompletedJob') return error(409, 'conflict', `job ${id} is already completed`);
        this.complete(job.id, { canceled: (body as { reason?: string } | undefined)?.reason ?? 'canceled' });
        job.canceled_by = String(claims['sub']);
        return send(200, { status: 'canceled' });
      case 'POST wait':
        return job.type === 'CompletedJob' ? send(200, view()) : error(408, 'timeout', `job ${id} did not complete within ${url.searchParams.get('timeout_s')} s`);
      default:
        return error(404, 'not_found', 'no such route');
    }
  }

  private push(ws: string, claims: Record<string, unknown>, p: Record<string, unknown>, send: (s: number, b: unknown) => void, error: (s: number, c: string, m: string) => void): void {
    const args = (p['args'] ?? {}) as Record<string, unknown>;
    const schema = p['schema'] as ScriptSchema | undefined;
    const problems = schema ? validateArgs(schema, args) : [];
    if (problems.length > 0) return error(400, 'bad_request', problems.join('; '));
    let tag: string;
    try {
      tag = resolveTag({ workspace: ws, kind: p['kind'] as 'script', language: p['language'] as 'bash', explicit: p['tag'] as string, scriptTag: p['script_tag'] as string, args });
    } catch (e) {
      if (e instanceof TagResolutionError) return error(400, 'bad_request', e.message);
      throw e;
    }
    const job: FakeJob = {
      id: randomUUID(), workspace_id: ws, type: 'QueuedJob', job_kind: String(p['kind']), path: (p['path'] as string) ?? null, language: (p['language'] as string) ?? null,
      content: (p['content'] as string) ?? null, tag, args, priority: Number(p['priority'] ?? 0), running: false, success: null, canceled: false, canceled_by: null,
      canceled_reason: null, result: null, error: null, created_by: String(claims['sub']), logs: '', push: p,
    };
    this.jobs.set(job.id, job);
    const outcome = this.onPush?.(job);
    if (outcome) this.complete(job.id, outcome);
    send(201, { id: job.id, tag });
  }
}
