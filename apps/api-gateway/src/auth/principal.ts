import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { WorkspaceRole } from './roles';

/** The authenticated caller. */
export interface Principal {
  userId: string;
  email: string;
  superAdmin: boolean;
  /** Hash of the token used for this request (logout revokes exactly it). */
  tokenHash: string;
}

/** The workspace a `/api/w/{ws}/…` request acts in, after the role check. */
export interface WorkspaceAccess {
  id: string;
  /** null for a superadmin who is not a member. */
  role: WorkspaceRole | null;
}

export type AuthedRequest = Request & { principal?: Principal; workspace?: WorkspaceAccess };

/** The caller of a non-public route (AccessGuard guarantees one). */
export const CurrentUser = createParamDecorator((_d: unknown, ctx: ExecutionContext): Principal => {
  const p = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!p) throw new Error('CurrentUser used on a public route');
  return p;
});

/** The workspace of a `@WorkspaceRole` route (AccessGuard guarantees one). */
export const CurrentWorkspace = createParamDecorator((_d: unknown, ctx: ExecutionContext): WorkspaceAccess => {
  const w = ctx.switchToHttp().getRequest<AuthedRequest>().workspace;
  if (!w) throw new Error('CurrentWorkspace used on a route without @RequireRole');
  return w;
});
