import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WORKER_GROUP_PATTERN } from '@millrace/contracts';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';

export class CreateAgentTokenDto {
  @ApiProperty({ example: 'edge', description: 'the agents\' worker group; their name is ag-<group>-<suffix>' })
  @Matches(WORKER_GROUP_PATTERN, { message: 'worker_group must be 1-50 characters of a-z 0-9 _ - starting with a letter or digit' })
  worker_group!: string;

  @ApiProperty({ type: [String], example: ['edge-eu'], description: 'the only tags these agents may pull; flow, dependency and their -<ws> forms are refused' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  tags!: string[];

  @ApiPropertyOptional({ description: 'expiry, unix seconds; default 3 years from now' })
  @IsOptional()
  @IsInt()
  @Min(1)
  exp?: number;
}
