import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'acme', pattern: '^[a-z0-9][a-z0-9-]{1,49}$' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,49}$/, { message: 'id must be 2-50 characters of a-z 0-9 - starting with a letter or digit' })
  id!: string;

  @ApiProperty({ example: 'Acme Corp', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}
