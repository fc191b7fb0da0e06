import { ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@millrace/server-kit';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';

/** `page` and `per_page` as every list route (here `per_page` defaults to 1000), plus a liveness filter. */
export class ListWorkersDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only workers that pinged within this many seconds' })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(365 * 86_400)
  ping_since?: number;
}
