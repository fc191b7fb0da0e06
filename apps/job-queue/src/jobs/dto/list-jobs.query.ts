import { JOB_KINDS, type JobKind } from '@millrace/tags';
import { ToBool, ToInt } from '@millrace/server-kit';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListJobsQuery {
  @IsOptional()
  @ToBool()
  @IsBoolean()
  running?: boolean;

  @IsOptional()
  @ToBool()
  @IsBoolean()
  success?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  worker?: string;

  /** Comma-separated job kinds. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value))
  @IsIn(JOB_KINDS, { each: true, message: `job_kinds must be a comma list of: ${JOB_KINDS.join(', ')}` })
  job_kinds?: JobKind[];

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  per_page?: number;
}
