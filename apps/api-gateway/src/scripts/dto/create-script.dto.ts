import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCRIPT_LANGUAGES, ScriptLanguage } from '@millrace/tags';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MaxBytes } from '../../common/validation.util';

export const SCRIPT_PATH = /^[uf]\/[a-z0-9_-]+(\/[a-z0-9_.-]+)+$/;
export const SCRIPT_PATH_MESSAGE = 'path must look like u/<user>/<name> or f/<folder>/<name> (a-z 0-9 _ - and . in names)';
export const MAX_CONTENT_BYTES = 1024 * 1024;
/** job-queue's limit for tag templates (docs/job-queue-api.md PushJobDto). */
export const MAX_TAG_TEMPLATE = 200;

export class CreateScriptDto {
  @ApiProperty({ example: 'u/alice/hello', pattern: SCRIPT_PATH.source, maxLength: 255 })
  @IsString()
  @MaxLength(255)
  @Matches(SCRIPT_PATH, { message: SCRIPT_PATH_MESSAGE })
  path!: string;

  @ApiProperty({ enum: SCRIPT_LANGUAGES })
  @IsIn(SCRIPT_LANGUAGES, { message: `language must be one of: ${SCRIPT_LANGUAGES.join(', ')}` })
  language!: ScriptLanguage;

  @ApiProperty({ description: 'the source; `main`\'s signature gives the argument schema', example: 'export async function main(name: string) { return `hi ${name}`; }' })
  @IsString()
  @MaxBytes(MAX_CONTENT_BYTES)
  content!: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  summary?: string;

  @ApiPropertyOptional({ description: 'worker tag template; may hold $workspace and $args[name]', example: 'region-$args[region]', maxLength: MAX_TAG_TEMPLATE })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TAG_TEMPLATE)
  tag?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 86400 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  timeout_s?: number;

  @ApiPropertyOptional({ minimum: -1000, maximum: 1000, description: 'default priority of its jobs; higher runs first' })
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional({ description: 'dependency lockfile, when already resolved' })
  @IsOptional()
  @IsString()
  @MaxBytes(MAX_CONTENT_BYTES)
  lock?: string;
}
