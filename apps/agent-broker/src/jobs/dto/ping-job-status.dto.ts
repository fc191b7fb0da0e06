import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * `POST /api/agent_workers/ping_job_status/{id}`. The memory figures are accepted for
 * compatibility; the queue's heartbeat does not store them yet (the result's mem_peak is).
 */
export class PingJobStatusDto {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  mem_peak?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  current_mem?: number;
}
