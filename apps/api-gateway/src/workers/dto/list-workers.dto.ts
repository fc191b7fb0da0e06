import { ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@millrace/server-kit';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListWorkersDto {
  @ApiPropertyOptional({ description: 'only workers that pinged within this many seconds' })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(365 * 86_400)
  ping_since?: number;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1000 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  per_page?: number;
}
