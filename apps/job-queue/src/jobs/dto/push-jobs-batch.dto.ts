import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { PushJobDto } from './push-job.dto';

export class PushJobsBatchDto {
  @ApiProperty({ type: [PushJobDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PushJobDto)
  jobs!: PushJobDto[];
}
