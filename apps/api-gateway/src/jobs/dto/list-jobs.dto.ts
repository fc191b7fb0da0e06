import { ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@millrace/server-kit';
import { JOB_KINDS } from '@millrace/tags';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const KIND_LIST = new RegExp(`^(${JOB_KINDS.join('|')})(,(${JOB_KINDS.join('|')}))*$`);

export class ListJobsDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'running must be true or false' })
  running?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'success must be true or false' })
  success?: 'true' | 'false';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  worker?: string;

  @ApiPropertyOptional({ description: `comma list of: ${JOB_KINDS.join(', ')}`, example: 'script,preview' })
  @IsOptional()
  @Matches(KIND_LIST, { message: `job_kinds must be a comma list of: ${JOB_KINDS.join(', ')}` })
  job_kinds?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  per_page?: number;
}
