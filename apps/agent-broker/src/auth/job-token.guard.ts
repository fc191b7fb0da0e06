import { BadRequestException, CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { RequestWithAgent } from './agent-identity';
import { JobGrant, JobTokenService } from './job-token.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORKSPACE = /^[a-z0-9][a-z0-9-]{1,49}$/;

/** A route parameter; Express 5 types wildcard params as arrays, which these routes never have. */
function param(req: RequestWithGrant, name: string): string | undefined {
  const v: unknown = req.params[name];
  return typeof v === 'string' ? v : undefined;
}

export type RequestWithGrant = RequestWithAgent & { grant?: JobGrant };

/**
 * The grant of a job route: `X-Job-Token` must be a broker-signed, unexpired job token for
 * route job `id`, issued to this very agent worker, and — when the route names a workspace
 * `ws` — for a job of that workspace. Whether the claim is still current is the queue's call
 * (409). Throws the HTTP error to answer. Used by JobTokenGuard and the agent fast path.
 */
export function jobGrantFor(tokens: JobTokenService, req: Pick<RequestWithAgent, 'headers' | 'agent'>, id: string, ws: string | undefined): JobGrant {
  if (!UUID.test(id)) throw new BadRequestException(`id: ${JSON.stringify(id)} is not a job id (UUID)`);
  if (ws !== undefined && !WORKSPACE.test(ws)) throw new BadRequestException(`ws: ${JSON.stringify(ws)} is not a workspace id`);
  const raw = req.headers['x-job-token'];
  if (typeof raw !== 'string' || raw === '') throw new UnauthorizedException('missing X-Job-Token (returned by pull_job with the job)');
  const grant = tokens.verify(raw);
  if (grant.jobId !== id.toLowerCase()) throw new ForbiddenException(`the job token is not for job ${id}`);
  if (!req.agent || grant.worker !== req.agent.worker) throw new ForbiddenException('the job token was issued to another worker');
  if (ws !== undefined && grant.workspaceId !== ws) throw new NotFoundException(`no job ${id} in workspace ${ws}`);
  return grant;
}

/** Job routes (after AgentTokenGuard): see jobGrantFor. */
@Injectable()
export class JobTokenGuard implements CanActivate {
  constructor(private readonly tokens: JobTokenService) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<RequestWithGrant>();
    req.grant = jobGrantFor(this.tokens, req, param(req, 'id') ?? '', param(req, 'ws'));
    return true;
  }
}

/** Injects the verified job grant (JobTokenGuard guarantees it is there). */
export const Grant = createParamDecorator((_data: unknown, ctx: ExecutionContext): JobGrant => {
  const grant = ctx.switchToHttp().getRequest<RequestWithGrant>().grant;
  if (!grant) throw new Error('Grant used on a route without JobTokenGuard');
  return grant;
});
