import { Allow, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * `POST /api/w/{ws}/agent_workers/send_result/{id}`. `result` is any JSON value (for a
 * failure, ideally `{name, message, stack}`); the whole body is limited to 10 MB (413).
 */
export class SendResultDto {
  @IsBoolean()
  success!: boolean;

  // Any JSON value, null included; @Allow keeps it through the whitelist.
  @Allow()
  result?: unknown;

  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  duration_ms!: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  mem_peak?: number;

  /** Set when the agent stopped the job because ping_job_status said it was canceled. */
  @IsOptional()
  @IsString()
  @MaxLength(320)
  canceled_by?: string;
}
