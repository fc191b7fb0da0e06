import { ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@millrace/server-kit';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_TAG_TEMPLATE } from '../../scripts/dto/create-script.dto';

export class RunScriptQueryDto {
  @ApiPropertyOptional({ description: 'worker tag override; may hold $workspace and $args[name]' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TAG_TEMPLATE)
  tag?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'not started before this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  scheduled_for?: string;

  @ApiPropertyOptional({ minimum: -1000, maximum: 1000, description: 'overrides the script\'s priority' })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;
}

export class RunWaitQueryDto extends RunScriptQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 300, default: 60, description: '408 when the job has not finished by then' })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(300)
  timeout_s?: number;
}
