import { DatabaseConfig, IsPort, ToBool, ToInt } from '@millrace/server-kit';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Matches, Max, Min } from 'class-validator';

/** job-queue settings: the job lifecycle service and its monitor. */
export class JobQueueConfig extends DatabaseConfig {
  @IsPort()
  PORT = 8001;

  /** PEM public key of api-gateway's ES256 key pair; verifies service tokens (cannot mint). */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\\n/g, '\n') : value))
  @Matches(/-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/, { message: 'JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----…)' })
  JWT_PUBLIC_KEY!: string;

  /** A running job with no heartbeat for this long is a zombie: requeued, or failed past RESTART_LIMIT. */
  @ToInt()
  @IsInt()
  @Min(5)
  @Max(86_400)
  ZOMBIE_JOB_TIMEOUT_S = 30;

  @ToInt()
  @IsInt()
  @Min(0)
  @Max(100)
  RESTART_LIMIT = 3;

  /** Completed jobs (and their logs) older than this are deleted. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(36_500)
  RETENTION_DAYS = 30;

  @ToInt()
  @IsInt()
  @Min(1)
  @Max(3600)
  MONITOR_INTERVAL_S = 5;

  /** Default tags become `<tag>-<workspace>` (per-workspace worker pools). */
  @ToBool()
  @IsBoolean()
  WORKSPACE_SPECIFIC_DEFAULT_TAGS = false;
}
