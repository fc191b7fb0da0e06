import { ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@millrace/server-kit';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `page` (1-based) and `per_page` (1..1000; default 100, 1000 for the workers list) of the list routes. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, description: 'default 100 (1000 for /api/workers/list)' })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  per_page?: number;
}
