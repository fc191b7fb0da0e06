import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { SERVICE_AUDIENCE, ServiceTokenClaims } from '@millrace/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { JobQueueConfig } from '../config/job-queue.config';
import { actorFromClaims, RequestWithActor } from './service-actor';

/** Longest lifetime accepted for a service token, whatever its `exp` says. */
const MAX_LIFETIME_S = 300;

/**
 * Accepts only ES256 service tokens signed by api-gateway's key (verified with the public
 * key; `none`, HS256 and other keys are refused by pinning the algorithm), audience
 * `millrace-internal`, short-lived, and — when the token names a workspace — only for that
 * workspace's routes.
 */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: JobQueueConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<RequestWithActor>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedException('missing service token (Authorization: Bearer <token>)');
    let payload: object;
    try {
      payload = await this.jwt.verifyAsync<object>(match[1], {
        publicKey: this.config.JWT_PUBLIC_KEY,
        algorithms: ['ES256'],
        audience: SERVICE_AUDIENCE,
      });
    } catch (e) {
      throw new UnauthorizedException(`service token refused: ${e instanceof Error ? e.message : 'invalid'}`);
    }
    const claims = plainToInstance(ServiceTokenClaims, payload);
    const errors = validateSync(claims);
    if (errors.length > 0) {
      throw new UnauthorizedException(`service token refused: bad claims (${errors.map((e) => e.property).join(', ')})`);
    }
    if (claims.exp - claims.iat > MAX_LIFETIME_S) {
      throw new UnauthorizedException(`service token refused: lifetime over ${MAX_LIFETIME_S}s`);
    }
    const ws = req.params?.['ws'];
    if (claims.ws !== undefined && ws !== undefined && claims.ws !== ws) {
      throw new UnauthorizedException(`service token refused: it is for workspace ${claims.ws}`);
    }
    req.actor = actorFromClaims(claims);
    return true;
  }
}
