import { Allow, IsBoolean, IsInt, IsString, Max, MaxLength, Min, NotContains } from 'class-validator';

/** `POST /api/agent_workers/record_init_job`: the outcome of the agent's INIT_SCRIPT. */
export class RecordInitJobDto {
  @IsString()
  @MaxLength(100_000)
  @NotContains('\0', { message: 'content must not contain NUL characters' })
  content!: string;

  @IsBoolean()
  success!: boolean;

  /** What the script printed (the agent keeps at most what its executor kept). */
  @IsString()
  @MaxLength(2 * 1024 * 1024)
  logs!: string;

  /** The result, or for a failure `{message, name?, stack?}`. */
  @Allow()
  result?: unknown;

  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  duration_ms!: number;
}
