import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The agent behind a request, as AgentTokenGuard verified it. */
export interface AgentIdentity {
  /** `ag-<worker_group>-<suffix>`: the name its claims, pings and job tokens carry. */
  worker: string;
  workerGroup: string;
  suffix: string;
  /** The token's tags an agent may serve (flow/dependency tags are dropped). */
  tags: readonly string[];
  /** Sorted, comma-joined `tags`: agents with the same key wait in the same claim group. */
  tagsKey: string;
  jti: string;
}

export type RequestWithAgent = Request & { agent?: AgentIdentity };

/** Injects the verified agent (the guard guarantees it is there). */
export const Agent = createParamDecorator((_data: unknown, ctx: ExecutionContext): AgentIdentity => {
  const agent = ctx.switchToHttp().getRequest<RequestWithAgent>().agent;
  if (!agent) throw new Error('Agent used on a route without AgentTokenGuard');
  return agent;
});
