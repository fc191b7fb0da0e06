import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SCRIPT_LANGUAGES, ScriptLanguage } from '@millrace/tags';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsJsonObject, MaxBytes } from '../../common/validation.util';
import { MAX_CONTENT_BYTES, MAX_TAG_TEMPLATE } from '../../scripts/dto/create-script.dto';

export const MAX_ARGS_BYTES = 1024 * 1024;

export class RunPreviewDto {
  @ApiProperty({ example: 'export async function main(x: number) { return x * 2; }' })
  @IsString()
  @MaxBytes(MAX_CONTENT_BYTES)
  content!: string;

  @ApiProperty({ enum: SCRIPT_LANGUAGES })
  @IsIn(SCRIPT_LANGUAGES, { message: `language must be one of: ${SCRIPT_LANGUAGES.join(', ')}` })
  language!: ScriptLanguage;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, default: {} })
  @IsOptional()
  @IsJsonObject(MAX_ARGS_BYTES)
  args?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'worker tag; may hold $workspace and $args[name]' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TAG_TEMPLATE)
  tag?: string;
}
