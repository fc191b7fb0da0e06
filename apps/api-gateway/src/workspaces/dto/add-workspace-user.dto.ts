import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import { WORKSPACE_ROLES, WorkspaceRole } from '../../auth/roles';

export class AddWorkspaceUserDto {
  @ApiProperty({ example: 'bob@example.com' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ enum: WORKSPACE_ROLES })
  @IsIn(WORKSPACE_ROLES, { message: `role must be one of: ${WORKSPACE_ROLES.join(', ')}` })
  role!: WorkspaceRole;
}
