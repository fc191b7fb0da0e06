import { AGENT_TOKEN_PREFIX } from '@millrace/contracts';
import { BaseConfig, IsPort, Secret, ToInt } from '@millrace/server-kit';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** agent-worker settings (API.md "Agent worker environment"); HTTP only, no database. */
export class AgentWorkerConfig extends BaseConfig {
  /** The token minted by a superadmin: `jwt_agent_<JWT>`. */
  @Secret()
  @Matches(new RegExp(`^${AGENT_TOKEN_PREFIX}[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`), {
    message: `AGENT_TOKEN must be a token minted by create_agent_token (${AGENT_TOKEN_PREFIX}<JWT>)`,
  })
  AGENT_TOKEN!: string;

  @Matches(/^https?:\/\/\S*[^/\s]$/, { message: 'BASE_INTERNAL_URL must be an http(s) URL without a trailing slash' })
  BASE_INTERNAL_URL!: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'WORKER_SUFFIX must be 1-64 characters of A-Z a-z 0-9 _ -' })
  WORKER_SUFFIX?: string;

  /** May hold credentials (it sets the host up): never echoed in errors. */
  @Secret()
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  INIT_SCRIPT?: string;

  /** Accepted for familiarity with Windmill; this app is always an agent. */
  @IsOptional()
  @IsIn(['agent'])
  MODE?: string;

  /** Workers let running jobs finish on SIGTERM: a longer default grace than the services'. */
  override SHUTDOWN_GRACE_S = 120;

  @IsPort()
  HEALTH_PORT = 8004;

  /** Jobs run at once. */
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_CONCURRENCY = 1;

  /** How long one pull_job long-polls the broker (API.md: at most 55). */
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(55)
  PULL_WAIT_S = 25;

  /**
   * 1: while every slot is busy, keep one `pull_job?prefetch=true` open so the next job is
   * already here when a slot frees (the broker gives such a poll only work no idle agent
   * waits for; a job no slot frees for within a second goes back with `release_job`).
   * 0: pull only when a slot is free.
   */
  @ToInt()
  @IsIn([0, 1], { message: 'PREFETCH must be 0 or 1' })
  PREFETCH = 1;

  /** PATH for jobs and for finding bash, python3 and node. */
  @IsString()
  PATH = '/usr/local/bin:/usr/bin:/bin';

  /**
   * 1: jobs are started by the job launcher, a small helper process (libs/executor), so the
   * worker itself never forks. 0: the worker forks each job itself.
   */
  @ToInt()
  @IsIn([0, 1], { message: 'JOB_LAUNCHER must be 0 or 1' })
  JOB_LAUNCHER = 1;
}
