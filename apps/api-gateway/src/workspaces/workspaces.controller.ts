import { Body, Controller, Header, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, RequireRole } from '../auth/access.decorators';
import { CurrentUser, CurrentWorkspace, Principal, WorkspaceAccess } from '../auth/principal';
import { AddWorkspaceUserDto } from './dto/add-workspace-user.dto';
import { CreateWorkspaceDto } from './dto/create-workspace.dto';
import { WorkspacesService } from './workspaces.service';

@ApiTags('workspaces')
@Controller('api')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Post('workspaces/create')
  @Authenticated()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Create a workspace; the caller becomes its admin' })
  @ApiCreatedResponse({ description: 'the workspace id', schema: { type: 'string' } })
  @ApiConflictResponse({ description: 'the id is taken' })
  async create(@CurrentUser() user: Principal, @Body() body: CreateWorkspaceDto): Promise<string> {
    await this.workspaces.create(user, body);
    return body.id;
  }

  @Post('w/:ws/users/add')
  @RequireRole('admin')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Add an existing user to the workspace with a role (workspace admin)' })
  @ApiCreatedResponse({ description: 'the added email', schema: { type: 'string' } })
  @ApiConflictResponse({ description: 'already a member' })
  async addUser(@Param('ws') _ws: string, @CurrentWorkspace() ws: WorkspaceAccess, @Body() body: AddWorkspaceUserDto): Promise<string> {
    await this.workspaces.addUser(ws.id, body);
    return body.email;
  }
}
