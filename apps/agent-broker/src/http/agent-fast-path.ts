import { HttpStatus, INestApplication, Logger, UnauthorizedException, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { WorkerPing } from '@millrace/queue';
import { createValidationPipe, toErrorResponse } from '@millrace/server-kit';
import type { AgentIdentity } from '../auth/agent-identity';
import { AgentTokenGuard } from '../auth/agent-token.guard';
import { UpdatePingDto } from '../pings/dto/update-ping.dto';
import { PingBatcher } from '../pings/ping-batcher.service';
import { PullJobQuery } from '../pull/dto/pull-job.query';
import { PullService } from '../pull/pull.service';

const UPDATE_PING = '/api/agent_workers/update_ping';
const PULL_JOB = '/api/agent_workers/pull_job';
/** An update_ping body is a few hundred bytes; body-parser's errors map through toErrorResponse. */
const parsePingBody = json({ limit: '16kb' });

/**
 * The two calls every agent makes over and over — `update_ping` and `pull_job` (API.md,
 * docs/api-notes.md) — answered by one middleware mounted before Express's router, the body
 * parsers and Nest's route pipeline, which cost about 300 µs of CPU per call on the benchmark
 * machine (3,300 pings/s saturated a core; see docs/benchmarks.md). The checks are the ones
 * every other broker route gets: AgentTokenGuard's identify (token, revocation, suffix), the
 * app's ValidationPipe on the same DTOs, the same error body; no access log line (these two
 * are thousands a second; delivered jobs are logged). Every other request goes on to Nest.
 */
export function agentFastPath(app: INestApplication): RequestHandler {
  const guard = app.get(AgentTokenGuard);
  const pings = app.get(PingBatcher);
  const pull = app.get(PullService);
  const pipe = createValidationPipe();
  const logger = new Logger('AgentAPI');

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    const q = req.url.indexOf('?');
    const path = q === -1 ? req.url : req.url.slice(0, q);
    if (path === UPDATE_PING) return void updatePing(req, res, guard, pings, pipe).catch((e: unknown) => fail(res, e, logger));
    if (path === PULL_JOB) return void pullJob(req, res, guard, pull, pipe, logger).catch((e: unknown) => fail(res, e, logger));
    return next();
  };
}

/** Mounts the fast path first (`runApp`'s / `bootTestApp`'s `beforeBodyParsers` hook). */
export function mountAgentFastPath(app: INestApplication): void {
  (app as NestExpressApplication).use(agentFastPath(app));
}

/** 200, empty body, once the ping is queued for the next batched write. */
async function updatePing(req: Request, res: Response, guard: AgentTokenGuard, pings: PingBatcher, pipe: ValidationPipe): Promise<void> {
  const agent = guard.identify(req);
  await new Promise<void>((resolve, reject) => parsePingBody(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
  const body = (await pipe.transform(req.body, { type: 'body', metatype: UpdatePingDto })) as UpdatePingDto;
  pings.record(toWorkerPing(agent, body));
  res.statusCode = HttpStatus.OK;
  res.end();
}

/** 200 `{job, job_token}`, or 204 once `wait_s` passes with no job for the token's tags. */
async function pullJob(req: Request, res: Response, guard: AgentTokenGuard, pull: PullService, pipe: ValidationPipe, logger: Logger): Promise<void> {
  const agent = guard.identify(req);
  const query = (await pipe.transform({ ...(req.query as object) }, { type: 'query', metatype: PullJobQuery })) as PullJobQuery;
  // The body carries nothing; drain it so the connection stays usable.
  req.resume();
  const outcome = await pull.pull(agent, query.wait_s, res, query.prefetch);
  switch (outcome.kind) {
    case 'job':
      res.status(HttpStatus.OK).json(pull.reply(outcome.job, agent));
      logger.log(`job ${outcome.job.id} (tag ${outcome.job.tag}, claim ${outcome.job.claimId}) delivered to ${agent.worker}`);
      return;
    case 'no_job':
      res.status(HttpStatus.NO_CONTENT).end();
      return;
    case 'revoked':
      throw new UnauthorizedException('agent token refused: it has been revoked');
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

function fail(res: Response, e: unknown, logger: Logger): void {
  const { status, body, unexpected } = toErrorResponse(e);
  if (unexpected) logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  if (res.headersSent || res.destroyed) return;
  res.status(status).json(body);
}
