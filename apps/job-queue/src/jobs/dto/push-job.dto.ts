import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ScriptSchema } from '@millrace/contracts';
import { JOB_KINDS, SCRIPT_LANGUAGES, type JobKind, type ScriptLanguage } from '@millrace/tags';
import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

const ONE_MB = 1024 * 1024;

export class PushJobDto {
  @ApiProperty({ enum: JOB_KINDS })
  @IsIn(JOB_KINDS)
  kind!: JobKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  path?: string;

  @ApiPropertyOptional({ enum: SCRIPT_LANGUAGES })
  @IsOptional()
  @IsIn(SCRIPT_LANGUAGES)
  language?: ScriptLanguage;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(ONE_MB)
  content?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(ONE_MB)
  lock?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  args?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  schema?: ScriptSchema;

  /** Explicit tag override; may hold `$workspace` and `$args[name]`. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  tag?: string;

  /** The script's tag template. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  script_tag?: string;

  @ApiPropertyOptional({ minimum: -1000, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 86400 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  timeout_s?: number;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  scheduled_for?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parent_job?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  root_job?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  flow_step_id?: string;
}
