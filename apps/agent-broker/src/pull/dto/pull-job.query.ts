import { Transform } from 'class-transformer';
import { ToBool } from '@millrace/server-kit';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_WAIT_S = 55;

/** `POST /api/agent_workers/pull_job?wait_s=N&prefetch=B`: wait_s 0 answers at once, default 25, at most 55. */
export class PullJobQuery {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'wait_s must be a whole number of seconds' })
  @Min(0)
  @Max(MAX_WAIT_S)
  wait_s = 25;

  /**
   * `true`: this agent is busy and asks for its next job ahead of time. It is given only a job
   * no idle agent with the same tags is waiting for, and must start it or give it back
   * (`release_job`) soon.
   */
  @IsOptional()
  @ToBool()
  @IsBoolean({ message: 'prefetch must be true or false' })
  prefetch = false;
}
