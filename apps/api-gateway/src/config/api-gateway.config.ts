import { DatabaseConfig, IsPort, Secret, ToInt } from '@millrace/server-kit';
import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export const DEFAULT_SUPERADMIN_EMAIL = 'admin@millrace.local';
export const DEFAULT_SUPERADMIN_PASSWORD = 'changeme';

/** api-gateway settings: the public REST API. */
export class GatewayConfig extends DatabaseConfig {
  @IsPort()
  PORT = 8000;

  /** The superadmin created on first start with an empty database. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({ require_tld: false }, { message: 'SUPERADMIN_EMAIL must be an email address' })
  SUPERADMIN_EMAIL = DEFAULT_SUPERADMIN_EMAIL;

  @Secret()
  @IsString()
  @MinLength(8, { message: 'SUPERADMIN_PASSWORD must be at least 8 characters' })
  @MaxLength(1024)
  SUPERADMIN_PASSWORD = DEFAULT_SUPERADMIN_PASSWORD;

  /** Lifetime of a login session token. */
  @ToInt()
  @IsInt()
  @Min(60)
  @Max(365 * 86_400)
  SESSION_TTL_S = 7 * 86_400;

  /** Login attempts allowed per client IP and email within LOGIN_RATE_WINDOW_S; more get 429. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10_000)
  LOGIN_RATE_LIMIT = 10;

  @ToInt()
  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_RATE_WINDOW_S = 60;

  /**
   * PEM private key (EC P-256) that signs service and agent tokens. When unset, a key pair is
   * generated once under MILLRACE_DATA_DIR/keys and reused.
   */
  @Secret()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\\n/g, '\n') : value))
  @Matches(/-----BEGIN (EC |)PRIVATE KEY-----[\s\S]+-----END (EC |)PRIVATE KEY-----/, { message: 'JWT_PRIVATE_KEY must be a PEM private key (-----BEGIN PRIVATE KEY-----…)' })
  JWT_PRIVATE_KEY?: string;

  /** Where generated state (the JWT key pair) lives. */
  @IsString()
  @MinLength(1)
  MILLRACE_DATA_DIR = '.data';

  /** Base URL of the job-queue service, no trailing slash. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\/+$/, '') : value))
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'JOB_QUEUE_URL must be an http(s) URL' })
  JOB_QUEUE_URL = 'http://localhost:8001';

  /** Base URL of the agent-broker; the Agent API routes are forwarded there. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\/+$/, '') : value))
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'AGENT_BROKER_URL must be an http(s) URL' })
  AGENT_BROKER_URL = 'http://localhost:8002';

  /** Per-call limit for job-queue requests (waits add their own timeout on top). */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(300_000)
  JOB_QUEUE_TIMEOUT_MS = 10_000;

  /** Interpreter used to read Python scripts' signatures (parse only, never run). */
  @IsString()
  @MinLength(1)
  PYTHON_BIN = 'python3';

  /** Time limit for reading one script's signature. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(60_000)
  SCRIPT_ANALYSIS_TIMEOUT_MS = 5000;
}
