import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { ServiceTokenClaims } from '@millrace/contracts';
import type { Request } from 'express';

/** The verified caller of an internal route, set by ServiceTokenGuard. */
export interface ServiceActor {
  sub: string;
  ws?: string;
  superAdmin: boolean;
}

export type RequestWithActor = Request & { actor?: ServiceActor };

export function actorFromClaims(c: ServiceTokenClaims): ServiceActor {
  return { sub: c.sub, ws: c.ws, superAdmin: c.super_admin === true };
}

/** Injects the ServiceActor of the request (the guard guarantees it is there). */
export const Actor = createParamDecorator((_data: unknown, ctx: ExecutionContext): ServiceActor => {
  const actor = ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('Actor used on a route without ServiceTokenGuard');
  return actor;
});
