import { ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsInt, IsString, IsUUID, Matches, Min } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

export const AGENT_AUDIENCE = 'agent';
/** Agent tokens travel as `jwt_agent_<JWT>`. */
export const AGENT_TOKEN_PREFIX = 'jwt_agent_';
export const WORKER_GROUP_PATTERN = /^[a-z0-9][a-z0-9_-]{0,49}$/;

/** Claims of an agent token: they fix the agent's worker group and the tags it may pull. */
export class AgentTokenClaims {
  @Matches(WORKER_GROUP_PATTERN, { message: 'worker_group must be 1-50 characters of a-z 0-9 _ - starting with a letter or digit' })
  worker_group!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9_.:-]{1,100}$/, { each: true, message: 'each tag must be 1-100 characters of A-Z a-z 0-9 _ . : -' })
  tags!: string[];

  @IsUUID()
  jti!: string;

  @IsInt()
  @Min(0)
  iat!: number;

  @IsInt()
  @Min(0)
  exp!: number;

  @Equals(AGENT_AUDIENCE)
  aud!: string;
}

/** Validates decoded claims; returns the typed claims or the list of problems. */
export function parseAgentClaims(payload: unknown): { claims: AgentTokenClaims } | { problems: string[] } {
  const claims = plainToInstance(AgentTokenClaims, payload ?? {});
  const errors = validateSync(claims, { forbidUnknownValues: true });
  if (errors.length > 0) {
    return { problems: errors.flatMap((e) => Object.values(e.constraints ?? { [e.property]: `${e.property} is invalid` })) };
  }
  return { claims };
}
