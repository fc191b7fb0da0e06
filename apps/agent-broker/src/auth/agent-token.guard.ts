import { BadRequestException, CanActivate, ExecutionContext, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { isNormalWorkerOnlyTag } from '@millrace/tags';
import { AgentIdentity, RequestWithAgent } from './agent-identity';
import { AgentTokenVerifier } from './agent-token.verifier';
import { RevocationList } from './revocation-list.service';

export const WORKER_SUFFIX_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Every agent route: a valid, unrevoked agent token (`Authorization: Bearer jwt_agent_…`)
 * and an `X-Worker-Suffix` naming this agent process within its worker group.
 */
@Injectable()
export class AgentTokenGuard implements CanActivate {
  constructor(
    private readonly verifier: AgentTokenVerifier,
    private readonly revocations: RevocationList,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<RequestWithAgent>();
    req.agent = this.identify(req);
    return true;
  }

  /** The agent a request comes from, or an HttpException (401/400/503) saying why not. */
  identify(req: Pick<RequestWithAgent, 'headers'>): AgentIdentity {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) throw new UnauthorizedException('missing agent token (Authorization: Bearer jwt_agent_<JWT>)');
    const claims = this.verifier.verify(match[1]);
    if (!this.revocations.isFresh()) {
      // Without a current revoked list a revoked token could pass: refuse, agents retry 5xx.
      throw new ServiceUnavailableException('the broker cannot check agent token revocation right now; retry');
    }
    if (this.revocations.isRevoked(claims.jti)) throw new UnauthorizedException('agent token refused: it has been revoked');

    const suffix = req.headers['x-worker-suffix'];
    if (typeof suffix !== 'string' || !WORKER_SUFFIX_PATTERN.test(suffix)) {
      throw new BadRequestException('X-Worker-Suffix header must be 1-64 characters of A-Z a-z 0-9 _ -');
    }
    // Minting refuses flow/dependency tags; dropping them again here means a token minted
    // before that rule (or by mistake) still cannot pull normal-worker-only jobs.
    const tags = [...new Set(claims.tags.filter((t) => !isNormalWorkerOnlyTag(t)))].sort();
    const agent: AgentIdentity = {
      worker: `ag-${claims.worker_group}-${suffix}`,
      workerGroup: claims.worker_group,
      suffix,
      tags,
      tagsKey: tags.join(','),
      jti: claims.jti,
    };
    return agent;
  }
}
