import { DatabaseConfig, IsPort, Secret, ToInt } from '@millrace/server-kit';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';

/** agent-broker settings: the agent API over a small, fixed database pool. */
export class AgentBrokerConfig extends DatabaseConfig {
  @IsPort()
  PORT = 8002;

  /**
   * Pool size; with its LISTEN connection and the revocation-list connection the broker holds
   * 10 in all, whatever the number of agents.
   */
  override DB_POOL_MAX = 8;

  /**
   * PEM public key of api-gateway's ES256 key pair; verifies agent tokens. The broker never
   * holds the private key, so a compromised broker cannot mint agent tokens.
   */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\\n/g, '\n') : value))
  @Matches(/-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/, { message: 'JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----…)' })
  JWT_PUBLIC_KEY!: string;

  /**
   * HS256 secret of the job tokens the broker hands out with each pulled job. Only brokers
   * sign and verify them, so a shared secret is enough; every broker replica gets the same
   * one so any of them can serve any agent.
   */
  @Secret()
  @IsString()
  @MinLength(32, { message: 'JOB_TOKEN_SECRET must be at least 32 characters' })
  JOB_TOKEN_SECRET!: string;

  /** Lifetime of a job token for a job without timeout_s; a job token also gets JOB_TOKEN_MARGIN_S. */
  @ToInt()
  @IsInt()
  @Min(60)
  @Max(30 * 86_400)
  JOB_TOKEN_DEFAULT_TTL_S = 86_400;

  /** Added to a job's timeout: time to ship logs and the result after the script stops. */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(86_400)
  JOB_TOKEN_MARGIN_S = 3_600;

  /** How often the revoked agent-token list is re-read; ≤ 2 s keeps revocation under 5 s. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(2_000)
  REVOCATION_REFRESH_MS = 1_000;

  /**
   * Agent requests get 503 while the revoked list is older than this (the database is not
   * answering): serving them could let a revoked token through.
   */
  @ToInt()
  @IsInt()
  @Min(2)
  @Max(60)
  REVOCATION_MAX_STALE_S = 5;

  /** Verified agent tokens kept in memory (LRU), so a hot token is not re-verified each call. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AGENT_TOKEN_CACHE_SIZE = 20_000;

  /** Fallback claim round for every waiting tag set, in case a NOTIFY was missed. */
  @ToInt()
  @IsInt()
  @Min(50)
  @Max(60_000)
  DISPATCH_POLL_MS = 1_000;

  /** Pings are written at least this often (in one statement per PING_BATCH_MAX pings). */
  @ToInt()
  @IsInt()
  @Min(50)
  @Max(60_000)
  PING_FLUSH_MS = 1_000;

  /** A batch this large is written at once, without waiting for PING_FLUSH_MS. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10_000)
  PING_BATCH_MAX = 1_000;

  /** Largest `logs` chunk accepted by push_logs, in UTF-8 bytes (bodies overall: 10 MB). */
  @ToInt()
  @IsInt()
  @Min(1_024)
  @Max(10_000_000)
  LOG_CHUNK_MAX_BYTES = 1_048_576;
}
