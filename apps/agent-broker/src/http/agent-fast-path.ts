import { BadRequestException, HttpStatus, INestApplication, Logger, UnauthorizedException, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, type Request, type RequestHandler, type Response } from 'express';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { type ClaimedJob, QueueError, type WorkerPing } from '@millrace/queue';
import { createValidationPipe, toErrorResponse } from '@millrace/server-kit';
import type { AgentIdentity } from '../auth/agent-identity';
import { AgentTokenGuard } from '../auth/agent-token.guard';
import { jobGrantFor } from '../auth/job-token.guard';
import { type JobGrant, JobTokenService } from '../auth/job-token.service';
import { AgentJobsService } from '../jobs/agent-jobs.service';
import { SendResultDto } from '../jobs/dto/send-result.dto';
import { SendResultQuery } from '../jobs/dto/send-result.query';
import { queueErrorResponse } from '../jobs/queue-error.filter';
import { UpdatePingDto } from '../pings/dto/update-ping.dto';
import { PingBatcher } from '../pings/ping-batcher.service';
import { PullJobQuery } from '../pull/dto/pull-job.query';
import { PullService } from '../pull/pull.service';

const UPDATE_PING = '/api/agent_workers/update_ping';
const PULL_JOB = '/api/agent_workers/pull_job';
/** `/api/w/{ws}/agent_workers/send_result/{id}`: the segments are checked by jobGrantFor. */
const SEND_RESULT = /^\/api\/w\/([^/]+)\/agent_workers\/send_result\/([^/]+)$/;
/** An update_ping body is a few hundred bytes; body-parser's errors map through toErrorResponse. */
const parsePingBody = json({ limit: '16kb' });
/** The same bound as the app's body parser (main.ts): a result may be large. */
const parseResultBody = json({ limit: '10mb' });

/**
 * The calls every agent makes over and over — `update_ping` and `pull_job` (API.md,
 * docs/api-notes.md), and `send_result` once per job — answered by one handler that sees each
 * request before Express does: Express's router, body parsers and Nest's route pipeline cost
 * about 300 µs of CPU per call on the benchmark machine (3,300 pings/s saturated a core; see
 * docs/benchmarks.md). The checks are the ones the Nest routes make: AgentTokenGuard's
 * identify (token, revocation, suffix), jobGrantFor (the job token, as JobTokenGuard), the
 * app's ValidationPipe on the same DTOs, the same error bodies (QueueErrors as
 * QueueErrorFilter maps them); no access log line (delivered jobs and results are logged
 * instead). Every other request goes on to Express (`next`).
 */
export function agentFastPath(app: INestApplication): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const guard = app.get(AgentTokenGuard);
  const d: FastPathDeps = {
    guard,
    pings: app.get(PingBatcher),
    pull: app.get(PullService),
    tokens: app.get(JobTokenService),
    jobs: app.get(AgentJobsService),
    pipe: createValidationPipe(),
    logger: new Logger('AgentAPI'),
  };

  return (incoming, response, next) => {
    if (incoming.method !== 'POST') return next();
    // Node's request and response: Express has not seen them. `body` is set by body-parser,
    // which works on plain Node requests; the query is parsed here.
    const req = incoming as FastRequest;
    const res = response;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const fail = (e: unknown) => failWith(res, e, d.logger);
    if (path === UPDATE_PING) return void updatePing(req, res, d).catch(fail);
    if (path === PULL_JOB) return void pullJob(req, res, q === -1 ? {} : parseQuery(url.slice(q + 1)), d).catch(fail);
    const result = SEND_RESULT.exec(path);
    if (result) return void sendResult(req, res, result, q === -1 ? undefined : parseQuery(url.slice(q + 1)), d).catch(fail);
    return next();
  };
}

/** A request as the fast path sees it: Node's, plus the body body-parser sets. */
type FastRequest = IncomingMessage & { body?: unknown };

interface FastPathDeps {
  guard: AgentTokenGuard;
  pings: PingBatcher;
  pull: PullService;
  tokens: JobTokenService;
  jobs: AgentJobsService;
  pipe: ValidationPipe;
  logger: Logger;
}

/** Runs a body-parser middleware (its errors map through toErrorResponse). */
function parseBody(parser: RequestHandler, req: FastRequest, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve, reject) => parser(req as Request, res as Response, (err?: unknown) => (err ? reject(err) : resolve())));
}

/**
 * Puts the fast path in front of Express on the HTTP server itself (`runApp`'s /
 * `bootTestApp`'s `beforeBodyParsers` hook): a request it does not answer goes to the
 * server's own request listener (Express), untouched.
 */
export function mountAgentFastPath(app: INestApplication): void {
  const fastPath = agentFastPath(app);
  const server = (app as NestExpressApplication).getHttpServer() as Server;
  const express = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => fastPath(req, res, () => express.forEach((listener) => listener.call(server, req, res))));
}

/** 200, empty body, once the ping is queued for the next batched write. */
async function updatePing(req: FastRequest, res: ServerResponse, d: FastPathDeps): Promise<void> {
  const agent = d.guard.identify(req);
  await parseBody(parsePingBody, req, res);
  const body = (await d.pipe.transform(req.body, { type: 'body', metatype: UpdatePingDto })) as UpdatePingDto;
  d.pings.record(toWorkerPing(agent, body));
  res.statusCode = HttpStatus.OK;
  res.end();
}

