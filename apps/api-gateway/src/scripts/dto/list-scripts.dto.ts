import { ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@millrace/server-kit';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListScriptsDto {
  @ApiPropertyOptional({ description: 'only paths starting with this' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  path_start?: string;

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
