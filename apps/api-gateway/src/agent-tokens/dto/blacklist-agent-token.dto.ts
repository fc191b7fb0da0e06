import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** Exactly one of `token` and `jti`. */
export class BlacklistAgentTokenDto {
  @ApiPropertyOptional({ description: 'the token text (jwt_agent_…)' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  token?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'jti must be a token id (UUID) as list_tokens shows it' })
  jti?: string;
}