/** 200 `{job, job_token}`, or 204 once `wait_s` passes with no job for the token's tags. */
async function pullJob(req: FastRequest, res: ServerResponse, rawQuery: Record<string, unknown>, d: FastPathDeps): Promise<void> {
  const agent = d.guard.identify(req);
  const query = (await d.pipe.transform({ ...rawQuery }, { type: 'query', metatype: PullJobQuery })) as PullJobQuery;
  // The body carries nothing; drain it so the connection stays usable.
  req.resume();
  const outcome = await d.pull.pull(agent, query.wait_s, res, query.prefetch);
  switch (outcome.kind) {
    case 'job':
      // An immediate claim (wait_s=0) for an agent that left meanwhile (a long poll's job goes to
      // the next waiter instead, JobDispatcher).
      if (!res.socket || res.socket.destroyed) return d.pull.giveBack(outcome.job);
      sendJson(res, HttpStatus.OK, d.pull.reply(outcome.job, agent));
      d.logger.log(`job ${outcome.job.id} (tag ${outcome.job.tag}, claim ${outcome.job.claimId}) delivered to ${agent.worker}`);
      return;
    case 'no_job':
      res.statusCode = HttpStatus.NO_CONTENT;
      res.end();
      return;
    case 'revoked':
      throw new UnauthorizedException('agent token refused: it has been revoked');
  }
}

/**
 * 200 `{repeated}`: true when this claim had already completed the job (first outcome kept).
 * With `?next=true`, also `next`: the agent's next job claimed right after (`{job, job_token}`),
 * or null when there is none for it now (it then long-polls as usual).
 */
async function sendResult(req: FastRequest, res: ServerResponse, [, ws, id]: RegExpExecArray, rawQuery: Record<string, unknown> | undefined, d: FastPathDeps): Promise<void> {
  const agent = d.guard.identify(req);
  // Express decodes route parameters; so does this (a bad escape is a 400, as there).
  const grant = jobGrantFor(d.tokens, { headers: req.headers, agent }, decodeParam(id ?? ''), decodeParam(ws ?? ''));
  // Most results come without a query string: nothing to validate then.
  const query = rawQuery ? ((await d.pipe.transform({ ...rawQuery }, { type: 'query', metatype: SendResultQuery })) as SendResultQuery) : new SendResultQuery();
  await parseBody(parseResultBody, req, res);
  const body = (await d.pipe.transform(req.body, { type: 'body', metatype: SendResultDto })) as SendResultDto;
  const logStored = (repeated: boolean) => {
    if (!repeated) d.logger.log(`job ${grant.jobId} (claim ${grant.claimId}) ${body.success ? 'succeeded' : 'failed'} on ${agent.worker}`);
  };
  if (!query.next) {
    const reply = await d.jobs.sendResult(grant, body);
    logStored(reply.repeated);
    return sendJson(res, HttpStatus.OK, reply);
  }
  const { repeated, next } = await storeWithNext(agent, grant, body, d);
  logStored(repeated);
  if (next && (!res.socket || res.socket.destroyed)) {
    // The agent left while its next job was claimed: give the job back now rather than leave
    // it claimed until the monitor requeues it. Its result is stored; a retry of it is
    // answered `repeated` and claims afresh.
    await d.pull.giveBack(next);
    return;
  }
  if (next) d.logger.log(`job ${next.id} (tag ${next.tag}, claim ${next.claimId}) delivered to ${agent.worker} with a result's reply`);
  sendJson(res, HttpStatus.OK, { repeated, next: next ? d.pull.reply(next, agent) : null });
}

/**
 * The result, and the agent's next job claimed as `pull_job?wait_s=0&prefetch=true` would
 * claim it, in one statement (PgJobQueue.completeAndClaim). The next job only saves the agent
 * a pull: if the database fails that statement, the result is stored on its own and the
 * agent gets `next: null` (a refused result — a stale claim — is refused as without `next`).
 */
async function storeWithNext(agent: AgentIdentity, grant: JobGrant, body: SendResultDto, d: FastPathDeps): Promise<{ repeated: boolean; next: ClaimedJob | null }> {
  const claim = d.pull.nextClaimFor(agent);
  if (!claim) return { ...(await d.jobs.sendResult(grant, body)), next: null };
  try {
    return await d.jobs.sendResultAndClaim(grant, body, claim);
  } catch (e) {
    if (e instanceof QueueError) throw e;
    d.logger.warn(`no next job for ${agent.worker} with its result's reply (${e instanceof Error ? e.message : String(e)}); storing the result alone`);
    return { ...(await d.jobs.sendResult(grant, body)), next: null };
  }
}

/**
 * The reply as JSON, written directly: Express's `res.json` would also hash the body for an
 * ETag and check the request's freshness on every call, for an API that never answers 304.
 */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function decodeParam(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestException(`${JSON.stringify(segment)} is not a valid URL path segment`);
  }
}

function toWorkerPing(agent: AgentIdentity, body: UpdatePingDto): WorkerPing {
  return {
    worker: agent.worker,
    workerInstance: body.worker_instance,
    workerGroup: agent.workerGroup,
    kind: 'agent',
    tags: agent.tags,
    currentJobId: body.current_job_id ?? null,
    jobsExecuted: body.jobs_executed,
    memoryBytes: body.memory_bytes,
    version: body.version,
    ip: body.ip,
    occupancy: body.occupancy ?? null,
  };
}

function failWith(res: ServerResponse, e: unknown, logger: Logger): void {
  if (e instanceof QueueError) {
    const { status, body } = queueErrorResponse(e);
    if (!res.headersSent && !res.destroyed) sendJson(res, status, body);
    return;
  }
  const { status, body, unexpected } = toErrorResponse(e);
  if (unexpected) logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  if (res.headersSent || res.destroyed) return;
  sendJson(res, status, body);
}
