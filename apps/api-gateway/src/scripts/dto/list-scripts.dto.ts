import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';

export class ListScriptsDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only paths starting with this' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  path_start?: string;
}
