import { DatabaseConfig, IsPort, ToInt } from '@millrace/server-kit';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** normal-worker settings; it serves only health and metrics over HTTP. */
export class NormalWorkerConfig extends DatabaseConfig {
  /** Workers let running jobs finish on SIGTERM: a longer default grace than the services'. */
  override SHUTDOWN_GRACE_S = 120;

  @IsPort()
  HEALTH_PORT = 8003;

  /** The worker group whose config (tags, init_bash, env) this worker follows. */
  @Matches(/^[a-z0-9][a-z0-9_-]{0,49}$/, { message: 'WORKER_GROUP must be 1-50 characters of a-z 0-9 _ - (starting with a letter or digit)' })
  WORKER_GROUP = 'default';

  /** The worker is named `wk-<group>-<suffix>`; default: the hostname plus a random part. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'WORKER_SUFFIX must be 1-64 characters of A-Z a-z 0-9 _ -' })
  WORKER_SUFFIX?: string;

  /** Jobs run at once. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_CONCURRENCY = 1;

  /** Handed to jobs as BASE_INTERNAL_URL (how job code reaches the API). */
  @Matches(/^https?:\/\/\S*[^/\s]$/, { message: 'BASE_INTERNAL_URL must be an http(s) URL without a trailing slash' })
  BASE_INTERNAL_URL = 'http://localhost:8000';

  /** PATH for jobs (and to find bash/python3); the rest of this environment never reaches them. */
  @IsString()
  @MaxLength(10_000)
  PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

  /** Where job directories are made; default the OS temporary directory. */
  @IsOptional()
  @IsString()
  JOB_TEMP_DIR?: string;

  /** Without a notification, look for work this often anyway (missed NOTIFY, reconnects). */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(60_000)
  POLL_INTERVAL_MS = 1_000;

  /** Job heartbeat period: a cancel takes effect within about this long. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(10_000)
  HEARTBEAT_INTERVAL_MS = 2_000;

  @ToInt()
  @IsInt()
  @Min(100)
  @Max(60_000)
  PING_INTERVAL_MS = 5_000;

  /** How often the group's config is re-read, so changes apply without a restart. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(300_000)
  GROUP_CONFIG_REFRESH_MS = 5_000;

  /** After SIGTERM to a cancelled or timed-out job, SIGKILL follows after this long. */
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(60_000)
  JOB_KILL_GRACE_MS = 5_000;

  /**
   * 1: jobs are started by the job launcher, a small helper process (libs/executor), so the
   * worker itself never forks. 0: the worker forks each job itself.
   */
  @ToInt()
  @IsIn([0, 1], { message: 'JOB_LAUNCHER must be 0 or 1' })
  JOB_LAUNCHER = 1;
}
