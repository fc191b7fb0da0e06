import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, NotContains } from 'class-validator';

export const PING_TYPES = ['initial', 'main_loop', 'job'] as const;
export type PingType = (typeof PING_TYPES)[number];

/** `POST /api/agent_workers/update_ping` (API.md). */
export class UpdatePingDto {
  @IsIn(PING_TYPES)
  ping_type!: PingType;

  // NUL cannot be stored in a text column: it would fail the whole batched write.
  @IsString()
  @Length(1, 100)
  @NotContains('\0', { message: 'version must not contain NUL characters' })
  version!: string;

  /** Identifies this run of the agent process; a new one resets `started_at`. */
  @Matches(/^[A-Za-z0-9_.:-]{1,100}$/, { message: 'worker_instance must be 1-100 characters of A-Z a-z 0-9 _ . : -' })
  worker_instance!: string;

  @IsString()
  @MaxLength(100)
  @NotContains('\0', { message: 'ip must not contain NUL characters' })
  ip!: string;

  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  memory_bytes!: number;

  @IsOptional()
  @IsUUID()
  current_job_id?: string | null;

  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  jobs_executed!: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  occupancy?: number | null;
}
