import { CanActivate, ExecutionContext, ForbiddenException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MIN_WORKSPACE_ROLE, PUBLIC_ROUTE, SUPERADMIN_ONLY } from './access.decorators';
import { AuthService } from './auth.service';
import { MembershipRepository } from './membership.repository';
import type { AuthedRequest } from './principal';
import { roleRank, WorkspaceRole } from './roles';

const WORKSPACE_ID = /^[a-z0-9][a-z0-9-]{1,49}$/;

/**
 * Deny by default: every `/api/` route needs a valid bearer token unless marked @Public;
 * @SuperadminOnly and @RequireRole narrow it further. Health and metrics (outside `/api/`)
 * stay open for probes and scrapers, which carry no credentials.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly members: MembershipRepository,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    if (!req.path.startsWith('/api/')) return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) throw new UnauthorizedException('missing credentials: send Authorization: Bearer <token>');
    const principal = await this.auth.authenticate(match[1]);
    if (!principal) throw new UnauthorizedException('the token is invalid, expired or revoked');
    req.principal = principal;

    if (this.reflector.getAllAndOverride<boolean>(SUPERADMIN_ONLY, targets) && !principal.superAdmin) {
      throw new ForbiddenException('only a superadmin may do this');
    }

    const minRole = this.reflector.getAllAndOverride<WorkspaceRole | undefined>(MIN_WORKSPACE_ROLE, targets);
    if (minRole) {
      const ws = String(req.params['ws'] ?? '');
      const notFound = new NotFoundException(`workspace ${JSON.stringify(ws)} not found`);
      if (!WORKSPACE_ID.test(ws)) throw notFound;
      const m = await this.members.lookup(ws, principal.userId);
      if (!m.exists) throw notFound;
      if (principal.superAdmin) {
        req.workspace = { id: ws, role: m.role };
        return true;
      }
      if (m.role === null) throw notFound;
      if (roleRank(m.role) < roleRank(minRole)) {
        throw new ForbiddenException(`role ${m.role} in workspace ${ws} may not do this (needs ${minRole} or above)`);
      }
      req.workspace = { id: ws, role: m.role };
    }
    return true;
  }
}
