import { ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_KINDS } from '@millrace/tags';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';

const KIND_LIST = new RegExp(`^(${JOB_KINDS.join('|')})(,(${JOB_KINDS.join('|')}))*$`);

export class ListJobsDto extends PageQueryDto {
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
}
