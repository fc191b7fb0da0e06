import { Equals, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

/**
 * Service tokens: short-lived JWTs (ES256, signed by api-gateway with the same key pair as
 * agent tokens) that the gateway sends to internal services (`Authorization: Bearer <jwt>`).
 * The audience keeps them apart from agent tokens: a service never accepts an agent token
 * and the broker never accepts a service token.
 */
export const SERVICE_AUDIENCE = 'millrace-internal';
/** Lifetime of a service token; the gateway mints a fresh one per call or per minute. */
export const SERVICE_TOKEN_TTL_S = 60;

export class ServiceTokenClaims {
  /** Who acts: a user's email, or `service:<name>` for the platform itself. */
  @IsString()
  @MaxLength(320)
  sub!: string;

  @Equals(SERVICE_AUDIENCE)
  aud!: string;

  /** The workspace the call is scoped to, when it is. */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{1,49}$/)
  ws?: string;

  @IsOptional()
  @IsBoolean()
  super_admin?: boolean;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  scopes?: string[];

  @IsInt()
  @Min(0)
  iat!: number;

  @IsInt()
  @Min(0)
  exp!: number;
}
