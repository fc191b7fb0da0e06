import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateTokenDto {
  @ApiProperty({ example: 'ci pipeline', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'when the token stops working; never when absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiration?: string;
}
