import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_WAIT_S = 55;

/** `POST /api/agent_workers/pull_job?wait_s=N`: 0 answers at once, default 25, at most 55. */
export class PullJobQuery {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'wait_s must be a whole number of seconds' })
  @Min(0)
  @Max(MAX_WAIT_S)
  wait_s = 25;
}
