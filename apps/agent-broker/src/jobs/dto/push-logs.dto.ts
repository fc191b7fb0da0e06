import { IsInt, IsString, Max, Min } from 'class-validator';

/**
 * `POST /api/w/{ws}/agent_workers/push_logs/{id}`: `logs` is the next chunk, `offset` the
 * UTF-8 bytes of log sent before it. A chunk may hold at most LOG_CHUNK_MAX_BYTES (413).
 */
export class PushLogsDto {
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  offset!: number;

  @IsString()
  logs!: string;
}
